"""The Celery workers' heartbeat in Redis, which /readyz and the metrics read.

Each worker's consumer writes `portal:worker-heartbeat:<hostname>` (the time and the queues it consumes)
every WORKER_HEARTBEAT_SECONDS while it is connected to the broker, with an expiry of a few periods, and
deletes it when it stops consuming. A worker is alive if its key is younger than
WORKER_HEARTBEAT_MAX_AGE_SECONDS; a queue is served if at least one live worker consumes it.
"""

from __future__ import annotations

import json
import logging
import time
from dataclasses import dataclass
from typing import Any

from celery import bootsteps
from django.conf import settings
from redis.exceptions import RedisError

from .clients import redis_client

logger = logging.getLogger(__name__)

KEY_PREFIX = "portal:worker-heartbeat:"


@dataclass(frozen=True)
class WorkerBeat:
    hostname: str
    at: float
    queues: tuple[str, ...]


def heartbeat_write(*, hostname: str, queues: list[str], now: float | None = None) -> None:
    """Record that `hostname` is consuming `queues` now."""
    interval = settings.WORKER_HEARTBEAT_SECONDS
    value = json.dumps({"at": now if now is not None else time.time(), "queues": sorted(queues)})
    redis_client(settings.REDIS_URL).set(f"{KEY_PREFIX}{hostname}", value, ex=max(3 * interval, 10))


def heartbeat_clear(*, hostname: str) -> None:
    redis_client(settings.REDIS_URL).delete(f"{KEY_PREFIX}{hostname}")


def live_workers(*, now: float | None = None) -> list[WorkerBeat]:
    """The workers whose last heartbeat is recent enough (raises RedisError if Redis does not answer)."""
    client = redis_client(settings.REDIS_URL)
    now = now if now is not None else time.time()
    keys = list(client.scan_iter(match=f"{KEY_PREFIX}*", count=100))
    beats = []
    for key, raw in zip(keys, client.mget(keys) if keys else [], strict=True):
        if raw is None:
            continue  # expired between the scan and the read
        try:
            value = json.loads(raw)
            beat = WorkerBeat(
                hostname=key.decode().removeprefix(KEY_PREFIX),
                at=float(value["at"]),
                queues=tuple(value["queues"]),
            )
        except (ValueError, KeyError, TypeError):
            continue
        if now - beat.at <= settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS:
            beats.append(beat)
    return sorted(beats, key=lambda beat: beat.hostname)


class WorkerHeartbeat(bootsteps.StartStopStep):
    """A consumer bootstep: started once the worker consumes its queues, stopped when it stops (or loses
    the broker and reconnects), so that a heartbeat means "taking tasks from these queues"."""

    requires = ("celery.worker.consumer.tasks:Tasks",)

    def __init__(self, parent: Any, **kwargs: Any) -> None:
        super().__init__(parent, **kwargs)
        self.timer_entry: Any = None

    def start(self, parent: Any) -> None:
        self._beat(parent)
        self.timer_entry = parent.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_SECONDS, self._beat, (parent,), priority=10
        )

    def stop(self, parent: Any) -> None:
        if self.timer_entry is not None:
            self.timer_entry.cancel()
            self.timer_entry = None
        try:
            heartbeat_clear(hostname=parent.hostname)
        except RedisError:
            logger.warning("Could not clear the worker heartbeat of %s.", parent.hostname)

    shutdown = stop

    def _beat(self, parent: Any) -> None:
        queues = [queue.name for queue in parent.app.amqp.queues.consume_from.values()]
        try:
            heartbeat_write(hostname=parent.hostname, queues=queues)
        except RedisError:
            # Readiness checks will say the worker is missing; the worker itself carries on.
            logger.warning("Could not write the worker heartbeat of %s.", parent.hostname, exc_info=True)
