"""The readiness checks behind /readyz: each database the portal reads, Redis, the Celery workers, and
whether the notification queue moves."""

from __future__ import annotations

import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import Error, connections
from redis.exceptions import RedisError

from .clients import redis_client
from .heartbeat import live_workers

logger = logging.getLogger(__name__)

OK = "ok"
FAILING = "failing"


@dataclass
class CheckResult:
    name: str
    status: str
    detail: str = ""
    duration_ms: float = 0.0
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == OK

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"status": self.status, "duration_ms": round(self.duration_ms, 1)}
        if self.detail:
            body["detail"] = self.detail
        body.update(self.data)
        return body


def _failure(name: str, error: Exception) -> str:
    """What the (anonymous) answer says: the kind of error only; the full message, which may name hosts
    and addresses, goes to the log."""
    logger.warning("Readiness check %s failing: %s", name, error)
    return type(error).__name__


def _timed(name: str, check: Callable[[], tuple[str, str, dict[str, Any]]]) -> CheckResult:
    started = time.perf_counter()
    status, detail, data = check()
    return CheckResult(name, status, detail, (time.perf_counter() - started) * 1000, data)


def database_check(alias: str) -> CheckResult:
    """The database answers a query on this connection."""

    def check() -> tuple[str, str, dict[str, Any]]:
        connection = connections[alias]
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        except Error as error:  # OperationalError, and InterfaceError for a connection that was closed
            # A half-open connection must not be reused by the next request of this process.
            connection.close_if_unusable_or_obsolete()
            return FAILING, _failure(name, error), {}
        return OK, "", {}

    name = "database" if alias == "default" else f"database:{alias}"
    return _timed(name, check)


def redis_check(*, name: str, url: str) -> CheckResult:
    """Redis answers PING."""

    def check() -> tuple[str, str, dict[str, Any]]:
        try:
            redis_client(url).ping()
        except RedisError as error:
            return FAILING, _failure(name, error), {}
        return OK, "", {}

    return _timed(name, check)


def workers_check() -> CheckResult:
    """Every Celery queue is consumed by at least one worker whose heartbeat is recent."""

    def check() -> tuple[str, str, dict[str, Any]]:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            return OK, "Tasks run in the web process (eager); no worker is needed.", {}
        try:
            beats = live_workers()
        except RedisError as error:
            return FAILING, "Cannot read the worker heartbeats: " + _failure("workers", error), {}
        queues = {queue: sum(queue in beat.queues for beat in beats) for queue in settings.CELERY_QUEUE_NAMES}
        data = {"workers": len(beats), "queues": queues}
        unserved = [queue for queue, count in queues.items() if count == 0]
        if unserved:
            return FAILING, "No live worker consumes: " + ", ".join(unserved), data
        return OK, "", data

    return _timed("workers", check)


@dataclass(frozen=True)
class Backlog:
    """Work of one kind that has waited too long: `key` names it in the check's data, `label` in its
    detail."""

    key: str
    label: str
    count: int


# What waits in the queues (events to fan out, e-mails to send): each app with such work registers, in its
# AppConfig.ready, a function that counts what of it has waited longer than the given time.
BacklogReader = Callable[[datetime.timedelta], list[Backlog]]
_backlog_readers: dict[str, BacklogReader] = {}


def backlog_reader_register(*, name: str, reader: BacklogReader) -> None:
    """Have the queue check count, with `reader(waiting_longer_than)`, the work that app waits on."""
    _backlog_readers[name] = reader


def queue_check() -> CheckResult:
    """No queued work (an event to fan out, an e-mail to send) has waited past QUEUE_STUCK_AFTER_SECONDS:
    the workers are there but the queue does not move (a hung mail server, lost tasks that the sweep
    cannot publish, a beat that is not running)."""

    def check() -> tuple[str, str, dict[str, Any]]:
        limit = settings.QUEUE_STUCK_AFTER_SECONDS
        waiting = datetime.timedelta(seconds=limit)
        try:
            backlog = [item for _name, read in sorted(_backlog_readers.items()) for item in read(waiting)]
        except Error as error:
            return FAILING, "Cannot read the queue: " + _failure("queue", error), {}
        data = {"waiting_longer_than_seconds": limit, **{item.key: item.count for item in backlog}}
        if any(item.count for item in backlog):
            counts = ", ".join(f"{item.label} {item.count}" for item in backlog)
            return FAILING, f"Waiting over {limit} s: {counts}", data
        return OK, "", data

    return _timed("queue", check)


def readiness_checks() -> list[CheckResult]:
    """All checks, in a fixed order; each one runs whatever the others answered."""
    results = [database_check(alias) for alias in settings.HEALTH_CHECK_DATABASES]
    results.append(redis_check(name="redis", url=settings.REDIS_URL))
    if settings.CELERY_BROKER_URL != settings.REDIS_URL and settings.CELERY_BROKER_URL.startswith("redis"):
        results.append(redis_check(name="broker", url=settings.CELERY_BROKER_URL))
    results.append(workers_check())
    results.append(queue_check())
    return results
