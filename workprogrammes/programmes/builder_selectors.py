"""Reads for building and running programmes: the catalogue menu, coverage, timeline, amendments, activities.

Every read is limited to what the user's clearance covers (programme and activity markings), as
selectors.programmes_visible_to and selectors.activities_visible_to say; a record above it is "not found".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, cast

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import CooperationArea, Partner
from portal.accounts.models import User
from portal.core.i18n import localized_text
from portal.core.models import Marking

from ..catalogue.models import CatalogueItem
from ..catalogue.selectors import catalogue_item_list
from ..requests.models import InclusionRequest
from ..requests.selectors import inclusion_request_visible_to
from .models import (
    ProgrammeActivity,
    ProgrammeActivityStatus,
    ProgrammeAmendment,
    ProgrammeStatusChange,
    WorkProgramme,
)
from .selectors import ObjectiveCoverage, activities_visible_to, objective_coverage, programmes_visible_to

# --- The catalogue menu -------------------------------------------------------------------------


def catalogue_menu(
    *, user: User, q: str = "", area: str = "", kind: str = "", on: datetime.date | None = None
) -> QuerySet[CatalogueItem]:
    """The catalogue items an officer may pick now: current (not retired, not deactivated), within the
    user's clearance, matching the search (selectors.catalogue_search), area and kind.
    """
    on = on or timezone.localdate()
    return catalogue_item_list(user=user, q=q, kind=kind, area=area).filter(
        Q(deactivated_on__isnull=True) | Q(deactivated_on__gt=on)
    )


def catalogue_menu_areas() -> list[CooperationArea]:
    """The areas offered as a filter above the menu."""
    return list(CooperationArea.objects.order_by(localized_text("name")))


# --- One programme ------------------------------------------------------------------------------


def programme_for_user(*, pk: int, user: User) -> WorkProgramme:
    """A programme the user's clearance covers (WorkProgramme.DoesNotExist otherwise)."""
    return (
        programmes_visible_to(user=user)
        .select_related("partner")
        .get(pk=pk, partner__deleted_at__isnull=True)
    )


def partners_for_new_programmes(*, user: User) -> QuerySet[Partner]:
    """The partners this user may start a programme for: their desks' (every partner for administrators)."""
    partners = cast("QuerySet[Partner]", Partner.objects.alive()).order_by(localized_text("name"))
    if user.has_role("administrator"):
        return partners
    return partners.filter(pk__in=user.desk_partner_ids)


@dataclass(frozen=True)
class AreaCoverage:
    area: CooperationArea
    activity_count: int

    @property
    def is_missing(self) -> bool:
        return self.activity_count == 0


@dataclass(frozen=True)
class ProgrammeCoverage:
    objectives: list[ObjectiveCoverage]
    areas: list[AreaCoverage]
    # Activities in areas the partner did not choose (worth a second look, not an error).
    outside_chosen_areas: int

    @property
    def missing_count(self) -> int:
        return sum(1 for row in self.objectives if row.is_missing) + sum(
            1 for row in self.areas if row.is_missing
        )


def programme_coverage(*, programme: WorkProgramme, activities: list[ProgrammeActivity]) -> ProgrammeCoverage:
    """How many (not cancelled) activities support each Bucharest objective and each area the partner chose;
    the empty ones are flagged. One query (the partner's areas), whatever the number of activities."""
    chosen = list(programme.partner.areas.order_by(localized_text("name")))
    counts = {area.pk: 0 for area in chosen}
    outside = 0
    for activity in activities:
        if activity.status == ProgrammeActivityStatus.CANCELLED or activity.catalogue_item is None:
            continue
        area_id = activity.catalogue_item.area_id
        if area_id in counts:
            counts[area_id] += 1
        else:
            outside += 1
    return ProgrammeCoverage(
        objectives=objective_coverage(activities),
        areas=[AreaCoverage(area=area, activity_count=counts[area.pk]) for area in chosen],
        outside_chosen_areas=outside,
    )


