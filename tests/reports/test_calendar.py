"""The per-user ICS feed: reached only with its secret token, holding what concerns the user."""

from __future__ import annotations

import datetime
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from portal.core.models import Marking
from portal.reports.models import CalendarFeed
from portal.reports.services import calendar_feed_get_or_create
from tests.factories import PartnerFactory, ProgrammeActivityFactory, WorkProgrammeFactory
from tests.workprogrammes.request_factories import (
    AgendaItemFactory,
    CouncilMeetingFactory,
    InclusionRequestFactory,
)

from .helpers import user_with_roles

pytestmark = pytest.mark.django_db


def _events(response: Any) -> dict[str, Any]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["uid"]).split("@")[0]: event for event in calendar.walk("VEVENT")}


def _feed(client: Client, user: Any) -> dict[str, Any]:
    token = calendar_feed_get_or_create(user=user).token
    return _events(client.get(reverse("calendar-feed", args=[token])))


def _this_year(day: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=day)


def test_an_officers_feed_has_their_desks_activities_meetings_and_silence_deadlines(
    client: Client, officer: Any, partner: Any
) -> None:
    programme = WorkProgrammeFactory(partner=partner, year=timezone.localdate().year)
    mine = ProgrammeActivityFactory(
        programme=programme, start_date=_this_year(10), end_date=_this_year(12), title_en="Staff talks"
    )
    other = ProgrammeActivityFactory(
        programme=WorkProgrammeFactory(partner=PartnerFactory(), year=timezone.localdate().year),
        start_date=_this_year(10),
        end_date=_this_year(12),
    )
    restricted = ProgrammeActivityFactory(
        programme=programme, start_date=_this_year(5), end_date=_this_year(5), marking=Marking.NATO_RESTRICTED
    )
    request = InclusionRequestFactory(
        partner=partner, desk=officer.desks.get(), requested_by=officer, status="awaiting_council"
    )
    meeting = CouncilMeetingFactory(date=_this_year(20), reference="C-M(2026)0042")
    deadline = timezone.now() + datetime.timedelta(days=3)
    item = AgendaItemFactory(
        meeting=meeting, request=request, status="under_silence", silence_deadline=deadline
    )
    unrelated_meeting = CouncilMeetingFactory(date=_this_year(30))

    events = _feed(client, officer)

    activity = events[f"activity-{mine.pk}"]
    assert activity["summary"] == "Japan: Staff talks"
    assert activity.decoded("dtstart") == mine.start_date
    assert activity.decoded("dtend") == mine.end_date + datetime.timedelta(days=1), (
        "all-day DTEND is exclusive"
    )
    assert f"activity-{other.pk}" not in events, "another desk's partner"
    assert f"activity-{restricted.pk}" not in events, "the feed carries nothing above NATO UNCLASSIFIED"
    assert events[f"council-meeting-{meeting.pk}"]["summary"] == "North Atlantic Council: C-M(2026)0042"
    assert f"council-meeting-{unrelated_meeting.pk}" not in events
    silence = events[f"silence-{item.pk}"]
    assert silence.decoded("dtstart") == deadline.replace(microsecond=0)
    assert request.reference in str(silence["summary"])


def test_a_reviewers_feed_has_the_review_due_dates_of_their_queue(
    client: Client, reviewer: Any, partner: Any
) -> None:
    due = timezone.now() + datetime.timedelta(days=4)
    waiting = InclusionRequestFactory(partner=partner, status="submitted", due_at=due)
    theirs = InclusionRequestFactory(partner=partner, status="under_review", due_at=due, reviewer=reviewer)
    someone_elses = InclusionRequestFactory(
        partner=partner, status="under_review", due_at=due, reviewer=user_with_roles("r2", Role.REVIEWER)
    )

    events = _feed(client, reviewer)

    assert f"review-due-{waiting.pk}-r1" in events and f"review-due-{theirs.pk}-r1" in events
    assert f"review-due-{someone_elses.pk}-r1" not in events
    assert str(events[f"review-due-{theirs.pk}-r1"]["summary"]) == f"Review due: {theirs.reference} (Japan)"


def test_the_feed_works_without_signing_in_but_only_with_the_right_token(
    client: Client, analyst: Any
) -> None:
    feed = calendar_feed_get_or_create(user=analyst)

    assert client.get(reverse("calendar-feed", args=[feed.token])).status_code == 200
    assert client.get(reverse("calendar-feed", args=["x" * 43])).status_code == 404
    assert client.get(reverse("calendar-feed", args=[feed.token[:-1]])).status_code == 404
    assert client.get("/calendar/.ics").status_code == 404


def test_a_deactivated_users_feed_is_gone(client: Client, analyst: Any) -> None:
    feed = calendar_feed_get_or_create(user=analyst)
    analyst.is_active = False
    analyst.save(update_fields=["is_active"])

    assert client.get(reverse("calendar-feed", args=[feed.token])).status_code == 404


def test_regenerating_the_address_cuts_off_the_old_one(client: Client, analyst: Any) -> None:
    client.force_login(analyst)
    assert b"Create my calendar address" in client.get(reverse("reports:calendar")).content

    client.post(reverse("reports:calendar-regenerate"))
    first = CalendarFeed.objects.get(user=analyst).token
    page = client.get(reverse("reports:calendar")).content.decode()
    assert f"/calendar/{first}.ics" in page

    client.post(reverse("reports:calendar-regenerate"))
    second = CalendarFeed.objects.get(user=analyst).token
    client.logout()
    assert second != first
    assert client.get(reverse("calendar-feed", args=[first])).status_code == 404
    assert client.get(reverse("calendar-feed", args=[second])).status_code == 200


def test_the_calendar_page_needs_a_signed_in_user(client: Client) -> None:
    response = client.get(reverse("reports:calendar"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_feed_is_in_the_users_language(client: Client, analyst: Any, partner: Any) -> None:
    analyst.preferred_language = "fr"
    analyst.save(update_fields=["preferred_language"])
    programme = WorkProgrammeFactory(partner=partner, year=timezone.localdate().year)
    activity = ProgrammeActivityFactory(
        programme=programme, start_date=_this_year(1), end_date=_this_year(1), title_fr="Cours de langue"
    )

    events = _feed(client, analyst)

    assert str(events[f"activity-{activity.pk}"]["summary"]) == "Japon: Cours de langue"
