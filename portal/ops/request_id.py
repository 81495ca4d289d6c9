"""The request id is django-guid's (settings.DJANGO_GUID): taken from an incoming X-Request-ID header (a
proxy's) or made up, returned in the response's X-Request-ID, put on every log record as `request_id`
(its CorrelationId filter, settings.LOGGING) and carried in the headers of the Celery tasks a request
queues (its CeleryIntegration), so that the web and worker log lines of one action can be found together.

What the portal adds to it:
- an incoming id is kept only if it looks like one: anything else (too long, spaces, newlines) would let a
  client write what it likes into the logs, so it is dropped before django-guid reads it (which then makes
  a fresh id);
- a task run eagerly inside a request (tests, `make run` without Redis) keeps the request's id, and the
  request keeps it after the task (django-guid would give the task a new id and then clear it);
- the log records of a task carry its `task_name` and `task_id`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from celery import current_task
from celery.signals import task_postrun, task_prerun
from django.http import HttpRequest, HttpResponse
from django_guid import get_guid, set_guid
from django_guid.config import settings as guid_settings
from django_guid.integrations.celery import signals as guid_celery

_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class RequestIdScreenMiddleware:
    """Before django-guid's middleware: an incoming id that does not look like one is dropped."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.meta_key = "HTTP_" + guid_settings.guid_header_name.upper().replace("-", "_")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        value = request.META.get(self.meta_key)
        if value is not None and not _ACCEPTED.fullmatch(value):
            del request.META[self.meta_key]
        return self.get_response(request)


class TaskLogFilter(logging.Filter):
    """Adds `task_name` and `task_id` to each record written while a Celery task runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        task = current_task
        if task and task.request.id and not hasattr(record, "task_id"):
            record.task_name, record.task_id = task.name, task.request.id
        return True


# The id each running task replaced (None outside a request), per thread: a task run eagerly nests.
_outer_ids: ContextVar[tuple[str | None, ...]] = ContextVar("portal_outer_request_ids", default=())


def _on_task_prerun(task: Any = None, **kwargs: Any) -> None:
    header = guid_settings.guid_header_name
    # A worker's message has its headers on the request itself; a task applied eagerly, under `headers`.
    carried = task.request.get(header) or (task.request.get("headers") or {}).get(header)
    if not (isinstance(carried, str) and _ACCEPTED.fullmatch(carried)):
        carried = None  # django-guid makes a new id instead
    task.request.update({header: carried})
    outer = get_guid()
    _outer_ids.set((*_outer_ids.get(), outer))
    if outer and carried is None and task.request.is_eager:
        return  # run inside a request: the request's id stays
    guid_celery.worker_prerun(task=task, **kwargs)


def _on_task_postrun(task: Any = None, **kwargs: Any) -> None:
    stack = _outer_ids.get()
    outer = stack[-1] if stack else None
    _outer_ids.set(stack[:-1])
    guid_celery.clean_up(task=task, **kwargs)
    if outer:
        set_guid(outer)


def connect_celery_signals() -> None:
    """django-guid's task handlers, wrapped (see the module's description)."""
    task_prerun.disconnect(guid_celery.worker_prerun)
    task_postrun.disconnect(guid_celery.clean_up)
    task_prerun.connect(_on_task_prerun, dispatch_uid="ops.request_id.prerun", weak=False)
    task_postrun.connect(_on_task_postrun, dispatch_uid="ops.request_id.postrun", weak=False)
