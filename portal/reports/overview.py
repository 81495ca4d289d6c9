"""The dashboard's overview for analysts and staff: the pipeline, times to decision, contributions over
time and programme coverage, cached while the records it reads do not change."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.apps import apps
from django.db import connections, router
from django.db.models import Avg, Count
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from psycopg2 import sql

from operations.selectors import contribution_timeline
from partners.models import Partner
from portal.accounts.models import User
from portal.core.charts import ChartSpec, Series
from portal.core.i18n import localized_text
from workprogrammes.programmes.models import Objective, ProgrammeActivityStatus, WorkProgramme
from workprogrammes.programmes.selectors import activities_visible_to, programmes_visible_to
from workprogrammes.requests.models import InclusionRequestStatus
from workprogrammes.requests.selectors import inclusion_request_visible_to

from .panels import StatusCount, counts_by_status, status_chart, status_counts
from .tabular.base import Median
from .tabular.requests import days_to_decision, decided_requests

S = InclusionRequestStatus


# Partner-operation series drawn on the contributions chart, and listed in the table beside it (the
# largest first; at scale there are hundreds of pairs, and the contributions report has them all).
CONTRIBUTION_SERIES_TABLED = 20
# The chart draws every series its table lists: a reader compares the two.
CONTRIBUTION_SERIES_DRAWN = CONTRIBUTION_SERIES_TABLED


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
            str(int(user.clearance)),
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
    pipeline = status_counts(counts_by_status(visible), list(S.values))
    pipeline_chart = status_chart(key="pipeline", title=_("Requests by status"), rows=pipeline)

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
