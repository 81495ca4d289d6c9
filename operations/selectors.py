"""Reads of operations: the list with the number of contributing partners, one operation's detail, and
contributions grouped into series (per operation on a partner's profile, per partner on an operation's
page)."""

from __future__ import annotations

import dataclasses
import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.db.models import (
    CharField,
    Count,
    DateField,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    Window,
)
from django.db.models.functions import Coalesce, Concat, ExtractYear, RowNumber
from django.utils import timezone

from partners.models import Partner
from portal.core.i18n import localized_text

from .models import Contribution, Operation


def current_operations() -> QuerySet[Operation]:
    """Operations not retired."""
    return cast("QuerySet[Operation]", Operation.objects.alive())


def operation_list() -> QuerySet[Operation]:
    """Current operations, most recent first, each with its number of contributing partners.

    The count is a subquery per operation (an index-only scan of its contributions), not a join grouped
    over every contribution: the page's rows and its COUNT then read only the operations.
    """
    partners = (
        Contribution.objects.filter(operation=OuterRef("pk"))
        .order_by()
        .values("operation")
        .annotate(count=Count("partner", distinct=True))
        .values("count")
    )
    return (
        current_operations()
        .annotate(partner_count=Coalesce(Subquery(partners), 0))
        .order_by("-start_date", "pk")
    )


@dataclass(slots=True)
class ContributionRow:
    """One period of a contribution as a page shows it: the columns the contribution table reads, without
    a model instance (a profile shows a hundred of them)."""

    pk: int
    operation_id: int
    period_start: datetime.date
    period_end: datetime.date | None
    kind: str
    personnel: int | None
    amount: Decimal | None
    currency: str
    description_en: str | None
    description_fr: str | None
    command_arrangement_en: str | None
    command_arrangement_fr: str | None
    decision_making_association_en: str | None
    decision_making_association_fr: str | None
    planned_through_icc: bool


@dataclass
class ContributionSeries:
    """A partner's contributions to one operation, period by period."""

    operation: Operation
    # Contribution instances, or ContributionRow where the series is read for a page.
    contributions: list[Any]
    peak_personnel: int | None = None
    totals_by_currency: dict[str, Decimal] = field(default_factory=dict)
    # The periods a page shows, when it shows only the latest (the peak and totals cover them all).
    shown: list[Any] | None = None
    # How many periods the series has, when `contributions` holds only the latest of them.
    period_count: int | None = None
    # The partner, when the rows do not carry it (ContributionRow).
    owner: Partner | None = None

    @property
    def partner(self) -> Partner:
        return self.owner if self.owner is not None else self.contributions[0].partner

    @property
    def rows(self) -> list[Any]:
        return self.contributions if self.shown is None else self.shown

    @property
    def count(self) -> int:
        return len(self.contributions) if self.period_count is None else self.period_count

    @property
    def is_partial(self) -> bool:
        return len(self.rows) < self.count


def contribution_series(
    contributions: list[Contribution], *, key: str, latest: int | None = None
) -> list[ContributionSeries]:
    """Group contributions (already ordered by `key`) into series with their peak personnel and totals;
    with `latest`, each series shows only its latest periods."""
    series = []
    for _, group in itertools.groupby(contributions, key=lambda c: getattr(c, key)):
        rows = list(group)
        personnel = [c.personnel for c in rows if c.personnel is not None]
        totals: dict[str, Decimal] = {}
        for contribution in rows:
            if contribution.amount is not None:
                totals[contribution.currency] = (
                    totals.get(contribution.currency, Decimal(0)) + contribution.amount
                )
        series.append(
            ContributionSeries(
                operation=rows[0].operation,
                contributions=rows,
                peak_personnel=max(personnel) if personnel else None,
                totals_by_currency=dict(sorted(totals.items())),
                shown=rows[-latest:] if latest is not None else None,
            )
        )
    return series


_ROW_COLUMNS = tuple(f.name for f in dataclasses.fields(ContributionRow) if f.name != "pk")
# The operation's columns a profile shows (its heading, the table's caption).
_OPERATION_COLUMNS = (
    "code",
    "start_date",
    *(f"{n}_{lang}" for n in ("acronym", "name", "theatre") for lang in ("en", "fr")),
)


def latest_contribution_series(*, partner: Partner, latest: int) -> list[ContributionSeries]:
    """The partner's contributions by operation, each series with only its `latest` periods read (as
    ContributionRow), and its period count, peak personnel and totals by currency over all of them
    computed by PostgreSQL, in one query; the operations in a second."""
    operation = [F("operation_id")]
    per_currency = [F("operation_id"), F("currency")]
    # Besides the latest periods, the first row of each (operation, currency) with an amount: it carries
    # that currency's total, which older periods alone may have.
    rows = list(
        Contribution.objects.filter(partner=partner)
        .annotate(
            newest=Window(
                RowNumber(), partition_by=operation, order_by=[F("period_start").desc(), F("pk").desc()]
            ),
            period_count=Window(Count("pk"), partition_by=operation),
            peak=Window(Max("personnel"), partition_by=operation),
            currency_rank=Window(RowNumber(), partition_by=per_currency, order_by=F("pk").asc()),
            currency_total=Window(Sum("amount"), partition_by=per_currency),
        )
        .filter(Q(newest__lte=latest) | Q(currency_rank=1))
        .order_by("operation_id", "period_start", "pk")
        .values_list("pk", *_ROW_COLUMNS, "newest", "period_count", "peak", "currency_rank", "currency_total")
    )
    width = len(_ROW_COLUMNS) + 1
    by_operation: dict[int, tuple[list[ContributionRow], dict[str, Decimal], int, int | None]] = {}
    for row in rows:
        newest, period_count, peak, currency_rank, currency_total = row[width:]
        shown, totals, _, _ = by_operation.setdefault(row[1], ([], {}, period_count, peak))
        if newest <= latest:
            shown.append(ContributionRow(*row[:width]))
        if currency_rank == 1 and currency_total is not None:
            totals[row[7]] = currency_total
    operations = (
        Operation.objects.filter(pk__in=list(by_operation) or [0])
        .only(*_OPERATION_COLUMNS)
        .order_by("start_date", "pk")
    )
    series = []
    for op in operations:
        shown, totals, period_count, peak = by_operation[op.pk]
        series.append(
            ContributionSeries(
                operation=op,
                contributions=shown,
                peak_personnel=peak,
                totals_by_currency=dict(sorted(totals.items())),
                period_count=period_count,
                owner=partner,
            )
        )
    return series


