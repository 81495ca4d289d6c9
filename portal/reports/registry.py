"""The analysts' tabular reports, each defined ONCE: its columns, filters, query and row formatter.

The reports page, the CSV and XLSX exports, the background export job and the API all read a report
through this module, so that an export holds exactly the columns and rows the page shows for the same
filters and sorting. A report's query yields tuples in column order (`values_list`), which the
formatter turns into typed values: str, int, Decimal, float (days), datetime.date, or None.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, ClassVar, Literal, cast

from django.db.models import (
    Aggregate,
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    Func,
    IntegerField,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from operations.models import Contribution
from portal.core.i18n import localized_text
from portal.core.models import Marking
from portal.ops.db import reporting_database
from workprogrammes.catalogue.models import CatalogueItem, CatalogueItemKind
from workprogrammes.catalogue.selectors import catalogue_item_list
from workprogrammes.programmes.models import Objective, ProgrammeActivity, ProgrammeActivityStatus
from workprogrammes.programmes.selectors import activities_visible_to, activity_list, activity_outcome_totals
from workprogrammes.requests.models import InclusionRequest, InclusionRequestStatus, StatusChange
from workprogrammes.requests.selectors import inclusion_request_visible_to
from workprogrammes.requests.workflow import APPROVED_STATUSES

from .forms import (
    ActivitiesFilterForm,
    CatalogueUsageFilterForm,
    ContributionsFilterForm,
    DecisionTimesFilterForm,
    OutcomesFilterForm,
    PipelineFilterForm,
    ReportFilterForm,
)
from .models import ReportKind

CellKind = Literal["text", "int", "year", "decimal", "days", "date"]
Row = list[Any]
Formatter = Callable[[tuple[Any, ...]], Row]

# The marking of a report built only from unmarked records (contributions, aggregate counts of nothing).
MARKING_FLOOR = Marking.NATO_UNCLASSIFIED


@dataclass(frozen=True)
class Column:
    """One column: `key` names the value in the report's query and the sort key in the URL."""

    key: str
    label: str | Promise
    kind: CellKind = "text"
    sortable: bool = True
    # Stored codes shown as their label in the reader's language (statuses, objectives, markings).
    choices: Any = None

    @property
    def numeric(self) -> bool:
        return self.kind in ("int", "year", "decimal", "days")


class Median(Aggregate):
    """PostgreSQL's continuous median."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = FloatField()


def _days_between(start: Combinable, end: Combinable) -> Func:
    return Func(
        end - start, template="EXTRACT(EPOCH FROM %(expressions)s) / 86400.0", output_field=FloatField()
    )


def _rank(field: str, values: list[str]) -> Case:
    """Sort codes in their natural (workflow) order rather than alphabetically."""
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def _count(queryset: QuerySet[Any]) -> Coalesce:
    """A correlated COUNT(*) subquery (no GROUP BY on the outer query)."""
    counted = queryset.order_by().annotate(_n=Func(F("pk"), function="COUNT")).values("_n")[:1]
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class Report:
    """A tabular report. Subclasses give the columns, the filter form and `build` (the filtered query)."""

    kind: ClassVar[ReportKind]
    title: ClassVar[str | Promise]
    description: ClassVar[str | Promise]
    columns: ClassVar[tuple[Column, ...]]
    form_class: ClassVar[type[ReportFilterForm]]
    default_sort: ClassVar[str]
    # Extra sort keys after the chosen one, so that pages never shuffle rows between them.
    tiebreak: ClassVar[tuple[str, ...]] = ()

    @property
    def slug(self) -> str:
        return str(self.kind.value)

    def form(self, data: Mapping[str, Any] | None) -> ReportFilterForm:
        """The filter form bound to the query string (an empty one is the whole report)."""
        return self.form_class(data or {})

    def headers(self) -> list[str]:
        """Column headings in the active language."""
        return [str(column.label) for column in self.columns]

    def build(self, *, user: Any, filters: Mapping[str, Any]) -> QuerySet[Any]:
        """The filtered rows, with a value (field or annotation) named after each column key."""
        raise NotImplementedError

    def sort_expressions(self) -> dict[str, Any]:
        """Column keys sorted by something other than their own value."""
        return {}

    def normalize_sort(self, sort: str | None) -> str:
        """The requested sort if it names a sortable column, else the default."""
        key = (sort or "").lstrip("-")
        if any(column.key == key and column.sortable for column in self.columns):
            return str(sort)
        return self.default_sort

    def ordering(self, sort: str | None) -> list[Any]:
        sort = self.normalize_sort(sort)
        descending = sort.startswith("-")
        key = sort.lstrip("-")
        expressions = self.sort_expressions()
        primary = expressions.get(key, F(key))
        ordering = [primary.desc(nulls_last=True) if descending else primary.asc(nulls_last=True)]
        for other in self.tiebreak:
            ordering.append(expressions.get(other, F(other)).asc(nulls_last=True))
        return ordering

    def rows(self, *, user: Any, filters: Mapping[str, Any], sort: str | None = None) -> QuerySet[Any]:
        """The report's rows for the user and validated filters: tuples in column order, sorted."""
        # Read-heavy: on the read replica when there is one (portal/ops/db.py).
        queryset = self.build(user=user, filters=filters).using(reporting_database())
        return queryset.order_by(*self.ordering(sort)).values_list(*(column.key for column in self.columns))

    def formatter(self) -> Formatter:
        """A function from a row tuple to typed values; labels are read once, in the active language."""
        steps: list[Callable[[Any], Any]] = []
        for column in self.columns:
            if column.choices is not None:
                steps.append(_labeller({value: str(label) for value, label in column.choices.choices}))
            else:
                steps.append(_CONVERTERS[column.kind])

        def format_row(values: tuple[Any, ...]) -> Row:
            return [step(value) for step, value in zip(steps, values, strict=True)]

        return format_row

    def marking(self, *, user: Any, filters: Mapping[str, Any]) -> int:
        """The highest marking of the records the report is built from (at least NATO UNCLASSIFIED)."""
        return int(MARKING_FLOOR)

    def filename(self, extension: str) -> str:
        return f"{self.slug.replace('_', '-')}-{timezone.localdate():%Y%m%d}.{extension}"