def programme_timeline(*, programme: WorkProgramme, user: User) -> list[ProgrammeStatusChange]:
    """Every step of the programme and of the activities the user may see, oldest first."""
    return list(
        ProgrammeStatusChange.objects.filter(programme=programme)
        .filter(Q(activity__isnull=True) | Q(activity__marking__lte=user.clearance))
        .select_related("actor", "activity")
        .order_by("at", "pk")
    )


def requests_by_activity(
    *, activities: list[ProgrammeActivity], user: User
) -> dict[int, list[InclusionRequest]]:
    """The inclusion requests naming each activity (those the user may see, by the request page's rule),
    newest first."""
    found: dict[int, list[InclusionRequest]] = {}
    requests = (
        inclusion_request_visible_to(user=user)
        .filter(programme_activity__in=[a.pk for a in activities] or [0])
        .order_by("-created_at", "-pk")
    )
    for request in requests:
        found.setdefault(cast(int, request.programme_activity_id), []).append(request)
    return found


# --- Amendments and their differences -----------------------------------------------------------

PROGRAMME_FIELD_LABELS: dict[str, Any] = {
    "kind": _("Kind"),
    "objectives_en": _("Objectives (English)"),
    "objectives_fr": _("Objectives (French)"),
    "marking": _("Marking"),
    "releasability": _("Releasability"),
}
ACTIVITY_FIELD_LABELS: dict[str, Any] = {
    "title_en": _("Title (English)"),
    "title_fr": _("Title (French)"),
    "catalogue_item": _("Catalogue item"),
    "objective": _("Objective"),
    "start_date": _("Starts"),
    "end_date": _("Ends"),
    "place": _("Place"),
    "lead": _("Lead"),
    "status": _("Status"),
    "marking": _("Marking"),
    "releasability": _("Releasability"),
}


@dataclass(frozen=True)
class FieldChange:
    label: Any
    old: str
    new: str


@dataclass(frozen=True)
class ActivityChange:
    title: str
    change: str  # "added", "removed" or "changed"
    fields: list[FieldChange] = field(default_factory=list)


@dataclass(frozen=True)
class AmendmentDifference:
    amendment: ProgrammeAmendment
    programme_fields: list[FieldChange]
    activities: list[ActivityChange]
    # Activities changed by the amendment that the user's clearance does not cover.
    hidden_activities: int = 0


def _shown(name: str, value: Any) -> str:
    if name == "marking":
        try:
            return str(Marking(int(value)).label)
        except (TypeError, ValueError):
            return str(value)
    return str(value) if value not in (None, "") else "–"


def _field_changes(
    before: dict[str, Any], after: dict[str, Any], labels: dict[str, Any]
) -> list[FieldChange]:
    return [
        FieldChange(label=label, old=_shown(name, before.get(name)), new=_shown(name, after.get(name)))
        for name, label in labels.items()
        if before.get(name) != after.get(name)
    ]


def _activity_title(snapshot: dict[str, Any]) -> str:
    from portal.core.i18n import active_language

    first, second = ("title_fr", "title_en") if active_language() == "fr" else ("title_en", "title_fr")
    return str(snapshot.get(first) or snapshot.get(second) or "")


def amendment_difference(amendment: ProgrammeAmendment, *, user: User) -> AmendmentDifference:
    """What an amendment changed: programme fields, and activities added, removed or changed, with the old
    and new value of each field; activities marked above the user's clearance are counted, not shown."""
    clearance = user.clearance
    before, after = amendment.previous, amendment.amended
    old_activities, new_activities = before.get("activities", {}), after.get("activities", {})
    changes: list[ActivityChange] = []
    hidden = 0
    for key in sorted(set(old_activities) | set(new_activities), key=lambda k: int(k)):
        old, new = old_activities.get(key), new_activities.get(key)
        if old == new:
            continue
        marking = max(int((old or {}).get("marking", 0)), int((new or {}).get("marking", 0)))
        if marking > clearance:
            hidden += 1
            continue
        if old is None:
            changes.append(ActivityChange(title=_activity_title(new), change="added"))
        elif new is None:
            changes.append(ActivityChange(title=_activity_title(old), change="removed"))
        else:
            changes.append(
                ActivityChange(
                    title=_activity_title(new),
                    change="changed",
                    fields=_field_changes(old, new, ACTIVITY_FIELD_LABELS),
                )
            )
    return AmendmentDifference(
        amendment=amendment,
        programme_fields=_field_changes(
            before.get("programme", {}), after.get("programme", {}), PROGRAMME_FIELD_LABELS
        ),
        activities=changes,
        hidden_activities=hidden,
    )


