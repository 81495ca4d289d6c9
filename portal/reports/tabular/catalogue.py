"""The catalogue usage report: how often each catalogue item is used."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import (
    Case,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.core.i18n import localized_text
from workprogrammes.catalogue.models import CatalogueItem, CatalogueItemKind
from workprogrammes.catalogue.selectors import catalogue_item_list
from workprogrammes.programmes.models import ProgrammeActivity
from workprogrammes.programmes.selectors import activities_visible_to
from workprogrammes.requests.models import InclusionRequest
from workprogrammes.requests.selectors import inclusion_request_visible_to

from ..forms import CatalogueUsageFilterForm
from ..models import ReportKind
from .base import Column, Report, count_of, max_marking, rank


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
        self, *, user: User, filters: Mapping[str, Any]
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

    def build(self, *, user: User, filters: Mapping[str, Any]) -> QuerySet[Any]:
        items, activities, requests = self._usage(user=user, filters=filters)
        yes, no = str(_("Yes")), str(_("No"))
        items = items.annotate(
            item=localized_text("title"),
            area_name=localized_text("area__name"),
            council=Case(When(needs_council_decision=True, then=Value(yes)), default=Value(no)),
            activity_count=count_of(activities.filter(catalogue_item=OuterRef("pk"))),
            request_count=count_of(
                requests.filter(
                    Q(catalogue_item=OuterRef("pk")) | Q(programme_activity__catalogue_item=OuterRef("pk"))
                )
            ),
        )
        if filters.get("used_only"):
            items = items.filter(Q(activity_count__gt=0) | Q(request_count__gt=0))
        return items

    def sort_expressions(self) -> dict[str, Any]:
        return {"kind": rank("kind", CatalogueItemKind.values)}

    def marking(self, *, user: User, filters: Mapping[str, Any]) -> int:
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
        return max_marking(item_marking, activity_marking, request_marking)
