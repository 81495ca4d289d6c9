"""Reads of operations: the list with the number of contributing partners, and one operation's detail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import cast

from django.db.models import Count, Q, QuerySet

from partners.selectors import ContributionSeries, contribution_series
from portal.core.i18n import localized_text

from .models import Contribution, Operation


def current_operations() -> QuerySet[Operation]:
    """Operations not retired."""
    return cast("QuerySet[Operation]", Operation.objects.alive())


def operation_list() -> QuerySet[Operation]:
    """Current operations, most recent first, each with its number of contributing partners."""
    return (
        current_operations()
        .annotate(partner_count=Count("contributions__partner", distinct=True))
        .order_by("-start_date", "pk")
    )


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
