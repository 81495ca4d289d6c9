"""History written by Celery tasks is attributed to the task: its name and id in the pghistory context.

Services called by a task also name their actor where they have one (`pghistory.context(user=...)`);
this adds what ran them. Connected in AuditConfig.ready().
"""

from __future__ import annotations

import threading
from typing import Any

import pghistory
from celery.signals import task_postrun, task_prerun

_open = threading.local()


def enter_task_context(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    context = pghistory.context(source="celery", task=getattr(task, "name", None), task_id=task_id)
    context.__enter__()
    stack = getattr(_open, "stack", None)
    if stack is None:
        stack = _open.stack = []
    stack.append(context)


def exit_task_context(**kwargs: Any) -> None:
    stack = getattr(_open, "stack", None)
    if stack:
        stack.pop().__exit__(None, None, None)


def connect() -> None:
    task_prerun.connect(enter_task_context, dispatch_uid="audit.enter_task_context", weak=False)
    task_postrun.connect(exit_task_context, dispatch_uid="audit.exit_task_context", weak=False)
