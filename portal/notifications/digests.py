"""The daily digests: each user's digest-mode notifications gathered into one e-mail per day."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from .models import Delivery, Notification, NotificationMode


def digests_prepare(*, on: datetime.date | None = None) -> list[int]:
    """Gather each user's digest-mode notifications into one digest delivery per user and day.

    Returns the digests still to send. Running it again the same day makes no second digest.
    """
    on = on or timezone.localdate()
    recipient_ids = (
        Notification.objects.filter(email_mode=NotificationMode.DIGEST, digest__isnull=True)
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    ids: list[int] = []
    for recipient_id in list(recipient_ids):
        with transaction.atomic():
            digest, _created = Delivery.objects.get_or_create(
                recipient_id=recipient_id, channel=Delivery.Channel.DIGEST, digest_date=on
            )
            digest = Delivery.objects.select_for_update().get(pk=digest.pk)
            if digest.status == Delivery.Status.SENT:
                continue  # today's digest is gone; what came since waits for tomorrow's
            Notification.objects.filter(
                recipient_id=recipient_id, email_mode=NotificationMode.DIGEST, digest__isnull=True
            ).update(digest=digest)
            ids.append(digest.pk)
    # A digest prepared by an earlier run whose sending was lost goes out with this run.
    unsent = Delivery.objects.filter(
        channel=Delivery.Channel.DIGEST, digest_date=on, status=Delivery.Status.PENDING
    ).values_list("pk", flat=True)
    return sorted(set(ids) | set(unsent))
