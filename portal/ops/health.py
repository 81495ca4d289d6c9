"""The readiness checks behind /readyz, as django-health-check checks: each database the portal reads
and Redis (the library's own checks, answering only the kind of error), the Celery workers (our
heartbeat) and whether the notification queue moves (the backlog each app registers).

The checks run one after the other in the request's own thread, not on the library's executor threads:
a database check must try (and, when broken, close) the connection this process's next request will
use, and Django's connections belong to a thread.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import inspect
import logging
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import Error, connections
from health_check.base import HealthCheck, HealthCheckResult
from health_check.checks import Database
from health_check.contrib.redis import Redis
from health_check.exceptions import HealthCheckException, ServiceUnavailable
from redis.asyncio import Redis as AsyncRedis
from redis.exceptions import RedisError

from .clients import TIMEOUT_SECONDS
from .heartbeat import live_workers

logger = logging.getLogger(__name__)


def _kind(error: HealthCheckException) -> str:
    """What the (anonymous) answer says of a library check's failure: the kind of error only, since the
    library's message may name hosts and addresses (the log has it all)."""
    cause = error.__cause__
    return type(cause).__name__ if cause is not None else error.message


@dataclass
class DatabaseCheck(Database):
    """The library's `SELECT 1` on one connection of this thread; a broken connection is closed so that
    the next request does not reuse it."""

    def run(self) -> None:
        try:
            super().run()
        except ServiceUnavailable as error:
            if self.alias in connections:
                connections[self.alias].close_if_unusable_or_obsolete()
            raise ServiceUnavailable(_kind(error)) from error.__cause__


@dataclass
class RedisCheck(Redis):
    """The library's PING of a Redis server."""

    async def run(self) -> None:
        try:
            await super().run()
        except ServiceUnavailable as error:
            raise ServiceUnavailable(_kind(error)) from error.__cause__


def _redis_at(url: str) -> Callable[[], AsyncRedis]:
    def client() -> AsyncRedis:
        return AsyncRedis.from_url(
            url, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
        )

    return client


@dataclass
class ReportingCheck(HealthCheck):
    """A check of ours that reports figures (workers per queue, the backlog) whether it passes or not."""

    note: str = dataclasses.field(default="", init=False, repr=False)
    figures: dict[str, Any] = dataclasses.field(default_factory=dict, init=False, repr=False)


@dataclass
class WorkersCheck(ReportingCheck):
    """Every Celery queue is consumed by at least one worker whose heartbeat is recent."""

    def run(self) -> None:
        if settings.CELERY_TASK_ALWAYS_EAGER:
            self.note = "Tasks run in the web process (eager); no worker is needed."
            return
        try:
            beats = live_workers()
        except RedisError as error:
            logger.warning("Readiness check workers failing: %s", error)
            raise ServiceUnavailable(f"Cannot read the worker heartbeats: {type(error).__name__}") from error
        queues = {queue: sum(queue in beat.queues for beat in beats) for queue in settings.CELERY_QUEUE_NAMES}
        self.figures = {"workers": len(beats), "queues": queues}
        unserved = [queue for queue, count in queues.items() if count == 0]
        if unserved:
            raise ServiceUnavailable("No live worker consumes: " + ", ".join(unserved))


@dataclass(frozen=True)
class Backlog:
    """Work of one kind that has waited too long: `key` names it in the check's figures, `label` in its
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


@dataclass
class QueueCheck(ReportingCheck):
    """No queued work (an event to fan out, an e-mail to send) has waited past QUEUE_STUCK_AFTER_SECONDS:
    the workers are there but the queue does not move (a hung mail server, lost tasks that the sweep
    cannot publish, a beat that is not running)."""

    def run(self) -> None:
        limit = settings.QUEUE_STUCK_AFTER_SECONDS
        waiting = datetime.timedelta(seconds=limit)
        try:
            backlog = [item for _name, read in sorted(_backlog_readers.items()) for item in read(waiting)]
        except Error as error:
            logger.warning("Readiness check queue failing: %s", error)
            raise ServiceUnavailable(f"Cannot read the queue: {type(error).__name__}") from error
        self.figures = {"waiting_longer_than_seconds": limit, **{item.key: item.count for item in backlog}}
        if any(item.count for item in backlog):
            counts = ", ".join(f"{item.label} {item.count}" for item in backlog)
            raise ServiceUnavailable(f"Waiting over {limit} s: {counts}")


def readiness_checks() -> dict[str, HealthCheck]:
    """The checks of /readyz by the name it reports them under, in a fixed order."""
    checks: dict[str, HealthCheck] = {
        "database" if alias == "default" else f"database:{alias}": DatabaseCheck(alias=alias)
        for alias in settings.HEALTH_CHECK_DATABASES
    }
    checks["redis"] = RedisCheck(client_factory=_redis_at(settings.REDIS_URL))
    if settings.CELERY_BROKER_URL != settings.REDIS_URL and settings.CELERY_BROKER_URL.startswith("redis"):
        checks["broker"] = RedisCheck(client_factory=_redis_at(settings.CELERY_BROKER_URL))
    checks["workers"] = WorkersCheck()
    checks["queue"] = QueueCheck()
    return checks


def check_result(check: HealthCheck) -> HealthCheckResult:
    """Run one check in this thread: a coroutine check through the library's own runner (its timeout and
    logging), a synchronous one directly, with the library's treatment of its errors."""
    if inspect.iscoroutinefunction(check.run):
        return asyncio.run(check.get_result())
    started = timeit.default_timer()
    error: HealthCheckException | None = None
    try:
        check.run()
    except HealthCheckException as failure:
        error = failure
        logger.warning("Health check %r failed: %s", check, failure)
    except Exception:
        logger.exception("Unexpected exception during health check %r", check)
        error = HealthCheckException("unknown error")
    return HealthCheckResult(check=check, error=error, time_taken=timeit.default_timer() - started)


def result_as_dict(result: HealthCheckResult) -> dict[str, Any]:
    """One check in the answer of /readyz: its status, time, detail and figures."""
    check = result.check
    body: dict[str, Any] = {
        "status": "failing" if result.error else "ok",
        "duration_ms": round(result.time_taken * 1000, 1),
    }
    detail = result.error.message if result.error else getattr(check, "note", "")
    if detail:
        body["detail"] = detail
    if isinstance(check, ReportingCheck):
        body.update(check.figures)
    return body
