"""Reads of the Council's work: meetings, their agendas and decisions, limited to what the user may see."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Exists, OuterRef, Q, QuerySet

from portal.accounts.models import User

from ..requests.models import (
    InclusionRequest,
)
from ..requests.models import InclusionRequestStatus as S
from ..requests.selectors import _for_lists, inclusion_request_visible_to
from .models import AGENDA_ITEM_OPEN, AgendaItem, AgendaItemStatus, CouncilDecision, CouncilMeeting


def council_items_of(*, request: InclusionRequest) -> QuerySet[AgendaItem]:
    return request.agenda_items.select_related("meeting").order_by("meeting__date", "pk")


def decisions_of(*, request: InclusionRequest) -> QuerySet[CouncilDecision]:
    return request.decisions.select_related("meeting", "recorded_by").order_by("recorded_at", "pk")


def council_meeting_list(*, user: User) -> QuerySet[CouncilMeeting]:
    """Meetings, the planned ones first (soonest first), then the held ones (latest first); the item
    counts count only the requests the user may see."""
    from django.db.models import Count

    visible = Q(agenda_items__request__in=inclusion_request_visible_to(user=user))
    return CouncilMeeting.objects.annotate(
        item_count=Count("agenda_items", filter=visible),
        open_count=Count("agenda_items", filter=visible & Q(agenda_items__status__in=AGENDA_ITEM_OPEN)),
    ).order_by("status", "-date", "-pk")


def agenda_of(*, meeting: CouncilMeeting, user: User) -> QuerySet[AgendaItem]:
    """The meeting's agenda items in order, those naming a request the user may see (the request
    page's rule, inclusion_request_visible_to): an item above the user's clearance is not listed."""
    return (
        meeting.agenda_items.filter(request__in=inclusion_request_visible_to(user=user))
        .select_related("request__partner", "request__catalogue_item", "request__programme_activity")
        .order_by("position", "pk")
    )


def agenda_hidden_count(*, meeting: CouncilMeeting, user: User, statuses: Iterable[str]) -> int:
    """How many items of the meeting in these statuses name a request the user may not see."""
    return (
        meeting.agenda_items.filter(status__in=list(statuses))
        .exclude(request__in=inclusion_request_visible_to(user=user))
        .count()
    )


def meeting_decisions(*, meeting: CouncilMeeting, user: User) -> QuerySet[CouncilDecision]:
    """The decisions recorded at the meeting on requests the user may see."""
    return (
        meeting.decisions.filter(request__in=inclusion_request_visible_to(user=user))
        .select_related("request", "recorded_by")
        .order_by("pk")
    )


def requests_for_agenda(*, user: User) -> QuerySet[InclusionRequest]:
    """Requests a secretary can put on an agenda: awaiting the Council and on no open agenda, or deferred."""
    on_open_agenda = AgendaItem.objects.filter(request=OuterRef("pk"), status__in=AGENDA_ITEM_OPEN)
    return (
        _for_lists(inclusion_request_visible_to(user=user))
        .filter(status__in=(S.AWAITING_COUNCIL, S.DEFERRED))
        .exclude(Exists(on_open_agenda))
        .order_by("submitted_at", "pk")
    )


def agenda_items_under_silence(*, meeting: CouncilMeeting, user: User) -> QuerySet[AgendaItem]:
    return agenda_of(meeting=meeting, user=user).filter(status=AgendaItemStatus.UNDER_SILENCE)
