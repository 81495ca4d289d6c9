"""The shape every tabular report shares: its columns, sorting, row formatting and marking, and the
checks on its filters."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Literal, cast

from django.core.exceptions import ValidationError
from django.db.models import (
    Aggregate,
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.core.models import Marking
from portal.ops.db import reporting_database

from ..models import ReportKind

if TYPE_CHECKING:
    from ..forms import ReportFilterForm

CellKind = Literal["text", "int", "year", "decimal", "days", "date"]
Row = list[Any]
Formatter = Callable[[tuple[Any, ...]], Row]

# The marking of a report built only from unmarked records (contributions, aggregate counts of nothing).
MARKING_FLOOR = Marking.NATO_UNCLASSIFIED


def report_filters_check(filters: Mapping[str, Any]) -> None:
    """Refuse filters no report can answer: a range of years whose last year comes before its first."""
    year_from, year_to = filters.get("year_from"), filters.get("year_to")
    if year_from and year_to and year_from > year_to:
        raise ValidationError({"year_to": _("The last year comes before the first year.")})


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


def days_between(start: Combinable, end: Combinable) -> Func:
    """The days, with their fraction, from one moment to another."""
    return Func(
        end - start, template="EXTRACT(EPOCH FROM %(expressions)s) / 86400.0", output_field=FloatField()
    )


def rank(field: str, values: list[str]) -> Case:
    """Sort codes in their natural (workflow) order rather than alphabetically."""
    return Case(
        *(When(**{field: value}, then=Value(rank)) for rank, value in enumerate(values)),
        default=Value(len(values)),
        output_field=IntegerField(),
    )


def count_of(queryset: QuerySet[Any]) -> Coalesce:
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

    def build(self, *, user: User, filters: Mapping[str, Any]) -> QuerySet[Any]:
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

    def rows(self, *, user: User, filters: Mapping[str, Any], sort: str | None = None) -> QuerySet[Any]:
        """The report's rows for the user and validated filters: tuples in column order, sorted."""
        report_filters_check(filters)
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

    def marking(self, *, user: User, filters: Mapping[str, Any]) -> int:
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


def max_marking(*values: int | None) -> int:
    """The highest of these markings, at least the floor of every report."""
    return max([int(MARKING_FLOOR), *(int(v) for v in values if v is not None)])
