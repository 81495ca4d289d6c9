"""The reports on programme activities: the activities themselves, and the outcomes of those held."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import (
    F,
    Max,
    QuerySet,
)
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import User
from portal.core.i18n import localized_text
from portal.core.models import Marking
from workprogrammes.programmes.models import Objective, ProgrammeActivity, ProgrammeActivityStatus
from workprogrammes.programmes.selectors import activity_list, activity_outcome_totals

from ..forms import (
    ActivitiesFilterForm,
    OutcomesFilterForm,
)
from ..models import ReportKind
from .base import Column, Report, max_marking, rank


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

    def _filtered(self, *, user: User, filters: Mapping[str, Any]) -> QuerySet[ProgrammeActivity]:
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

    def build(self, *, user: User, filters: Mapping[str, Any]) -> QuerySet[Any]:
        return self._filtered(user=user, filters=filters).annotate(
            partner_name=localized_text("programme__partner__name"),
            year=F("programme__year"),
            activity=localized_text("title"),
            item_code=F("catalogue_item__code"),
            area_name=localized_text("catalogue_item__area__name"),
        )

    def sort_expressions(self) -> dict[str, Any]:
        return {
            "status": rank("status", ProgrammeActivityStatus.values),
            "objective": rank("objective", Objective.values),
        }

    def marking(self, *, user: User, filters: Mapping[str, Any]) -> int:
        found = (
            self._filtered(user=user, filters=filters)
            .order_by()
            .aggregate(activity=Max("marking"), programme=Max("programme__marking"))
        )
        return max_marking(found["activity"], found["programme"])


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

    def _totals(self, *, user: User, filters: Mapping[str, Any]) -> QuerySet[Any]:
        return activity_outcome_totals(
            user=user,
            partner=filters.get("partner"),
            area=filters.get("area"),
            year_from=filters.get("year_from"),
            year_to=filters.get("year_to"),
        )

    def build(self, *, user: User, filters: Mapping[str, Any]) -> QuerySet[Any]:
        return self._totals(user=user, filters=filters)

    def marking(self, *, user: User, filters: Mapping[str, Any]) -> int:
        found = (
            self._totals(user=user, filters=filters)
            .order_by()
            .aggregate(activity=Max("marking"), programme=Max("programme_marking"))
        )
        return max_marking(found["activity"], found["programme"])
