"""The outbox: events recorded in the caller's transaction and published to the broker once it commits,
the sweep that publishes what the fast path could not, and the daily reminders (once per subject and day)."""

from __future__ import annotations

import datetime
import functools
import logging

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from portal.accounts.models import User
from portal.ops.broker import task_publish

from .models import Event
from .registry import REMINDERS, ROUTES

logger = logging.getLogger(__name__)


def event_record(*, kind: str, target: models.Model, actor: User | None, data: dict | None = None) -> Event:
    """Write an outbox event in the caller's transaction and publish it to Celery once that commits."""
    return _event_create(kind=kind, target=target, actor=actor, data=data or {})


def _event_create(
    *, kind: str, target: models.Model, actor: User | None, data: dict, dedup_key: str | None = None
) -> Event:
    if kind not in ROUTES:
        raise ValueError(f"Unknown event kind {kind!r}: register it in its app's notifications.py.")
    if target.pk is None:
        raise ValueError("The event target must be saved first.")
    event = Event.objects.create(
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        actor=actor,
        data=data,
        dedup_key=dedup_key,
    )
    transaction.on_commit(functools.partial(event_publish, event_id=event.pk), robust=True)
    return event


def event_publish(*, event_id: int) -> bool:
    """Send the event to the broker; on failure log it and leave it for the sweep. True if sent."""
    from .tasks import publish_event

    try:
        # The fast path runs after the web request's commit: a broker that does not answer must not
        # hold the page (short timeouts, no retries; the sweep retries later).
        task_publish(publish_event, args=(event_id,))
    except Exception:
        # Whatever the broker did, the event row is safe: the sweep publishes it later.
        logger.warning("Event %s not published; the outbox sweep will retry.", event_id, exc_info=True)
        Event.objects.filter(pk=event_id).update(publish_attempts=F("publish_attempts") + 1)
        return False
    Event.objects.filter(pk=event_id).update(
        publish_attempts=F("publish_attempts") + 1,
        published_at=timezone.now(),  # the latest publication: a lost task is judged from it
    )
    return True


def outbox_sweep(*, now: datetime.datetime | None = None) -> int:
    """Publish the events the fast path could not (broker down) or whose task was lost; returns how many.

    Unpublished events older than a few seconds (so a commit's own fast path is not raced), and
    published ones still unprocessed TASK_LOST_AFTER_SECONDS after their last publication (the broker
    restarted without them, a worker died holding them). Publishing twice is harmless: the fan-out
    runs once per event under the event's row lock.
    """
    now = now or timezone.now()
    lost_after = datetime.timedelta(seconds=settings.TASK_LOST_AFTER_SECONDS)
    unpublished = Event.objects.filter(
        published_at__isnull=True,
        processed_at__isnull=True,
        created_at__lt=now - datetime.timedelta(seconds=5),
    )
    lost = Event.objects.filter(published_at__lt=now - lost_after, processed_at__isnull=True)
    ids = sorted(set(unpublished.values_list("pk", flat=True)) | set(lost.values_list("pk", flat=True)))
    sent = 0
    for event_id in ids:
        if not event_publish(event_id=event_id):
            break  # the broker is still away; the next sweep tries again
        sent += 1
    return sent


# --- Reminders (the beat tasks call these; each is recorded at most once per subject and day) -------


def reminder_record(*, kind: str, target: models.Model, data: dict, on: datetime.date) -> Event | None:
    """Record a reminder event for today unless one was already recorded; None if it was."""
    content_type = ContentType.objects.get_for_model(target)
    key = f"{kind}:{content_type.pk}:{target.pk}:{on.isoformat()}"
    if Event.objects.filter(dedup_key=key).exists():
        return None
    try:
        with transaction.atomic():
            return _event_create(kind=kind, target=target, actor=None, data=data, dedup_key=key)
    except IntegrityError:
        return None  # a concurrent run recorded the same reminder between the check and the insert


def reminders_send(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Record every reminder due now, as the apps registered them (the work programmes': overdue reviews,
    escalations, meetings, silences, programmes); how many of each kind."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    counts = {kind: 0 for reminders in REMINDERS.values() for kind in reminders.kinds}

    def record(kind: str, target: models.Model, data: dict) -> None:
        if reminder_record(kind=kind, target=target, data=data, on=today) is not None:
            counts[kind] += 1

    for reminders in REMINDERS.values():
        reminders.record_due(now, today, record)
    return counts