def _labeller(labels: dict[Any, str]) -> Callable[[Any], str]:
    def label(value: Any) -> str:
        return "" if value is None else labels.get(value, str(value))

    return label


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return timezone.localdate(value)
    return cast("datetime.date | None", value)


def _days(value: Any) -> float | None:
    return None if value is None else round(float(value), 1)


def _identity(value: Any) -> Any:
    return value


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "text": _text,
    "int": _identity,
    "year": _identity,
    "decimal": _decimal,
    "days": _days,
    "date": _date,
}


def _max_marking(*values: int | None) -> int:
    return max([int(MARKING_FLOOR), *(int(v) for v in values if v is not None)])


# --- Contributions by partner, operation and year --------------------------------------------------


class ContributionsReport(Report):
    """People and money each partner gave each operation, per year in which a contribution started.

    Amounts are summed per currency, never across currencies: a partner that sent troops and paid
    into a trust fund in one year has one row for the people and one for each currency.
    """

    kind = ReportKind.CONTRIBUTIONS
    title = _("Contributions by partner, operation and year")
    description = _(
        "Contributions to NATO-led operations, per partner, operation and year in which they started: "
        "how many, the peak personnel and the amount paid, per currency."
    )
    columns = (
        Column("partner_name", _("Partner")),
        Column("operation_name", _("Operation")),
        Column("year", _("Year"), "year"),
        Column("contributions", _("Contributions"), "int"),
        Column("peak_personnel", _("Peak personnel"), "int"),
        Column("amount", _("Amount"), "decimal"),
        Column("currency", _("Currency")),
    )
    form_class = ContributionsFilterForm
    default_sort = "partner_name"
    tiebreak = ("partner_name", "operation_name", "year", "currency")

    def build(self, *, user: Any, filters: Mapping[str, Any]) -> QuerySet[Any]:
        contributions = Contribution.objects.all()
        if filters.get("partner"):
            contributions = contributions.filter(partner=filters["partner"])
        if filters.get("operation"):
            contributions = contributions.filter(operation=filters["operation"])
        if filters.get("kind"):
            contributions = contributions.filter(kind=filters["kind"])
        if filters.get("year_from"):
            contributions = contributions.filter(period_start__year__gte=filters["year_from"])
        if filters.get("year_to"):
            contributions = contributions.filter(period_start__year__lte=filters["year_to"])
        return contributions.values(
            "partner_id",
            "operation_id",
            "currency",
            partner_name=localized_text("partner__name"),
            operation_name=localized_text("operation__acronym"),
            year=ExtractYear("period_start"),
        ).annotate(
            contributions=Count("pk"),
            peak_personnel=Max("personnel"),
            amount=Sum("amount"),
        )


