"""Reads of the notifications app: a user's notifications and preferences, and what reminders are due."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.accounts.models import User

from .models import Delivery, Event, Notification, NotificationMode, NotificationPreference
from .registry import ROUTES


def notifications_for(
    *, user: User, unread: bool | None = None, kind: str | None = None
) -> QuerySet[Notification]:
    """The user's notifications, newest first, optionally only unread (or read) ones of one kind."""
    rows = Notification.objects.filter(recipient=user).select_related("on_behalf_of")
    if unread is True:
        rows = rows.filter(read_at__isnull=True)
    elif unread is False:
        rows = rows.filter(read_at__isnull=False)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-created_at", "-pk")


def notification_unread_count(*, user: User) -> int:
    """How many notifications the user has not read."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notification_preferences(*, user: User) -> list[dict[str, Any]]:
    """Every kind in the routing table with the user's mode for it (immediately when never set)."""
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "mode"))
    return [
        {
            "kind": kind,
            "label": route.label,
            "mode": chosen.get(kind, NotificationMode.IMMEDIATELY),
            "action_owed": route.action_owed,
        }
        for kind, route in ROUTES.items()
    ]


# --- What the beat tasks remind people of ----------------------------------------------------------
# The workflow models are looked up by name so this app does not import the workprogrammes app.


def notification_backlog(*, waiting_longer_than: datetime.timedelta) -> dict[str, int]:
    """Events not yet fanned out and e-mails not yet sent that have waited longer than that (readiness).

    An e-mail waits from the time it was due: queued, or its retry's time; one waiting for a later
    retry is not counted.
    """
    cutoff = timezone.now() - waiting_longer_than
    events = Event.objects.filter(processed_at__isnull=True, created_at__lt=cutoff).count()
    emails = (
        Delivery.objects.filter(status=Delivery.Status.PENDING)
        .annotate(due=Coalesce("next_attempt_at", "requeued_at", "created_at"))
        .filter(due__lt=cutoff)
        .count()
    )
    return {"events": events, "emails": emails}
