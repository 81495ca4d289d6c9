"""The request id: taken from an incoming X-Request-ID header (a proxy's) or made up, returned in the
response's X-Request-ID, put on every log record, and carried in the headers of the Celery tasks a
request queues, so that the web log lines and the worker log lines of one action can be found together.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar, Token
from typing import Any

from celery.signals import before_task_publish, task_postrun, task_prerun
from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# The Celery message header that carries it (readable in a task as `self.request.request_id`).
TASK_HEADER = "request_id"
# An id from outside is kept only if it looks like one: anything else (too long, spaces, newlines)
# would let a client write what it likes into the logs, so it is replaced by a fresh id.
_ACCEPTED = re.compile(r"[A-Za-z0-9._:-]{1,128}")

_request_id: ContextVar[str | None] = ContextVar("portal_request_id", default=None)
_task: ContextVar[tuple[str, str] | None] = ContextVar("portal_task", default=None)


def current_request_id() -> str | None:
    """The id of the request (or of the request that queued the running task), if any."""
    return _request_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(value: str | None) -> str:
    """The incoming id if it is acceptable, else a new one."""
    if value and _ACCEPTED.fullmatch(value):
        return value
    return new_request_id()


class RequestIdMiddleware:
    """First in MIDDLEWARE: every log line of the request, and every task it queues, carries the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = accepted_request_id(request.headers.get(HEADER))
        request.request_id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (and, in a task, `task_name` and `task_id`) to each record; set on handlers,
    so that records propagated from any logger get them."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        task = _task.get()
        if task is not None and not hasattr(record, "task_id"):
            record.task_name, record.task_id = task
        return True


# --- Celery -------------------------------------------------------------------------------------

# Tokens of the task being run, per worker thread; a task run eagerly inside a request nests in it.
_task_tokens: ContextVar[list[tuple[Token[Any] | None, Token[Any]]] | None] = ContextVar(
    "portal_task_tokens", default=None
)


def _on_before_task_publish(headers: dict[str, Any] | None = None, **kwargs: Any) -> None:
    request_id = _request_id.get()
    if request_id and headers is not None:
        headers.setdefault(TASK_HEADER, request_id)


def task_request_id(task: Any) -> str | None:
    """The request id a task's message carries, if an acceptable one."""
    request = getattr(task, "request", None)
    value = getattr(request, TASK_HEADER, None)
    if value is None:
        # Celery versions differ in where custom headers land on the request.
        value = (getattr(request, "headers", None) or {}).get(TASK_HEADER)
    if isinstance(value, str) and _ACCEPTED.fullmatch(value):
        return value
    return None


def _on_task_prerun(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    carried = task_request_id(task)
    # An eager task has no message headers: it keeps the id of the request it runs in.
    request_token = _request_id.set(carried) if carried else None
    task_token = _task.set((getattr(task, "name", "") or "", task_id or ""))
    stack = _task_tokens.get()
    if stack is None:
        stack = []
        _task_tokens.set(stack)
    stack.append((request_token, task_token))


def _on_task_postrun(**kwargs: Any) -> None:
    stack = _task_tokens.get()
    if not stack:
        return
    request_token, task_token = stack.pop()
    try:
        _task.reset(task_token)
        if request_token is not None:
            _request_id.reset(request_token)
    except ValueError:
        # A pool that ran prerun and postrun in different contexts: forget the task's values instead.
        _task.set(None)
        _request_id.set(None)


def connect_celery_signals() -> None:
    before_task_publish.connect(_on_before_task_publish, dispatch_uid="ops.request_id.publish", weak=False)
    task_prerun.connect(_on_task_prerun, dispatch_uid="ops.request_id.prerun", weak=False)
    task_postrun.connect(_on_task_postrun, dispatch_uid="ops.request_id.postrun", weak=False)