# --- Programme activities ---------------------------------------------------------------------------


class ActivitiesReport(Report):
    """Every programme activity the user's clearance covers, one row each."""

    kind = ReportKind.ACTIVITIES
    title = _("Programme activities")
    description = _(
        "The activities of the annual programmes by partner, year, area of cooperation and status, one "
        "row per activity."
    )
    columns = (
        Column("partner_name", _("Partner")),
        Column("year", _("Year"), "year"),
        Column("activity", _("Activity")),
        Column("item_code", _("Catalogue item")),
        Column("area_name", _("Area of cooperation")),
        Column("objective", _("Objective"), choices=Objective),
        Column("start_date", _("Starts"), "date"),
        Column("end_date", _("Ends"), "date"),
        Column("place", _("Place")),
        Column("status", _("Status"), choices=ProgrammeActivityStatus),
        Column("marking", _("Marking"), choices=Marking),
    )
    form_class = ActivitiesFilterForm
    default_sort = "partner_name"
    tiebreak = ("year", "start_date", "pk")

    def _filtered(self, *, user: Any, filters: Mapping[str, Any]) -> QuerySet[ProgrammeActivity]:
        partner = filters.get("partner")
        activities = activity_list(
            user=user,
            partner=partner.iso_code if partner else "",
            year=filters.get("year"),
            status=filters.get("status") or "",
            objective=filters.get("objective") or "",
        )
        if filters.get("area"):
            activities = activities.filter(catalogue_item__area=filters["area"])
        return activities

    def build(self, *, user: Any, filters: Mapping[str, Any]) -> QuerySet[Any]:
        return self._filtered(user=user, filters=filters).annotate(
            partner_name=localized_text("programme__partner__name"),
            year=F("programme__year"),
            activity=localized_text("title"),
            item_code=F("catalogue_item__code"),
            area_name=localized_text("catalogue_item__area__name"),
        )

    def sort_expressions(self) -> dict[str, Any]:
        return {
            "status": _rank("status", ProgrammeActivityStatus.values),
            "objective": _rank("objective", Objective.values),
        }

    def marking(self, *, user: Any, filters: Mapping[str, Any]) -> int:
        found = (
            self._filtered(user=user, filters=filters)
            .order_by()
            .aggregate(activity=Max("marking"), programme=Max("programme__marking"))
        )
        return _max_marking(found["activity"], found["programme"])


# --- Activity outcomes ------------------------------------------------------------------------------


class OutcomesReport(Report):
    """What the held activities achieved, per partner, year, area of cooperation and catalogue item:
    activities held, how many have their outcome recorded, participants, mean rating, the lessons and
    the follow-up."""

    kind = ReportKind.OUTCOMES
    title = _("Activity outcomes")
    description = _(
        "The outcomes recorded after activities were held, per partner, year, area of cooperation and "
        "catalogue item: activities held, outcomes recorded, participants, mean rating (1 to 5), the "
        "lessons learned and the follow-up."
    )
    columns = (
        Column("partner_name", _("Partner")),
        Column("year", _("Year"), "year"),
        Column("area_name", _("Area of cooperation")),
        Column("item_code", _("Catalogue item")),
        Column("held", _("Activities held"), "int"),
        Column("reported", _("Outcomes recorded"), "int"),
        Column("participants", _("Participants"), "int"),
        Column("mean_rating", _("Mean rating"), "decimal"),
        Column("lessons", _("Lessons learned"), sortable=False),
        Column("follow_up", _("Follow-up"), sortable=False),
    )
    form_class = OutcomesFilterForm
    default_sort = "partner_name"
    tiebreak = ("partner_name", "year", "area_name", "item_code")

    def _totals(self, *, user: Any, filters: Mapping[str, Any]) -> QuerySet[Any]:
        return activity_outcome_totals(
            user=user,
            partner=filters.get("partner"),
            area=filters.get("area"),
            year_from=filters.get("year_from"),
            year_to=filters.get("year_to"),
        )

    def build(self, *, user: Any, filters: Mapping[str, Any]) -> QuerySet[Any]:
        return self._totals(user=user, filters=filters)

    def marking(self, *, user: Any, filters: Mapping[str, Any]) -> int:
        found = (
            self._totals(user=user, filters=filters)
            .order_by()
            .aggregate(activity=Max("marking"), programme=Max("programme_marking"))
        )
        return _max_marking(found["activity"], found["programme"])


