"""An administrator's actions on e-mail deliveries: retrying a failed one, and after a backup is restored
holding the pending ones, then releasing or discarding them."""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from .fan_out import event_fan_out
from .models import Delivery, Event
from .sending import deliveries_queue


def delivery_retry(*, delivery: Delivery) -> bool:
    """Put a failed delivery back in the queue (an administrator's action). True if queued."""
    return _deliveries_requeue(ids=[delivery.pk], from_status=Delivery.Status.FAILED) == 1


def deliveries_release(*, delivery_ids: Iterable[int]) -> int:
    """Send the held deliveries after all (an administrator's decision after a restore); returns how many."""
    return _deliveries_requeue(ids=list(delivery_ids), from_status=Delivery.Status.HELD)


def deliveries_discard(*, delivery_ids: Iterable[int]) -> int:
    """Never send these held deliveries (an administrator's decision after a restore); returns how many."""
    return Delivery.objects.filter(pk__in=list(delivery_ids), status=Delivery.Status.HELD).update(
        status=Delivery.Status.DISCARDED, last_error="Discarded by an administrator after a restore."
    )


def _deliveries_requeue(*, ids: list[int], from_status: str) -> int:
    with transaction.atomic():
        chosen = list(
            Delivery.objects.select_for_update()
            .filter(pk__in=ids, status=from_status)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=chosen).update(
            status=Delivery.Status.PENDING,
            attempts=0,
            claimed_at=None,
            next_attempt_at=timezone.now(),
        )
        if chosen:
            transaction.on_commit(functools.partial(deliveries_queue, delivery_ids=chosen))
    return len(chosen)


def deliveries_hold_restored(*, before: datetime.datetime | None = None) -> dict[str, int]:
    """After a backup is restored: hold every e-mail it recorded as pending, created before `before`.

    The restored database does not know which of them went out between the backup and the loss, so
    none is sent until an administrator releases or discards it. Events the backup held unprocessed
    are fanned out first (their in-app notifications appear), and their e-mails are held as well.
    """
    before = before or timezone.now()
    events = list(
        Event.objects.filter(processed_at__isnull=True, created_at__lt=before)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    with transaction.atomic():
        for event_id in events:
            event_fan_out(event_id=event_id)
        held = (
            Delivery.objects.filter(status=Delivery.Status.PENDING)
            .filter(models.Q(created_at__lt=before) | models.Q(event_id__in=events))
            .update(status=Delivery.Status.HELD, claimed_at=None)
        )
    return {"events": len(events), "held": held}
