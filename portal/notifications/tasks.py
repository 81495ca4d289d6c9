"""Celery tasks of the notifications app: thin, take ids, safe to run twice (the services make sure).

Every task acknowledges its message only when done (`acks_late`) and hands it back if the worker
process dies under it (`reject_on_worker_lost`), so a killed worker loses nothing; the services'
unique keys and row locks make the second run a no-op for whatever the first one finished.
"""

from __future__ import annotations

import datetime
from typing import Any

from celery import shared_task
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
def outbox_sweep() -> int:
    """Publish outbox events the fast path could not (beat: every minute)."""
    return services.outbox_sweep()


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
