"""Reads of the reports app: a report's export source, the user's exports, and the role dashboards."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.apps import apps
from django.db import connections, router
from django.db.models import Avg, Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from psycopg2 import sql

from operations.selectors import contribution_timeline
from partners.models import Partner
from portal.accounts.models import Role, User
from portal.core.charts import ChartSpec, Series
from portal.core.i18n import localized_text
from workprogrammes.council.models import AgendaItem, AgendaItemStatus, CouncilMeeting, CouncilMeetingStatus
from workprogrammes.council.selectors import requests_for_agenda
from workprogrammes.programmes.models import Objective, ProgrammeActivityStatus, WorkProgramme
from workprogrammes.programmes.selectors import activities_visible_to, programmes_visible_to
from workprogrammes.requests.models import InclusionRequest, InclusionRequestStatus
from workprogrammes.requests.selectors import (
    inclusion_request_list_mine,
    inclusion_request_queue,
    inclusion_request_visible_to,
)

from .exporters import ExportSource
from .models import ExportJob
from .registry import Median, Report, days_to_decision, decided_requests

S = InclusionRequestStatus

# Rows a dashboard list shows before linking to the full page.
DASHBOARD_LIST_LENGTH = 8
# Partner-operation series drawn on the contributions chart, and listed in the table beside it (the
# largest first; at scale there are hundreds of pairs, and the contributions report has them all).
CONTRIBUTION_SERIES_TABLED = 20
# The chart draws every series its table lists: a reader compares the two.
CONTRIBUTION_SERIES_DRAWN = CONTRIBUTION_SERIES_TABLED


def export_source(*, report: Report, user: Any, filters: Mapping[str, Any], sort: str | None) -> ExportSource:
    """What an export of this report writes for these filters and sorting: the page's rows, all pages."""
    return ExportSource(
        report=report,
        marking=report.marking(user=user, filters=filters),
        headers=report.headers(),
        queryset=report.rows(user=user, filters=filters, sort=sort),
        formatter=report.formatter(),
    )


def export_jobs_of(*, user: User, limit: int = 10) -> QuerySet[ExportJob]:
    """The user's most recent exports, newest first."""
    return ExportJob.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]


def export_job_get(*, user: Any, pk: int) -> ExportJob | None:
    """One of the user's own exports (nobody else's: an export may hold what only its owner may read)."""
    return ExportJob.objects.filter(pk=pk, user_id=user.pk).first()


# --- Dashboards -------------------------------------------------------------------------------------


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


@dataclass
class CoverageRow:
    programme: WorkProgramme
    counts: list[int]

    @property
    def missing(self) -> list[bool]:
        return [count == 0 for count in self.counts]

    @property
    def lacks_any(self) -> bool:
        return any(count == 0 for count in self.counts)


@dataclass
class AnalystPanel:
    pipeline: list[StatusCount]
    pipeline_chart: ChartSpec
    decided: int
    median_days: float | None
    mean_days: float | None
    decision_chart: ChartSpec
    contributions_chart: ChartSpec
    coverage_year: int | None
    coverage_objectives: list[tuple[str, str]]
    coverage: list[CoverageRow]
    coverage_chart: ChartSpec
    objectives_lacking: int = 0


@dataclass
class Dashboard:
    user: User
    officer: OfficerPanel | None = None
    reviewer: ReviewerPanel | None = None
    secretary: SecretaryPanel | None = None
    panels: list[str] = field(default_factory=list)
    now: datetime.datetime | None = None
    # The partner the overview's contributions chart is narrowed to (None: every partner).
    partner: Partner | None = None
    # The overview's cache key (overview_cache_key): the page caches its rendered overview under it.
    overview_key: str = ""

    @cached_property
    def analyst(self) -> AnalystPanel | None:
        """The overview, computed when first read (a page whose overview is cached never reads it)."""
        if "analyst" not in self.panels:
            return None
        return analyst_panel(user=self.user, now=self.now, partner=self.partner)


def _status_counts(counts: Mapping[str, int], statuses: list[str]) -> list[StatusCount]:
    labels = dict(S.choices)
    return [StatusCount(status=s, label=str(labels[s]), count=int(counts.get(s, 0))) for s in statuses]


