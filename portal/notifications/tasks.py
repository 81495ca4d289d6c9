"""Celery tasks of the notifications app: thin, take ids, safe to run twice (the services make sure).

Every task acknowledges its message only when done (`acks_late`) and hands it back if the worker
process dies under it (`reject_on_worker_lost`), so a killed worker loses nothing; the services'
unique keys, row locks and claims make the second run a no-op for whatever the first one finished.
A task that fails on the database or the broker is retried with backoff rather than dropped; what a
lost broker or a dead worker takes with it anyway, the outbox sweep publishes again within
TASK_LOST_AFTER_SECONDS (plus one sweep period).
"""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from celery.signals import task_prerun, worker_init
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from . import digests, fan_out, outbox, sending

# E-mail retries: see sending.SEND_MAX_ATTEMPTS (kept here under their former names too).
SEND_MAX_RETRIES = sending.SEND_MAX_ATTEMPTS - 1
SEND_RETRY_BACKOFF = sending.SEND_RETRY_BACKOFF
SEND_RETRY_BACKOFF_MAX = sending.SEND_RETRY_BACKOFF_MAX

# The database or the broker did not answer: worth retrying soon, not worth dropping the task.
INFRASTRUCTURE_ERRORS: tuple[type[Exception], ...] = (
    OperationalError,
    InterfaceError,
    BrokerError,
    RedisConnectionError,
    RedisTimeoutError,
)

RELIABLE: dict[str, Any] = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": INFRASTRUCTURE_ERRORS,
    "retry_backoff": 1,
    "retry_backoff_max": settings.TASK_RETRY_BACKOFF_MAX_SECONDS,
    "retry_jitter": True,
    # About ten minutes of outage at the longest backoff; the sweep takes over after that.
    "max_retries": 15,
}


@shared_task(**RELIABLE)
def publish_event(event_id: int) -> int:
    """Fan an outbox event out to its recipients, then queue its e-mails in batches. Returns how many."""
    delivery_ids = fan_out.event_fan_out(event_id=event_id)
    sending.deliveries_queue(delivery_ids=delivery_ids)
    return len(delivery_ids)


@shared_task(**RELIABLE)
def send_deliveries(delivery_ids: list[int]) -> dict[str, int]:
    """Send a batch of e-mail deliveries over one mail connection, each at most once; retry failures."""
    outcome = sending.deliveries_send(delivery_ids=delivery_ids)
    if outcome.retry:
        sending.deliveries_queue(delivery_ids=outcome.retry, countdown=outcome.delay)
    return {"sent": len(outcome.sent), "failed": len(outcome.failed), "retry": len(outcome.retry)}


@shared_task(**RELIABLE)
def send_delivery(delivery_id: int) -> str:
    """Send one e-mail delivery (messages queued by an earlier release carry this task)."""
    return sending.delivery_send(delivery_id=delivery_id)


@shared_task(**RELIABLE)
def outbox_sweep() -> dict[str, int]:
    """Publish outbox events the fast path could not or whose task was lost, and requeue lost e-mails
    (beat: every OUTBOX_SWEEP_SECONDS)."""
    return {"events": outbox.outbox_sweep(), "deliveries": sending.deliveries_sweep()}


@shared_task(**RELIABLE)
def send_reminders(now: str | None = None) -> dict[str, int]:
    """Record the reminders and escalations due (beat: daily). `now` (ISO) lets a test move time."""
    moment = parse_datetime(now) if now else None
    return outbox.reminders_send(now=moment)


@shared_task(**RELIABLE)
def send_digests(on: str | None = None) -> int:
    """Send each user's daily digest (beat: daily). `on` (ISO date) names the digest's day."""
    day: datetime.date | None = parse_date(on) if on else None
    digest_ids = digests.digests_prepare(on=day)
    sending.deliveries_queue(delivery_ids=digest_ids)
    return len(digest_ids)


@worker_init.connect
def _compile_urls_in_every_language(**kwargs: Any) -> None:
    """Compile the URL patterns in each language when the worker starts, before its pool forks.

    Notifications and e-mails reverse URLs in the recipient's language, and Django compiles every
    pattern of the project the first time it reverses in a language: a second or more, which each
    pool process would otherwise pay in its first task (in each language).
    """
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            reverse("notifications:list")


@task_prerun.connect
def _drop_broken_database_connections(**kwargs: Any) -> None:
    """Workers keep their connection between tasks (CELERY_DB_REUSE_MAX); one that failed (a database
    restart) or outlived CONN_MAX_AGE is closed here, before a task would fail on it."""
    task = kwargs.get("task")
    if task is not None and getattr(task.request, "is_eager", False):
        return  # run in-process, inside the caller's transaction: not the worker's connection to manage
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