@dataclass(frozen=True)
class OperationDetail:
    operation: Operation
    contributors: list[ContributionSeries]


def operation_detail(*, code: str) -> OperationDetail:
    """An operation with its contributing partners and their contributions over time.

    Raises Operation.DoesNotExist for an unknown or retired operation.
    """
    operation = current_operations().get(code=code)
    contributions = list(
        Contribution.objects.filter(operation=operation)
        .select_related("partner", "operation")
        .order_by(localized_text("partner__name"), "partner_id", "period_start", "pk")
    )
    return OperationDetail(
        operation=operation, contributors=contribution_series(contributions, key="partner_id")
    )


def contribution_list(
    *, partner: str = "", operation: str = "", kind: str = "", year: int | None = None
) -> QuerySet[Contribution]:
    """Contributions period by period, filtered by partner ISO code, operation code, kind and year.

    `year` keeps the contributions whose period overlaps that year (an open period runs until today).
    """
    contributions = Contribution.objects.select_related("partner", "operation").order_by("period_start", "pk")
    if partner:
        contributions = contributions.filter(partner__iso_code=partner.upper())
    if operation:
        contributions = contributions.filter(operation__code=operation)
    if kind:
        contributions = contributions.filter(kind=kind)
    if year is not None:
        contributions = contributions.filter(
            Q(period_end__isnull=True) | Q(period_end__gte=datetime.date(year, 1, 1)),
            period_start__lte=datetime.date(year, 12, 31),
        )
    return contributions


@dataclass(frozen=True)
class ContributionTimeline:
    """Contributions per year, one series per operation or partner.

    Personnel is a strength held over a period: it counts in every year the period covers (an open period
    runs until the operation's end, or today), the peak where periods overlap. Funding is an amount given
    over a period: it counts once, in the year the period starts, per currency. `years` runs from the
    first to the last year with data, every year in between included, so the time axis is to scale; a
    year without data is None (a gap), never zero.
    """

    years: list[int]
    personnel: dict[str, list[int | None]]
    funding: dict[str, list[Decimal | None]]


def contribution_timeline(
    *, partner: Partner | None = None, operation: Operation | None = None, both_names: bool = False
) -> ContributionTimeline:
    """A partner's contributions per operation, or an operation's per partner, or all (or, with
    `both_names`, a partner's) per partner and operation."""
    contributions = Contribution.objects.all()
    if partner is not None:
        contributions = contributions.filter(partner=partner)
    if operation is not None:
        contributions = contributions.filter(operation=operation)
    if both_names or (partner is None and operation is None):
        name: Any = Concat(
            localized_text("partner__name"),
            Value(" – "),
            localized_text("operation__acronym"),
            output_field=CharField(),
        )
    elif partner is not None:
        name = localized_text("operation__acronym")
    else:
        name = localized_text("partner__name")
    this_year = timezone.localdate().year
    until = Coalesce(
        "period_end", "operation__end_date", Value(timezone.localdate()), output_field=DateField()
    )
    rows = list(
        contributions.values(
            series=name, first=ExtractYear("period_start"), last=ExtractYear(until), unit=F("currency")
        )
        .annotate(peak=Max("personnel"), paid=Sum("amount"))
        .order_by("series", "first", "last", "unit")
        .values_list("series", "first", "last", "unit", "peak", "paid")
    )
    people: dict[str, dict[int, int]] = {}
    money: dict[str, dict[int, Decimal]] = {}
    for series, first, last, unit, peak, paid in rows:
        if peak is not None:
            by_year = people.setdefault(series, {})
            # Up to this year: a period planned to run later is not yet a strength held.
            for year in range(first, max(first, min(last, this_year)) + 1):
                by_year[year] = max(by_year.get(year, 0), peak)
        if paid is not None:
            by_year_paid = money.setdefault(f"{series} ({unit})" if unit else series, {})
            by_year_paid[first] = by_year_paid.get(first, Decimal(0)) + paid
    found = {year for values in people.values() for year in values} | {
        year for amounts in money.values() for year in amounts
    }
    years = list(range(min(found), max(found) + 1)) if found else []
    return ContributionTimeline(
        years=years,
        personnel={series: [v.get(year) for year in years] for series, v in people.items()},
        funding={series: [v.get(year) for year in years] for series, v in money.items()},
    )