# --- The request pipeline and times to decision ----------------------------------------------------


def _requests(*, user: Any, filters: Mapping[str, Any]) -> QuerySet[InclusionRequest]:
    requests = inclusion_request_visible_to(user=user)
    if filters.get("partner"):
        requests = requests.filter(partner=filters["partner"])
    if filters.get("desk"):
        requests = requests.filter(desk=filters["desk"])
    if filters.get("year"):
        requests = requests.filter(created_at__year=filters["year"])
    return requests


class PipelineReport(Report):
    """How many requests stand at each step of the workflow."""

    kind = ReportKind.PIPELINE
    title = _("Request pipeline")
    description = _(
        "Inclusion requests per status: how many, how many need a North Atlantic Council decision, the "
        "oldest submission still at that step, and reviews past their due date."
    )
    columns = (
        Column("status", _("Status"), choices=InclusionRequestStatus),
        Column("requests", _("Requests"), "int"),
        Column("needing_council", _("Need a council decision"), "int"),
        Column("oldest_submitted", _("Oldest submission"), "date"),
        Column("overdue", _("Reviews overdue"), "int"),
    )
    form_class = PipelineFilterForm
    default_sort = "status"

    def build(self, *, user: Any, filters: Mapping[str, Any]) -> QuerySet[Any]:
        now = timezone.now()
        return (
            _requests(user=user, filters=filters)
            .values("status")
            .annotate(
                requests=Count("pk"),
                needing_council=Count("pk", filter=Q(needs_council_decision=True)),
                oldest_submitted=Min("submitted_at"),
                overdue=Count("pk", filter=InclusionRequest.review_overdue_q(now=now)),
            )
        )

    def sort_expressions(self) -> dict[str, Any]:
        return {"status": _rank("status", InclusionRequestStatus.values)}

    def marking(self, *, user: Any, filters: Mapping[str, Any]) -> int:
        found = _requests(user=user, filters=filters).order_by().aggregate(marking=Max("marking"))
        return _max_marking(found["marking"])


def first_submission() -> Coalesce:
    """When a request was first submitted: its first timeline entry to "submitted" (resubmissions reset
    `submitted_at`, but the time to decision counts from the first submission)."""
    first = (
        StatusChange.objects.filter(request=OuterRef("pk"), to_status=InclusionRequestStatus.SUBMITTED)
        .order_by("at", "pk")
        .values("at")[:1]
    )
    return Coalesce(Subquery(first), F("submitted_at"))


def days_to_decision() -> Func:
    return _days_between(first_submission(), F("decided_at"))


def decided_requests(*, user: Any) -> QuerySet[InclusionRequest]:
    """Requests with a final decision (the Council's, or a reviewer's exempt closure)."""
    return inclusion_request_visible_to(user=user).filter(
        decided_at__isnull=False, submitted_at__isnull=False
    )


class DecisionTimesReport(Report):
    """Days from first submission to the final decision, per partner and year of decision."""

    kind = ReportKind.DECISION_TIMES
    title = _("Times to decision")
    description = _(
        "Days from a request's first submission to its final decision (the Council's, or a reviewer's "
        "closure as exempt), per partner and year of decision: median and mean."
    )
    columns = (
        Column("partner_name", _("Partner")),
        Column("year", _("Year of decision"), "year"),
        # Counts of requests, not statuses: their own translations ("Approuvées", not "Approuvée").
        Column("decided", pgettext_lazy("number of requests", "Decided"), "int"),
        Column("approved", pgettext_lazy("number of requests", "Approved"), "int"),
        Column("rejected", pgettext_lazy("number of requests", "Rejected"), "int"),
        Column("median_days", _("Median days"), "days"),
        Column("mean_days", _("Mean days"), "days"),
    )
    form_class = DecisionTimesFilterForm
    default_sort = "partner_name"
    tiebreak = ("partner_name", "year")

    def _filtered(self, *, user: Any, filters: Mapping[str, Any]) -> QuerySet[InclusionRequest]:
        requests = decided_requests(user=user)
        if filters.get("partner"):
            requests = requests.filter(partner=filters["partner"])
        if filters.get("year_from"):
            requests = requests.filter(decided_at__year__gte=filters["year_from"])
        if filters.get("year_to"):
            requests = requests.filter(decided_at__year__lte=filters["year_to"])
        return requests

    def build(self, *, user: Any, filters: Mapping[str, Any]) -> QuerySet[Any]:
        return (
            self._filtered(user=user, filters=filters)
            .values(
                "partner_id", partner_name=localized_text("partner__name"), year=ExtractYear("decided_at")
            )
            .annotate(
                decided=Count("pk"),
                approved=Count("pk", filter=Q(status__in=APPROVED_STATUSES)),
                rejected=Count("pk", filter=Q(status=InclusionRequestStatus.REJECTED)),
                median_days=Median(days_to_decision()),
                mean_days=Avg(days_to_decision()),
            )
        )

    def marking(self, *, user: Any, filters: Mapping[str, Any]) -> int:
        found = self._filtered(user=user, filters=filters).order_by().aggregate(marking=Max("marking"))
        return _max_marking(found["marking"])


