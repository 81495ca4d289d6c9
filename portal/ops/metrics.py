"""Prometheus metrics, served at /metrics to staff or to a scraper holding METRICS_TOKEN.

Two kinds:
- per process: HTTP requests, their status and duration, by route, counted by django-prometheus's
  middleware (portal/ops/middleware.py) in prometheus_client's registry. Gunicorn's workers share them
  through PROMETHEUS_MULTIPROC_DIR (portal/ops/gunicorn_conf.py); each web host is its own scrape target.
- ours, for the whole installation, read from Redis when scraped: the length of each Celery queue, the
  messages workers hold unacknowledged, the live workers per queue, and two counters that any process
  (web or worker, on any host) adds to in Redis: task outcomes and workflow transitions. Every web host
  reports the same values for these; aggregate them with max() across instances, not sum().
"""

from __future__ import annotations

import functools
import hmac
import json
import logging
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from celery.signals import task_failure, task_retry, task_revoked, task_success
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from redis.exceptions import RedisError

from .clients import redis_client
from .heartbeat import live_workers

logger = logging.getLogger(__name__)

# --- For the installation: counters kept in Redis ------------------------------------------------

SHARED_KEY_PREFIX = "portal:metrics:"


@dataclass(frozen=True)
class SharedCounter:
    """A counter every process adds to in one Redis hash (field: the label values as a JSON list)."""

    name: str
    documentation: str
    labels: tuple[str, ...]

    @property
    def key(self) -> str:
        return f"{SHARED_KEY_PREFIX}{self.name}"


WORKFLOW_TRANSITIONS = SharedCounter(
    "portal_workflow_transitions",
    "Status changes of inclusion requests, by the status left and the status reached.",
    ("from_status", "to_status"),
)
CELERY_TASKS = SharedCounter(
    "portal_celery_tasks",
    "Celery task runs by task and outcome (success, failure, retry, revoked).",
    ("task", "outcome"),
)
SHARED_COUNTERS = (WORKFLOW_TRANSITIONS, CELERY_TASKS)


# After Redis fails to answer, counters are dropped for this long in this process: a metric must never
# make every request wait for a timeout.
PAUSE_AFTER_FAILURE_SECONDS = 30.0
# A counter is added to after a request's commit, before its answer: it waits for Redis this long at most.
COUNTER_TIMEOUT_SECONDS = 0.25
_paused_until = 0.0


def shared_counter_inc(counter: SharedCounter, **labels: str) -> None:
    """Add one to a shared counter; a Redis failure is logged, never raised (no metric is worth an
    error)."""
    global _paused_until
    if not settings.METRICS_SHARED_COUNTERS or time.monotonic() < _paused_until:
        return
    field = json.dumps([str(labels[name]) for name in counter.labels])
    try:
        redis_client(settings.REDIS_URL, timeout=COUNTER_TIMEOUT_SECONDS).hincrby(counter.key, field, 1)
    except RedisError:
        _paused_until = time.monotonic() + PAUSE_AFTER_FAILURE_SECONDS
        logger.warning(
            "Could not count %s %s; counting paused for %d s.",
            counter.name,
            field,
            PAUSE_AFTER_FAILURE_SECONDS,
        )


def workflow_transition_count(*, from_status: str, to_status: str) -> None:
    """Count a workflow transition once its transaction commits (a rolled-back step did not happen)."""
    transaction.on_commit(
        functools.partial(
            shared_counter_inc, WORKFLOW_TRANSITIONS, from_status=from_status, to_status=to_status
        )
    )


def _task_outcome(outcome: str) -> Callable[..., None]:
    def record(sender: Any = None, **kwargs: Any) -> None:
        request = getattr(sender, "request", None)
        if getattr(request, "is_eager", False):
            return  # run inside a web request or a test: not a worker's outcome
        shared_counter_inc(CELERY_TASKS, task=getattr(sender, "name", None) or "unknown", outcome=outcome)

    return record


def connect_celery_signals() -> None:
    for signal, outcome in (
        (task_success, "success"),
        (task_failure, "failure"),
        (task_retry, "retry"),
        (task_revoked, "revoked"),
    ):
        signal.connect(_task_outcome(outcome), dispatch_uid=f"ops.metrics.task_{outcome}", weak=False)


