"""Reminders and escalation (the beat tasks), each recorded at most once per subject and day."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from portal.notifications.models import Event, Notification
from portal.notifications.outbox import reminders_send
from tests.factories import WorkProgrammeFactory
from workprogrammes.council.models import AgendaItem, CouncilMeeting
from workprogrammes.requests.models import InclusionRequest

pytestmark = pytest.mark.django_db


def _at(day: datetime.date, hour: int = 7) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _run(capture: Any, now: datetime.datetime) -> dict[str, int]:
    with capture(execute=True):
        return reminders_send(now=now)


def _told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_overdue_review_reminds_the_assigned_reviewer_once_a_day(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    due = timezone.now()
    request = make_request(
        status=InclusionRequest.Status.UNDER_REVIEW, reviewer=world.other_reviewer, due_at=due
    )
    make_request(status=InclusionRequest.Status.RETURNED, due_at=due)  # not waiting for review
    day = timezone.localdate(due) + datetime.timedelta(days=1)

    assert _run(django_capture_on_commit_callbacks, _at(day))["reminder.review_overdue"] == 1
    assert _run(django_capture_on_commit_callbacks, _at(day, 15))["reminder.review_overdue"] == 0
    assert _told("reminder.review_overdue") == {"other_reviewer"}
    (message,) = mail.outbox
    assert message.subject.startswith(f"[{request.reference}] The review of {request.reference} is overdue")
    # The next day, a new reminder.
    assert (
        _run(django_capture_on_commit_callbacks, _at(day + datetime.timedelta(days=1)))[
            "reminder.review_overdue"
        ]
        == 1
    )


def test_unassigned_overdue_review_reminds_the_desk_reviewers(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_request(due_at=timezone.now() - datetime.timedelta(hours=1))
    _run(django_capture_on_commit_callbacks, timezone.now())
    assert _told("reminder.review_overdue") == {"desk_reviewer"}


def test_request_without_due_time_is_due_after_the_service_level(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.REVIEW_SERVICE_LEVEL_DAYS = 10
    submitted = timezone.now()
    make_request(submitted_at=submitted, due_at=None)
    assert (
        _run(django_capture_on_commit_callbacks, submitted + datetime.timedelta(days=9))[
            "reminder.review_overdue"
        ]
        == 0
    )
    assert (
        _run(django_capture_on_commit_callbacks, submitted + datetime.timedelta(days=11))[
            "reminder.review_overdue"
        ]
        == 1
    )


def test_escalation_after_a_further_delay_tells_the_reviewer_group_and_the_desk_head(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    settings.ESCALATION_DAYS = 5
    # The head is told as one of the desk: a head outside the desk may not open its requests, so is not.
    world.desk.members.add(world.head)
    due = timezone.now()
    request = make_request(reviewer=world.desk_reviewer, due_at=due)
    assert (
        _run(django_capture_on_commit_callbacks, due + datetime.timedelta(days=4))[
            "reminder.review_escalated"
        ]
        == 0
    )
    counts = _run(django_capture_on_commit_callbacks, due + datetime.timedelta(days=6))
    assert counts["reminder.review_escalated"] == 1
    assert _told("reminder.review_escalated") == {"desk_reviewer", "other_reviewer", "head"}
    text = Notification.objects.filter(kind="reminder.review_escalated").first()
    assert text is not None and f"{request.reference} is 6 days overdue" in text.text


def test_council_meeting_soon_with_items_reminds_the_secretaries(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    today = timezone.localdate()
    with_items = CouncilMeeting.objects.create(
        date=today + datetime.timedelta(days=3), reference="C-M(2026)0042"
    )
    CouncilMeeting.objects.create(
        date=today + datetime.timedelta(days=2), reference="C-M(2026)0043"
    )  # empty agenda
    CouncilMeeting.objects.create(date=today + datetime.timedelta(days=9), reference="C-M(2026)0044")
    AgendaItem.objects.create(
        meeting=with_items, request=make_request(status=InclusionRequest.Status.AWAITING_COUNCIL), position=1
    )
    assert _run(django_capture_on_commit_callbacks, timezone.now())["reminder.council_meeting"] == 1
    assert _told("reminder.council_meeting") == {"secretary"}
    notification = Notification.objects.get(kind="reminder.council_meeting")
    assert "C-M(2026)0042" in notification.text and "1 items" in notification.text
    assert _run(django_capture_on_commit_callbacks, timezone.now())["reminder.council_meeting"] == 0


def test_silence_deadline_tomorrow_reminds_the_secretaries_and_the_requester(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    today = timezone.localdate()
    meeting = CouncilMeeting.objects.create(date=today, reference="SIL-1", kind=CouncilMeeting.Kind.SILENCE)
    for position, days in ((1, 1), (2, 2)):
        AgendaItem.objects.create(
            meeting=meeting,
            request=make_request(status=InclusionRequest.Status.AWAITING_COUNCIL),
            position=position,
            status=AgendaItem.Status.UNDER_SILENCE,
            silence_deadline=_at(today + datetime.timedelta(days=days), 12),
        )
    assert _run(django_capture_on_commit_callbacks, timezone.now())["reminder.silence_deadline"] == 1
    assert _told("reminder.silence_deadline") == {"secretary", "officer"}


def test_programme_year_ending_without_a_successor_reminds_the_desk_officers(
    world: SimpleNamespace, django_capture_on_commit_callbacks: Any
) -> None:
    year = timezone.localdate().year
    WorkProgrammeFactory(partner=world.partner, year=year)
    november = _at(datetime.date(year, 11, 30))
    december = _at(datetime.date(year, 12, 1))
    assert _run(django_capture_on_commit_callbacks, november)["reminder.programme_year_ending"] == 0
    assert _run(django_capture_on_commit_callbacks, december)["reminder.programme_year_ending"] == 1
    assert _told("reminder.programme_year_ending") == {"officer"}
    assert str(year + 1) in Notification.objects.filter(kind="reminder.programme_year_ending").first().text

    WorkProgrammeFactory(partner=world.partner, year=year + 1)
    assert (
        _run(django_capture_on_commit_callbacks, december + datetime.timedelta(days=1))[
            "reminder.programme_year_ending"
        ]
        == 0
    )


def test_running_reminders_again_the_same_day_records_nothing_new(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_request(due_at=timezone.now() - datetime.timedelta(days=1))
    for _ in range(3):
        _run(django_capture_on_commit_callbacks, timezone.now())
    assert Event.objects.filter(kind="reminder.review_overdue").count() == 1