def officer_panel(*, user: User) -> OfficerPanel:
    """An officer's requests by status, and what they owe: drafts to submit, returned ones to resubmit."""
    mine = inclusion_request_list_mine(user=user)
    counts = dict(mine.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    by_status = [row for row in _status_counts(counts, list(S.values)) if row.count]
    owed = list(
        mine.filter(status__in=(S.DRAFT, S.RETURNED)).order_by("status", "-updated_at", "-pk")[
            :DASHBOARD_LIST_LENGTH
        ]
    )
    chart = ChartSpec(
        key="officer-requests",
        kind="bar",
        title=_("My requests by status"),
        category_label=_("Status"),
        labels=[row.label for row in by_status],
        series=[Series(label=_("Requests"), values=[row.count for row in by_status])],
    )
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


def _coverage_year(*, user: User, today: datetime.date) -> int | None:
    """This year if it has programmes, else the latest year that has."""
    years = programmes_visible_to(user=user).filter(year__lte=today.year).order_by("-year")
    return years.values_list("year", flat=True).first()


# The overview reads every request, contribution and programme of the year, whoever looks: the dashboard
# keeps it in the cache, shared by everyone with the same clearance and language, and renders it again as
# soon as any record it reads changes. Every insert and update of those records adds a history event
# (pghistory's triggers): the latest event ids are the data's version. A write whose transaction took its
# event id before a later one committed does not move the version: the expiry bounds that case.
OVERVIEW_CACHE_SECONDS = 60
OVERVIEW_SOURCES = (
    ("workprogrammes", "InclusionRequestEvent"),
    ("workprogrammes", "StatusChangeEvent"),
    ("workprogrammes", "WorkProgrammeEvent"),
    ("workprogrammes", "ProgrammeActivityEvent"),
    ("operations", "ContributionEvent"),
    ("operations", "OperationEvent"),
    ("partners", "PartnerEvent"),
)


def overview_data_version() -> str:
    """The latest history event of each kind of record the overview reads (one query, index lookups)."""
    tables = [apps.get_model(*source)._meta.db_table for source in OVERVIEW_SOURCES]
    query = sql.SQL("SELECT {}").format(
        sql.SQL(", ").join(
            sql.SQL("(SELECT MAX(pgh_id) FROM {})").format(sql.Identifier(table)) for table in tables
        )
    )
    alias = router.db_for_read(apps.get_model(*OVERVIEW_SOURCES[0]))
    with connections[alias].cursor() as cursor:
        cursor.execute(query.as_string(cursor.cursor))
        values = cursor.fetchone()
    return ".".join("-" if value is None else str(value) for value in values)


def overview_cache_key(*, user: User, now: datetime.datetime, partner: Partner | None = None) -> str:
    """The overview depends only on these: the data, the user's clearance, the language, the day and the
    partner its contributions chart is narrowed to."""
    return ":".join(
        (
            "dashboard-overview",
            overview_data_version(),
            str(int(getattr(user, "clearance", 0))),
            get_language() or "",
            timezone.localdate(now).isoformat(),
            partner.iso_code if partner is not None else "",
        )
    )


def analyst_panel(
    *, user: User, now: datetime.datetime | None = None, partner: Partner | None = None
) -> AnalystPanel:
    """The pipeline, times to decision, contributions over time, and programme coverage by objective."""
    now = now or timezone.now()
    visible = inclusion_request_visible_to(user=user)
    counts = dict(visible.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    pipeline = _status_counts(counts, list(S.values))
    pipeline_chart = ChartSpec(
        key="pipeline",
        kind="bar",
        title=_("Requests by status"),
        category_label=_("Status"),
        labels=[row.label for row in pipeline],
        series=[Series(label=_("Requests"), values=[row.count for row in pipeline])],
    )

    decided = decided_requests(user=user)
    overall = decided.order_by().aggregate(
        decided=Count("pk"), median=Median(days_to_decision()), mean=Avg(days_to_decision())
    )
    per_year = list(
        decided.order_by()
        .values(year=ExtractYear("decided_at"))
        .annotate(median=Median(days_to_decision()), n=Count("pk"))
        .order_by("year")
        .values_list("year", "median", "n")
    )
    decision_chart = ChartSpec(
        key="decision-times",
        kind="line",
        title=_("Median days to decision, by year of decision"),
        category_label=_("Year"),
        labels=[str(year) for year, _median, _n in per_year],
        series=[
            Series(
                label=_("Median days"),
                values=[round(float(m), 1) if m is not None else None for _y, m, _n in per_year],
            ),
            Series(
                label=pgettext_lazy("number of requests", "Decided"), values=[n for _y, _m, n in per_year]
            ),
        ],
        # Days and counts do not share an axis: the count is in the table only.
        drawn=1,
    )

    contributions_chart = _contributions_chart(partner=partner)
    coverage_year = _coverage_year(user=user, today=timezone.localdate(now))
    coverage = _coverage(user=user, year=coverage_year)
    objectives = [(str(value), str(label)) for value, label in Objective.choices]
    totals = [sum(row.counts[i] for row in coverage) for i in range(len(objectives))]
    lacking = [sum(1 for row in coverage if row.counts[i] == 0) for i in range(len(objectives))]
    coverage_chart = ChartSpec(
        key="coverage",
        kind="bar",
        title=_("Programme activities by objective"),
        category_label=_("Objective"),
        labels=[label for _value, label in objectives],
        series=[
            Series(label=_("Activities"), values=totals),
            Series(label=_("Programmes lacking it"), values=lacking),
        ],
    )
    return AnalystPanel(
        pipeline=pipeline,
        pipeline_chart=pipeline_chart,
        decided=overall["decided"],
        median_days=round(overall["median"], 1) if overall["median"] is not None else None,
        mean_days=round(float(overall["mean"]), 1) if overall["mean"] is not None else None,
        decision_chart=decision_chart,
        contributions_chart=contributions_chart,
        coverage_year=coverage_year,
        coverage_objectives=objectives,
        coverage=coverage,
        coverage_chart=coverage_chart,
        objectives_lacking=sum(1 for row in coverage if row.lacks_any),
    )


def _contributions_chart(*, partner: Partner | None = None) -> ChartSpec:
    """Peak personnel per year, one series per partner and operation (the largest drawn, all tabled);
    narrowed to one partner when given. The years are those of operations.selectors.contribution_timeline
    (a period counts in every year it covers), as on the partner and operation pages."""
    timeline = contribution_timeline(partner=partner, both_names=True)
    years = timeline.years
    series = [Series(label=name, values=values) for name, values in timeline.personnel.items()]
    series.sort(key=lambda s: -max((v or 0) for v in s.values))
    series = series[:CONTRIBUTION_SERIES_TABLED]
    return ChartSpec(
        key="contributions",
        kind="line",
        title=_("Peak personnel contributed per year, by partner and operation"),
        category_label=_("Year"),
        labels=[str(year) for year in years],
        series=series,
        drawn=CONTRIBUTION_SERIES_DRAWN,
        transpose_table=True,
    )


def _coverage(*, user: User, year: int | None) -> list[CoverageRow]:
    """For each visible programme of the year, its activities per objective (cancelled ones excluded)."""
    if year is None:
        return []
    programmes = list(
        programmes_visible_to(user=user)
        .filter(year=year, partner__deleted_at__isnull=True)
        .select_related("partner")
        .order_by(localized_text("partner__name"), "pk")
    )
    counts: dict[tuple[int, str], int] = {
        (programme_id, objective): n
        for programme_id, objective, n in activities_visible_to(user=user)
        .filter(programme__year=year)
        .exclude(status=ProgrammeActivityStatus.CANCELLED)
        .order_by()
        .values_list("programme_id", "objective")
        .annotate(n=Count("pk"))
        .values_list("programme_id", "objective", "n")
    }
    return [
        CoverageRow(programme=p, counts=[counts.get((p.pk, value), 0) for value in Objective.values])
        for p in programmes
    ]


PANEL_ROLES: dict[str, tuple[str, ...]] = {
    "officer": (Role.OFFICER,),
    "reviewer": (Role.REVIEWER,),
    "secretary": (Role.COUNCIL_SECRETARY,),
    # "Analyst and staff": analysts, viewers (staff) and administrators see the overview.
    "analyst": (Role.ANALYST, Role.VIEWER, Role.ADMINISTRATOR),
}

PANEL_TITLES: dict[str, str | Promise] = {
    "officer": _("My requests"),
    "reviewer": _("Review queue"),
    "secretary": _("The Council"),
    "analyst": _("Overview"),
}


def dashboard_for(
    *, user: User, now: datetime.datetime | None = None, partner: Partner | None = None
) -> Dashboard:
    """The home dashboard: one panel per role the user holds, each limited to what the user may see."""
    now = now or timezone.now()
    dashboard = Dashboard(user=user, now=now, partner=partner)
    if user.has_role(*PANEL_ROLES["officer"]):
        dashboard.officer = officer_panel(user=user)
        dashboard.panels.append("officer")
    if user.has_role(*PANEL_ROLES["reviewer"]):
        dashboard.reviewer = reviewer_panel(user=user, now=now)
        dashboard.panels.append("reviewer")
    if user.has_role(*PANEL_ROLES["secretary"]):
        dashboard.secretary = secretary_panel(user=user, now=now)
        dashboard.panels.append("secretary")
    if user.has_role(*PANEL_ROLES["analyst"]):
        dashboard.overview_key = overview_cache_key(user=user, now=now, partner=partner)
        dashboard.panels.append("analyst")
    return dashboard