def programme_amendments(*, programme: WorkProgramme, user: User) -> list[AmendmentDifference]:
    """The programme's amendments, latest first, each with its differences (one query)."""
    amendments = programme.amendments.select_related("amended_by").order_by("-number")
    return [amendment_difference(amendment, user=user) for amendment in amendments]


# --- The programme page's extra sections --------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeActions:
    """What this user may do to the programme now (the services check again)."""

    can_manage: bool
    can_edit: bool  # a draft: change freely
    can_amend: bool  # agreed or active: change by amendment
    steps: list[str]  # programme steps available: propose, agree, activate, close
    can_run_activities: bool


def programme_actions(*, programme: WorkProgramme, user: User) -> ProgrammeActions:
    from .workflow import AMENDABLE_STATUSES, PROGRAMME_EDITABLE_STATUSES, PROGRAMME_MACHINE, RUNNING_STATUSES

    can_manage = bool(user.has_perm("workprogrammes.manage_programme", programme))
    steps = [t.action for t in PROGRAMME_MACHINE.allowed(programme.status)]
    return ProgrammeActions(
        can_manage=can_manage,
        can_edit=can_manage and programme.status in PROGRAMME_EDITABLE_STATUSES,
        can_amend=can_manage and programme.status in AMENDABLE_STATUSES,
        steps=steps if can_manage else [],
        can_run_activities=can_manage and programme.status in RUNNING_STATUSES,
    )


def programme_page_extras(
    *, programme: WorkProgramme, activities: list[ProgrammeActivity], user: User
) -> dict[str, Any]:
    """The builder's and the lifecycle's sections of the programme page, in a fixed number of queries:
    coverage per objective and chosen area, the timeline, amendments with their differences, the requests
    of each activity, and the actions this user may take."""
    requests = requests_by_activity(activities=activities, user=user)
    return {
        "coverage": programme_coverage(programme=programme, activities=activities),
        "timeline": programme_timeline(programme=programme, user=user),
        "amendments": programme_amendments(programme=programme, user=user),
        "activity_requests": requests,
        "actions": programme_actions(programme=programme, user=user),
    }


# --- One activity -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityDetail:
    activity: ProgrammeActivity
    programme: WorkProgramme
    requests: list[InclusionRequest]
    timeline: list[ProgrammeStatusChange]
    page_marking: int


def activity_detail(*, pk: int, user: User) -> ActivityDetail:
    """An activity with its programme, outcome, requests and steps, if the user's clearance covers both the
    activity and its programme (ProgrammeActivity.DoesNotExist otherwise)."""
    clearance = user.clearance
    activity = (
        activities_visible_to(user=user)
        .filter(programme__marking__lte=clearance, programme__partner__deleted_at__isnull=True)
        .select_related(
            "programme", "programme__partner", "catalogue_item", "catalogue_item__area", "outcome"
        )
        .prefetch_related(
            Prefetch(
                "inclusion_requests",
                # The request page's rule: another desk's request is not listed to an officer.
                queryset=inclusion_request_visible_to(user=user).order_by("-created_at", "-pk"),
                to_attr="visible_requests",
            ),
            Prefetch(
                "status_changes",
                queryset=ProgrammeStatusChange.objects.select_related("actor").order_by("at", "pk"),
                to_attr="steps",
            ),
        )
        .get(pk=pk)
    )
    return ActivityDetail(
        activity=activity,
        programme=activity.programme,
        requests=activity.visible_requests,
        timeline=activity.steps,
        page_marking=max(activity.marking, activity.programme.marking),
    )
