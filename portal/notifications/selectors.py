"""Reads of the notifications app: a user's notifications and preferences, and what reminders are due."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from portal.accounts.models import User

from .models import Delivery, Event, Notification, NotificationMode, NotificationPreference
from .routing import ROUTES


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


def _model(name: str) -> Any:
    return apps.get_model("workprogrammes", name)


def requests_review_overdue(
    *, now: datetime.datetime, by_days: int = 0
) -> Iterator[tuple[Any, datetime.datetime]]:
    """(request, due) for requests waiting for review past their due time (plus `by_days`).

    A request without a due time is due REVIEW_SERVICE_LEVEL_DAYS after it was submitted.
    """
    # "Overdue" and "due" are the requests' own (workprogrammes/requests/selectors.py), read when asked:
    # workprogrammes stands on this app, so this module does not import it when it loads.
    from workprogrammes.requests.selectors import inclusion_requests_review_overdue, review_due

    for request in inclusion_requests_review_overdue(now=now, by_days=by_days):
        due = review_due(request)
        if due is not None:
            yield request, due


def council_meetings_soon(*, on: datetime.date, within_days: int) -> Iterator[tuple[Any, int]]:
    """(meeting, open agenda items) for planned meetings within the next days that have items."""
    meeting_model = _model("CouncilMeeting")
    item_model = _model("AgendaItem")
    meetings = (
        meeting_model.objects.filter(
            status=meeting_model.Status.PLANNED,
            date__gt=on,
            date__lte=on + datetime.timedelta(days=within_days),
        )
        .annotate(
            items=Count(
                "agenda_items",
                filter=Q(
                    agenda_items__status__in=[item_model.Status.SCHEDULED, item_model.Status.UNDER_SILENCE]
                ),
            )
        )
        .filter(items__gt=0)
        .order_by("date", "pk")
    )
    for meeting in meetings:
        yield meeting, meeting.items


def agenda_items_silence_ending(*, on: datetime.date) -> QuerySet[Any]:
    """Agenda items still under silence whose deadline falls on that day."""
    item_model = _model("AgendaItem")
    start = timezone.make_aware(datetime.datetime.combine(on, datetime.time.min))
    return (
        item_model.objects.filter(
            status=item_model.Status.UNDER_SILENCE,
            silence_deadline__gte=start,
            silence_deadline__lt=start + datetime.timedelta(days=1),
        )
        .select_related("request", "meeting")
        .order_by("pk")
    )


def programmes_without_successor(*, on: datetime.date) -> QuerySet[Any]:
    """From December 1st: this year's programmes whose partner has no programme for next year."""
    programme_model = _model("WorkProgramme")
    if on.month != 12:
        return programme_model.objects.none()
    next_year = programme_model.objects.filter(partner=OuterRef("partner"), year=on.year + 1)
    return (
        programme_model.objects.filter(year=on.year)
        .exclude(status=programme_model.Status.CLOSED)
        .filter(~Exists(next_year))
        .select_related("partner")
        .order_by("pk")
    )


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
