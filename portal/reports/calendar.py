"""A user's calendar feed (iCalendar): the activities, council meetings and deadlines that concern them.

What concerns whom:
- activities: an officer's desks' partners; everyone else, every activity they may see;
- council meetings: council secretaries and administrators, every meeting; others, the meetings with
  one of "their" requests on the agenda (requested by them, reviewed by them, or of their desks);
- silence deadlines: the same split as meetings;
- review due dates: reviewers, the requests assigned to them or waiting for a reviewer.

A feed leaves the portal for calendar programs on phones and desktops, so it carries only records
marked NATO UNCLASSIFIED or below (and within the user's clearance), and only a bounded window of time.
"""

from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from portal.accounts.models import Role, User
from portal.core.models import Marking
from workprogrammes.council.models import AgendaItem, AgendaItemStatus, CouncilMeeting
from workprogrammes.programmes.models import ProgrammeActivity, ProgrammeActivityStatus
from workprogrammes.programmes.selectors import activities_visible_to
from workprogrammes.requests.models import WAITING_FOR_REVIEW, InclusionRequest
from workprogrammes.requests.selectors import inclusion_request_visible_to

PAST_DAYS = 90
FUTURE_DAYS = 2 * 365
MAX_ACTIVITIES = 2000
# The most a feed may carry, whatever the user's clearance (see the module docstring).
FEED_MARKING_LIMIT = Marking.NATO_UNCLASSIFIED
_WIDE_ROLES = (Role.VIEWER, Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.ANALYST, Role.ADMINISTRATOR)


def _limit(user: User) -> int:
    return min(int(user.clearance), int(FEED_MARKING_LIMIT))


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _url(name: str, *args: Any) -> str:
    try:
        return _absolute(reverse(name, args=args))
    except NoReverseMatch:
        return ""


def _concerning(user: User) -> Q:
    """The requests that are the user's own business."""
    mine = Q(requested_by=user) | Q(reviewer=user)
    if user.has_role(Role.OFFICER):
        mine |= Q(partner_id__in=user.desk_partner_ids)
    return mine


def calendar_activities(*, user: User, today: datetime.date) -> QuerySet[ProgrammeActivity]:
    activities = (
        activities_visible_to(user=user)
        .filter(
            marking__lte=_limit(user),
            programme__marking__lte=_limit(user),
            end_date__gte=today - datetime.timedelta(days=PAST_DAYS),
            start_date__lte=today + datetime.timedelta(days=FUTURE_DAYS),
        )
        .select_related("programme__partner")
        .order_by("start_date", "pk")
    )
    if not user.has_role(*_WIDE_ROLES):
        activities = activities.filter(programme__partner_id__in=user.desk_partner_ids)
    return activities


def _requests(user: User) -> QuerySet[InclusionRequest]:
    requests = inclusion_request_visible_to(user=user).filter(marking__lte=_limit(user))
    if user.has_role(Role.COUNCIL_SECRETARY, Role.ADMINISTRATOR):
        return requests
    return requests.filter(_concerning(user))


def calendar_meetings(*, user: User, today: datetime.date) -> QuerySet[CouncilMeeting]:
    meetings = CouncilMeeting.objects.filter(
        date__gte=today - datetime.timedelta(days=PAST_DAYS),
        date__lte=today + datetime.timedelta(days=FUTURE_DAYS),
    ).order_by("date", "pk")
    if user.has_role(Role.COUNCIL_SECRETARY, Role.ADMINISTRATOR):
        return meetings
    return meetings.filter(agenda_items__request__in=_requests(user)).distinct()


def calendar_silences(*, user: User, now: datetime.datetime) -> QuerySet[AgendaItem]:
    return (
        AgendaItem.objects.filter(
            status=AgendaItemStatus.UNDER_SILENCE,
            silence_deadline__gte=now - datetime.timedelta(days=PAST_DAYS),
            request__in=_requests(user),
        )
        .select_related("meeting", "request__partner")
        .order_by("silence_deadline", "pk")
    )


def calendar_review_deadlines(*, user: User, now: datetime.datetime) -> QuerySet[InclusionRequest]:
    if not user.has_role(Role.REVIEWER):
        return InclusionRequest.objects.none()
    return (
        inclusion_request_visible_to(user=user)
        .filter(marking__lte=_limit(user), status__in=WAITING_FOR_REVIEW, due_at__isnull=False)
        .filter(Q(reviewer=user) | Q(reviewer__isnull=True))
        .exclude(Q(requested_by=user) | Q(submitted_by=user))
        .select_related("partner")
        .order_by("due_at", "pk")
    )


def _event(uid: str, summary: str, stamp: datetime.datetime) -> Event:
    event = Event()
    # UIDs stay the same from one fetch of the feed to the next, so calendars update events in place.
    event.add("uid", f"{uid}@{urlsplit(settings.SITE_URL).hostname or 'ccportal'}")
    event.add("dtstamp", stamp)
    event.add("summary", summary)
    return event


def calendar_ics(*, user: User, now: datetime.datetime | None = None) -> bytes:
    """The user's feed as an iCalendar document, in the user's preferred language."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        calendar = Calendar()
        calendar.add("prodid", "-//NATO//Contact Country Cooperation Portal//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("Contact Country Cooperation Portal"))
        calendar.add("x-wr-timezone", settings.TIME_ZONE)

        for activity in calendar_activities(user=user, today=today)[:MAX_ACTIVITIES]:
            event = _event(
                f"activity-{activity.pk}", f"{activity.programme.partner.name}: {activity.title}", now
            )
            event.add("dtstart", activity.start_date)
            # All-day events end on the day after (DTEND is exclusive).
            event.add("dtend", activity.end_date + datetime.timedelta(days=1))
            if activity.place:
                event.add("location", activity.place)
            event.add("categories", [_("Programme activity")])
            if activity.status == ProgrammeActivityStatus.CANCELLED:
                event.add("status", "CANCELLED")
            event.add("description", f"{activity.get_status_display()} · {activity.get_marking_display()}")
            url = _url("programmes:detail", activity.programme_id)
            if url:
                event.add("url", url)
            calendar.add_component(event)

        for meeting in calendar_meetings(user=user, today=today):
            event = _event(
                f"council-meeting-{meeting.pk}",
                _("North Atlantic Council: %(reference)s") % {"reference": meeting.reference},
                now,
            )
            event.add("dtstart", meeting.date)
            event.add("dtend", meeting.date + datetime.timedelta(days=1))
            event.add("categories", [_("Council meeting")])
            calendar.add_component(event)

        for item in calendar_silences(user=user, now=now):
            deadline = item.silence_deadline
            assert deadline is not None  # the query asks for items under silence, which have one
            event = _event(
                f"silence-{item.pk}",
                _("Silence deadline: %(reference)s (%(partner)s)")
                % {"reference": item.request.reference, "partner": item.request.partner.name},
                now,
            )
            event.add("dtstart", deadline)
            event.add("dtend", deadline + datetime.timedelta(minutes=15))
            event.add("categories", [_("Deadline")])
            calendar.add_component(event)

        for request in calendar_review_deadlines(user=user, now=now):
            due = request.due_at
            assert due is not None  # filtered on due_at
            event = _event(
                f"review-due-{request.pk}-r{request.revision}",
                _("Review due: %(reference)s (%(partner)s)")
                % {"reference": request.reference, "partner": request.partner.name},
                now,
            )
            event.add("dtstart", due)
            event.add("dtend", due + datetime.timedelta(minutes=15))
            event.add("categories", [_("Deadline")])
            calendar.add_component(event)
    return bytes(calendar.to_ical())