# --- Read when scraped -----------------------------------------------------------------------------

# kombu's Redis transport keeps a queue's messages of priority p > 0 in "<queue>\x06\x16<p>".
_PRIORITY_SEPARATOR = "\x06\x16"
_PRIORITY_STEPS = (0, 3, 6, 9)


def _queue_keys(queue: str) -> list[str]:
    return [queue if step == 0 else f"{queue}{_PRIORITY_SEPARATOR}{step}" for step in _PRIORITY_STEPS]


def queue_lengths(*, broker_url: str, queues: tuple[str, ...]) -> dict[str, int]:
    """Messages waiting in each queue of a Redis broker (raises RedisError if it does not answer)."""
    client = redis_client(broker_url)
    pipeline = client.pipeline(transaction=False)
    for queue in queues:
        for key in _queue_keys(queue):
            pipeline.llen(key)
    counts = pipeline.execute()
    steps = len(_PRIORITY_STEPS)
    return {queue: sum(counts[i * steps : (i + 1) * steps]) for i, queue in enumerate(queues)}


class InstallationCollector:
    """Metrics of the whole installation, read from Redis at each scrape."""

    def collect(self) -> Iterator[Metric]:
        redis_up = GaugeMetricFamily("portal_redis_up", "1 if Redis answered this scrape, else 0.")
        try:
            metrics = list(self._from_redis())
        except RedisError:
            logger.warning("Redis did not answer the metrics scrape.", exc_info=True)
            redis_up.add_metric([], 0)
            yield redis_up
            return
        redis_up.add_metric([], 1)
        yield redis_up
        yield from metrics

    def _from_redis(self) -> Iterator[Metric]:
        queues = tuple(settings.CELERY_QUEUE_NAMES)
        broker_url = settings.CELERY_BROKER_URL
        if broker_url.startswith(("redis://", "rediss://", "unix://")):
            lengths = GaugeMetricFamily(
                "portal_celery_queue_length", "Messages waiting in each Celery queue.", labels=["queue"]
            )
            for queue, length in queue_lengths(broker_url=broker_url, queues=queues).items():
                lengths.add_metric([queue], length)
            yield lengths
            unacked = GaugeMetricFamily(
                "portal_celery_unacked_messages",
                "Messages handed to workers and not yet acknowledged (running or prefetched).",
            )
            unacked.add_metric([], redis_client(broker_url).hlen("unacked"))
            yield unacked

        workers = GaugeMetricFamily(
            "portal_celery_workers", "Live workers (recent heartbeat) consuming each queue.", labels=["queue"]
        )
        beats = live_workers()
        for queue in queues:
            workers.add_metric([queue], sum(queue in beat.queues for beat in beats))
        yield workers

        client = redis_client(settings.REDIS_URL)
        for counter in SHARED_COUNTERS:
            family = CounterMetricFamily(counter.name, counter.documentation, labels=list(counter.labels))
            for field, value in sorted(client.hgetall(counter.key).items()):
                try:
                    labels = [str(label) for label in json.loads(field)]
                except ValueError:
                    continue
                if len(labels) == len(counter.labels):
                    family.add_metric(labels, int(value))
            yield family


def metrics_exposition() -> bytes:
    """The text Prometheus scrapes: this process's (or this host's gunicorn workers') metrics, then the
    installation's. (django-prometheus's own view reads the same registry but has no access rule: the
    view in views.py serves this instead.)"""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
        own = generate_latest(registry)
    else:
        own = generate_latest(REGISTRY)
    installation = CollectorRegistry(auto_describe=False)
    installation.register(InstallationCollector())
    return own + generate_latest(installation)


def metrics_authorised(request: HttpRequest) -> bool:
    """A signed-in staff member, or a scraper sending `Authorization: Bearer <METRICS_TOKEN>`."""
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    scheme, _, presented = header.partition(" ")
    if (
        token
        and scheme.lower() == "bearer"
        and hmac.compare_digest(presented.strip().encode(), token.encode())
    ):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.has_perm("ops.view_metrics"))  # portal/ops/permissions.py
