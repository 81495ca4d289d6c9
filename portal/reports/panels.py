"""The dashboard's panels for the people who work on requests: the officer's, the reviewer's and the
Council secretary's."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.core.charts import ChartSpec, Series
from workprogrammes.council.models import AgendaItem, AgendaItemStatus, CouncilMeeting, CouncilMeetingStatus
from workprogrammes.council.selectors import requests_for_agenda
from workprogrammes.requests.models import InclusionRequest, InclusionRequestStatus
from workprogrammes.requests.selectors import (
    inclusion_request_list_mine,
    inclusion_request_queue,
    inclusion_request_visible_to,
)

S = InclusionRequestStatus

# Rows a dashboard list shows before linking to the full page.
DASHBOARD_LIST_LENGTH = 8


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


@dataclass
class OfficerPanel:
    by_status: list[StatusCount]
    owed: list[InclusionRequest]
    drafts: int
    returned: int
    chart: ChartSpec


@dataclass
class ReviewerPanel:
    queue_total: int
    overdue_total: int
    queue: list[InclusionRequest]
    overdue: list[InclusionRequest]


@dataclass
class SecretaryPanel:
    next_meeting: CouncilMeeting | None
    agenda: list[AgendaItem]
    silences: list[AgendaItem]
    awaiting_agenda: int


def counts_by_status(requests: QuerySet[InclusionRequest]) -> dict[str, int]:
    """How many of these requests stand at each status (statuses with none are absent)."""
    return dict(requests.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))


def status_counts(counts: Mapping[str, int], statuses: list[str]) -> list[StatusCount]:
    """The count and label of each of these statuses, in their order."""
    labels = dict(S.choices)
    return [StatusCount(status=s, label=str(labels[s]), count=int(counts.get(s, 0))) for s in statuses]


def status_chart(*, key: str, title: str | Promise, rows: list[StatusCount]) -> ChartSpec:
    """A bar chart of requests per status."""
    return ChartSpec(
        key=key,
        kind="bar",
        title=title,
        category_label=_("Status"),
        labels=[row.label for row in rows],
        series=[Series(label=_("Requests"), values=[row.count for row in rows])],
    )


def officer_panel(*, user: User) -> OfficerPanel:
    """An officer's requests by status, and what they owe: drafts to submit, returned ones to resubmit."""
    mine = inclusion_request_list_mine(user=user)
    counts = counts_by_status(mine)
    by_status = [row for row in status_counts(counts, list(S.values)) if row.count]
    owed = list(
        mine.filter(status__in=(S.DRAFT, S.RETURNED)).order_by("status", "-updated_at", "-pk")[
            :DASHBOARD_LIST_LENGTH
        ]
    )
    chart = status_chart(key="officer-requests", title=_("My requests by status"), rows=by_status)
    return OfficerPanel(
        by_status=by_status,
        owed=owed,
        drafts=int(counts.get(S.DRAFT, 0)),
        returned=int(counts.get(S.RETURNED, 0)),
        chart=chart,
    )


def reviewer_panel(*, user: User, now: datetime.datetime | None = None) -> ReviewerPanel:
    """The review queue: its size, what is overdue, and the first requests of each."""
    now = now or timezone.now()
    queue = inclusion_request_queue(user=user, now=now)
    totals = queue.order_by().aggregate(
        total=Count("pk"), overdue=Count("pk", filter=InclusionRequest.review_overdue_q(now=now))
    )
    overdue = inclusion_request_queue(user=user, overdue=True, now=now)
    return ReviewerPanel(
        queue_total=totals["total"],
        overdue_total=totals["overdue"],
        queue=list(queue[:DASHBOARD_LIST_LENGTH]),
        overdue=list(overdue[:DASHBOARD_LIST_LENGTH]),
    )


def secretary_panel(*, user: User, now: datetime.datetime | None = None) -> SecretaryPanel:
    """The next Council meeting with its agenda, silence procedures running, and requests to schedule."""
    now = now or timezone.now()
    next_meeting = (
        CouncilMeeting.objects.filter(status=CouncilMeetingStatus.PLANNED, date__gte=timezone.localdate(now))
        .annotate(item_count=Count("agenda_items"))
        .order_by("date", "pk")
        .first()
    )
    visible = inclusion_request_visible_to(user=user)
    agenda: list[AgendaItem] = []
    if next_meeting is not None:
        agenda = list(
            next_meeting.agenda_items.filter(request__in=visible)
            .select_related("request__partner")
            .order_by("position", "pk")[:DASHBOARD_LIST_LENGTH]
        )
    silences = list(
        AgendaItem.objects.filter(status=AgendaItemStatus.UNDER_SILENCE, request__in=visible)
        .select_related("meeting", "request__partner")
        .order_by("silence_deadline", "pk")[:DASHBOARD_LIST_LENGTH]
    )
    return SecretaryPanel(
        next_meeting=next_meeting,
        agenda=agenda,
        silences=silences,
        awaiting_agenda=requests_for_agenda(user=user).count(),
    )