# --- Catalogue usage --------------------------------------------------------------------------------


class CatalogueUsageReport(Report):
    """How often each catalogue item is used by programme activities and inclusion requests."""

    kind = ReportKind.CATALOGUE_USAGE
    title = _("Catalogue usage")
    description = _(
        "Each item of the activity catalogue with the number of programme activities and inclusion "
        "requests that use it. With a year: activities of that year's programmes, requests created "
        "that year."
    )
    columns = (
        Column("code", _("Code")),
        Column("item", _("Catalogue item")),
        Column("area_name", _("Area of cooperation")),
        Column("kind", _("Kind"), choices=CatalogueItemKind),
        Column("council", _("Needs a council decision")),
        Column("activity_count", _("Activities"), "int"),
        Column("request_count", _("Requests"), "int"),
    )
    form_class = CatalogueUsageFilterForm
    default_sort = "code"
    tiebreak = ("code",)

    def _usage(
        self, *, user: Any, filters: Mapping[str, Any]
    ) -> tuple[QuerySet[CatalogueItem], QuerySet[ProgrammeActivity], QuerySet[InclusionRequest]]:
        items = catalogue_item_list(user=user)
        if filters.get("area"):
            items = items.filter(area=filters["area"])
        if filters.get("kind"):
            items = items.filter(kind=filters["kind"])
        activities = activities_visible_to(user=user).filter(programme__marking__lte=user.clearance)
        requests = inclusion_request_visible_to(user=user)
        if filters.get("year"):
            activities = activities.filter(programme__year=filters["year"])
            requests = requests.filter(created_at__year=filters["year"])
        return items, activities, requests

    def build(self, *, user: Any, filters: Mapping[str, Any]) -> QuerySet[Any]:
        items, activities, requests = self._usage(user=user, filters=filters)
        yes, no = str(_("Yes")), str(_("No"))
        items = items.annotate(
            item=localized_text("title"),
            area_name=localized_text("area__name"),
            council=Case(When(needs_council_decision=True, then=Value(yes)), default=Value(no)),
            activity_count=_count(activities.filter(catalogue_item=OuterRef("pk"))),
            request_count=_count(
                requests.filter(
                    Q(catalogue_item=OuterRef("pk")) | Q(programme_activity__catalogue_item=OuterRef("pk"))
                )
            ),
        )
        if filters.get("used_only"):
            items = items.filter(Q(activity_count__gt=0) | Q(request_count__gt=0))
        return items

    def sort_expressions(self) -> dict[str, Any]:
        return {"kind": _rank("kind", CatalogueItemKind.values)}

    def marking(self, *, user: Any, filters: Mapping[str, Any]) -> int:
        items, activities, requests = self._usage(user=user, filters=filters)
        item_marking = items.order_by().aggregate(marking=Max("marking"))["marking"]
        activity_marking = (
            activities.filter(Exists(items.filter(pk=OuterRef("catalogue_item_id"))))
            .order_by()
            .aggregate(marking=Max("marking"))["marking"]
        )
        request_marking = (
            requests.filter(
                Q(catalogue_item__in=items.values("pk"))
                | Q(programme_activity__catalogue_item__in=items.values("pk"))
            )
            .order_by()
            .aggregate(marking=Max("marking"))["marking"]
        )
        return _max_marking(item_marking, activity_marking, request_marking)


REPORTS: dict[str, Report] = {
    report.slug: report
    for report in (
        ContributionsReport(),
        ActivitiesReport(),
        PipelineReport(),
        DecisionTimesReport(),
        CatalogueUsageReport(),
        OutcomesReport(),
    )
}


def report_for(slug: str) -> Report | None:
    """The tabular report with this slug, or None."""
    return REPORTS.get(slug)
