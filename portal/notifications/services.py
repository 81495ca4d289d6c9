"""Writes of the notifications app: recording events (the outbox) and relaying them to Celery."""

from __future__ import annotations

import functools
import logging

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from portal.accounts.models import User

from .models import Event
from .routing import ROUTES

logger = logging.getLogger(__name__)

# The fast path runs after the web request's commit: a broker that does not answer must not hold the
# page, so the connection gets a short timeout and no publish retries (the sweep retries later).
PUBLISH_CONNECT_TIMEOUT = 1.0


def event_record(*, kind: str, target: models.Model, actor: User | None, data: dict | None = None) -> Event:
    """Write an outbox event in the caller's transaction and publish it to Celery once that commits."""
    if kind not in ROUTES:
        raise ValueError(f"Unknown event kind {kind!r}: add it to portal/notifications/routing.py.")
    if target.pk is None:
        raise ValueError("The event target must be saved first.")
    event = Event.objects.create(
        kind=kind,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        actor=actor,
        data=data or {},
    )
    transaction.on_commit(functools.partial(event_publish, event_id=event.pk), robust=True)
    return event


def event_publish(*, event_id: int) -> bool:
    """Send the event to the broker; on failure log it and leave it for the sweep. True if sent."""
    from celery import current_app

    from .tasks import publish_event

    Event.objects.filter(pk=event_id).update(publish_attempts=F("publish_attempts") + 1)
    try:
        if current_app.conf.task_always_eager:
            publish_event.apply_async(args=(event_id,))
        else:
            with current_app.connection_for_write(
                connect_timeout=PUBLISH_CONNECT_TIMEOUT,
                transport_options={
                    "socket_connect_timeout": PUBLISH_CONNECT_TIMEOUT,
                    "socket_timeout": PUBLISH_CONNECT_TIMEOUT,
                },
            ) as connection:
                publish_event.apply_async(args=(event_id,), producer=connection.Producer(), retry=False)
    except Exception:
        # Whatever the broker did, the event row is safe: the sweep publishes it later.
        logger.warning("Event %s not published; the outbox sweep will retry.", event_id, exc_info=True)
        return False
    Event.objects.filter(pk=event_id, published_at__isnull=True).update(published_at=timezone.now())
    return True
