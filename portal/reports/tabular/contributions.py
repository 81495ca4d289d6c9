"""The contributions report: people and money per partner, operation and year."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import (
    Count,
    Max,
    QuerySet,
    Sum,
)
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext_lazy as _

from operations.models import Contribution
from portal.accounts.models import User
from portal.core.i18n import localized_text

from ..forms import ContributionsFilterForm
from ..models import ReportKind
from .base import Column, Report


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

    def build(self, *, user: User, filters: Mapping[str, Any]) -> QuerySet[Any]:
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
