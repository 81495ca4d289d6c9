"""A user's own writes on their notifications: marking them read and choosing their e-mail modes."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User

from .models import Notification, NotificationMode, NotificationPreference
from .registry import ROUTES


def notification_mark_read(*, user: User, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all of them when no ids are given); returns how many."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if notification_ids is not None:
        rows = rows.filter(pk__in=list(notification_ids))
    return rows.update(read_at=timezone.now())


def notification_preferences_set(*, user: User, modes: dict[str, str]) -> None:
    """Save the user's e-mail mode per kind; kinds left at "immediately" keep no row."""
    unknown = set(modes) - set(ROUTES)
    if unknown or set(modes.values()) - set(NotificationMode.values):
        raise ValueError(f"Unknown kinds or modes: {sorted(unknown)}")
    with transaction.atomic():
        NotificationPreference.objects.filter(user=user, kind__in=list(modes)).delete()
        NotificationPreference.objects.bulk_create(
            NotificationPreference(user=user, kind=kind, mode=mode)
            for kind, mode in modes.items()
            if mode != NotificationMode.IMMEDIATELY
        )
