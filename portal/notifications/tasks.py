"""Celery tasks of the notifications app: thin, take ids, safe to run twice (the services make sure).

Every task acknowledges its message only when done (`acks_late`) and hands it back if the worker
process dies under it (`reject_on_worker_lost`), so a killed worker loses nothing; the services'
unique keys and row locks make the second run a no-op for whatever the first one finished.
"""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
from celery.signals import task_prerun, worker_init
from django.conf import settings
from django.db import connections
from django.urls import reverse
from django.utils import translation
from django.utils.dateparse import parse_date, parse_datetime

from . import services

# E-mail retries: 1, 2, 4, 8, 16 minutes (with jitter), then the delivery is marked failed. The broker
# holds a retried message until its countdown; Redis's visibility timeout must be longer than the
# longest delay or the message would be delivered twice (a test holds this).
SEND_MAX_RETRIES = 5
SEND_RETRY_BACKOFF = 60
SEND_RETRY_BACKOFF_MAX = 30 * 60

RELIABLE: dict[str, Any] = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**RELIABLE)
def publish_event(event_id: int) -> int:
    """Fan an outbox event out to its recipients, then queue each e-mail. Returns how many."""
    delivery_ids = services.event_fan_out(event_id=event_id)
    for delivery_id in delivery_ids:
        send_delivery.delay(delivery_id)
    return len(delivery_ids)


@shared_task(
    bind=True,
    autoretry_for=services.TRANSIENT_SEND_ERRORS,
    max_retries=SEND_MAX_RETRIES,
    retry_backoff=SEND_RETRY_BACKOFF,
    retry_backoff_max=SEND_RETRY_BACKOFF_MAX,
    retry_jitter=True,
    **RELIABLE,
)
def send_delivery(self: Any, delivery_id: int) -> str:
    """Send one e-mail delivery (a notification or a digest) at most once."""
    final = self.request.retries >= SEND_MAX_RETRIES
    return services.delivery_send(delivery_id=delivery_id, final_attempt=final)


@shared_task(**RELIABLE)
def outbox_sweep() -> dict[str, int]:
    """Publish outbox events the fast path could not, and requeue lost e-mails (beat: every minute)."""
    return {"events": services.outbox_sweep(), "deliveries": services.deliveries_sweep()}


@shared_task(**RELIABLE)
def send_reminders(now: str | None = None) -> dict[str, int]:
    """Record the reminders and escalations due (beat: daily). `now` (ISO) lets a test move time."""
    moment = parse_datetime(now) if now else None
    return services.reminders_send(now=moment)


@shared_task(**RELIABLE)
def send_digests(on: str | None = None) -> int:
    """Send each user's daily digest (beat: daily). `on` (ISO date) names the digest's day."""
    day: datetime.date | None = parse_date(on) if on else None
    digest_ids = services.digests_prepare(on=day)
    for digest_id in digest_ids:
        send_delivery.delay(digest_id)
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
