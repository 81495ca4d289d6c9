"""Reads of work programmes and their activities, limited to what the user's clearance allows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, cast

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import (
    Avg,
    Count,
    DecimalField,
    F,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, NullIf, Trim

from partners.models import Partner
from portal.accounts.models import User
from portal.core.i18n import localized_text

from .models import (
    Objective,
    ProgrammeActivity,
    ProgrammeActivityStatus,
    WorkProgramme,
    WorkProgrammeStatus,
)


def programmes_visible_to(*, user: User) -> QuerySet[WorkProgramme]:
    """Programmes whose marking the user's clearance covers."""
    return WorkProgramme.objects.filter(marking__lte=user.clearance)


def activities_visible_to(*, user: User) -> QuerySet[ProgrammeActivity]:
    """Programme activities whose marking the user's clearance covers."""
    return ProgrammeActivity.objects.filter(marking__lte=user.clearance)


def visible_activities_prefetch(*, user: User) -> Prefetch:
    """A programme's activities the user may see, by date, with their catalogue items, on
    `programme.visible_activities` (the programme page and the partner profile)."""
    return Prefetch(
        "activities",
        queryset=activities_visible_to(user=user)
        .select_related("catalogue_item")
        .order_by("start_date", "pk"),
        to_attr="visible_activities",
    )


def _activity_count(user: User) -> Coalesce:
    """A programme's activities the user's clearance covers, counted per row: only for the rows a page
    shows, and left out of the list's count (a join and grouping of every activity of every programme
    cost the API's programme list 250 ms of PostgreSQL for its count alone at scale)."""
    per_programme = (
        ProgrammeActivity.objects.filter(programme=OuterRef("pk"), marking__lte=user.clearance)
        .order_by()
        .values("programme")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(per_programme, output_field=IntegerField()), 0)


def programme_list(
    *, user: User, partner: str = "", year: int | None = None, status: str = ""
) -> QuerySet[WorkProgramme]:
    """Programmes the user may see, newest year first, filtered by partner ISO code, year and status."""
    programmes = (
        programmes_visible_to(user=user)
        .filter(partner__deleted_at__isnull=True)
        .select_related("partner")
        .annotate(activity_count=_activity_count(user))
        .order_by("-year", localized_text("partner__name"), "pk")
    )
    if partner:
        programmes = programmes.filter(partner__iso_code=partner.upper())
    if year is not None:
        programmes = programmes.filter(year=year)
    if status:
        programmes = programmes.filter(status=status)
    return programmes


@dataclass(frozen=True)
class ProgrammeFilterOptions:
    partners: list[Partner]
    years: list[int]
    statuses: list[tuple[str, Any]]


def programme_filter_options(*, user: User) -> ProgrammeFilterOptions:
    """The choices offered above the programme list: partners and years that have programmes."""
    visible = programmes_visible_to(user=user)
    current_partners = cast("QuerySet[Partner]", Partner.objects.alive())
    partners = list(
        current_partners.filter(pk__in=visible.values("partner_id")).order_by(localized_text("name"))
    )
    years = list(visible.order_by("-year").values_list("year", flat=True).distinct())
    return ProgrammeFilterOptions(partners=partners, years=years, statuses=list(WorkProgrammeStatus.choices))


@dataclass(frozen=True)
class ObjectiveCoverage:
    objective: str
    label: str
    activity_count: int

    @property
    def is_missing(self) -> bool:
        return self.activity_count == 0


@dataclass(frozen=True)
class ProgrammeDetail:
    programme: WorkProgramme
    activities: list[ProgrammeActivity]
    coverage: list[ObjectiveCoverage]
    page_marking: int


def objective_coverage(activities: list[ProgrammeActivity]) -> list[ObjectiveCoverage]:
    """Activities per Bucharest objective; cancelled activities cover nothing."""
    counts = {value: 0 for value in Objective.values}
    for activity in activities:
        if activity.status != ProgrammeActivityStatus.CANCELLED and activity.objective in counts:
            counts[activity.objective] += 1
    return [
        ObjectiveCoverage(objective=value, label=str(label), activity_count=counts[value])
        for value, label in Objective.choices
    ]


def programme_detail(*, pk: int, user: User) -> ProgrammeDetail:
    """One programme with its visible activities and its coverage of the Bucharest objectives.

    Raises WorkProgramme.DoesNotExist when there is no such programme or the user's clearance does not
    cover it.
    """
    programme = (
        programmes_visible_to(user=user)
        .filter(partner__deleted_at__isnull=True)
        .select_related("partner", "partner__region")
        .prefetch_related(visible_activities_prefetch(user=user))
        .get(pk=pk)
    )
    activities: list[ProgrammeActivity] = programme.visible_activities
    # The page is marked with the highest marking of anything it shows.
    page_marking = max([programme.marking, *(activity.marking for activity in activities)])
    return ProgrammeDetail(
        programme=programme,
        activities=activities,
        coverage=objective_coverage(activities),
        page_marking=page_marking,
    )


def activity_list(
    *,
    user: User,
    partner: str = "",
    programme: int | None = None,
    year: int | None = None,
    status: str = "",
    objective: str = "",
    catalogue_item: int | None = None,
    starts_from: datetime.date | None = None,
    starts_until: datetime.date | None = None,
) -> QuerySet[ProgrammeActivity]:
    """Programme activities the user's clearance covers (and their programme's), by start date."""
    activities = (
        activities_visible_to(user=user)
        .filter(programme__marking__lte=user.clearance)
        .select_related("programme", "programme__partner", "catalogue_item")
        .order_by("start_date", "pk")
    )
    if partner:
        activities = activities.filter(programme__partner__iso_code=partner.upper())
    if programme is not None:
        activities = activities.filter(programme_id=programme)
    if year is not None:
        activities = activities.filter(programme__year=year)
    if status:
        activities = activities.filter(status=status)
    if objective:
        activities = activities.filter(objective=objective)
    if catalogue_item is not None:
        activities = activities.filter(catalogue_item_id=catalogue_item)
    if starts_from is not None:
        activities = activities.filter(start_date__gte=starts_from)
    if starts_until is not None:
        activities = activities.filter(start_date__lte=starts_until)
    return activities


# --- Activity outcomes: what held activities achieved (the outcomes report, profile and programme) --


# The activities that took place: held, and reported once their outcome is recorded.
ACTIVITY_TOOK_PLACE = (ProgrammeActivityStatus.HELD, ProgrammeActivityStatus.REPORTED)


def _distinct_texts(field: str) -> StringAgg:
    return StringAgg(NullIf(Trim(field), Value("")), delimiter=" | ", distinct=True)


def activity_outcome_totals(
    *,
    user: User,
    partner: Partner | None = None,
    programme: WorkProgramme | None = None,
    area: Any = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> QuerySet[Any]:
    """Per partner, year, area of cooperation and catalogue item: activities held (held or reported),
    how many have their outcome recorded, participants, mean rating (one decimal), and the distinct
    lessons and follow-ups, for the activities the user's clearance covers. One row per group, as
    dictionaries."""
    activities = activities_visible_to(user=user).filter(status__in=ACTIVITY_TOOK_PLACE)
    if partner is not None:
        activities = activities.filter(programme__partner=partner)
    if programme is not None:
        activities = activities.filter(programme=programme)
    if area is not None:
        activities = activities.filter(catalogue_item__area=area)
    if year_from:
        activities = activities.filter(programme__year__gte=year_from)
    if year_to:
        activities = activities.filter(programme__year__lte=year_to)
    return activities.values(
        "programme__partner_id",
        "catalogue_item_id",
        partner_name=localized_text("programme__partner__name"),
        year=F("programme__year"),
        area_name=localized_text("catalogue_item__area__name"),
        item_code=F("catalogue_item__code"),
        item_title=localized_text("catalogue_item__title"),
    ).annotate(
        held=Count("pk"),
        reported=Count("outcome"),
        participants=Sum("outcome__participants"),
        mean_rating=Func(Avg("outcome__rating"), Value(1), function="ROUND", output_field=DecimalField()),
        lessons=_distinct_texts("outcome__lessons"),
        follow_up=_distinct_texts("outcome__follow_up"),
        marking=Max("marking"),
        programme_marking=Max("programme__marking"),
    )


def activity_outcome_rows(**filters: Any) -> list[dict[str, Any]]:
    """activity_outcome_totals, newest year first, for the profile and programme pages."""
    return list(activity_outcome_totals(**filters).order_by("-year", "area_name", "item_code"))


# The partner profile shows the outcomes of the latest years with held activities; the report has all.
PROFILE_OUTCOME_YEARS = 2


@dataclass(frozen=True)
class RecentOutcomes:
    rows: list[dict[str, Any]]
    # The first year shown, and how many activities were held before it (in the outcomes report).
    since: int | None
    earlier_held: int


def partner_recent_outcomes(
    *, user: User, partner: Partner, years: int = PROFILE_OUTCOME_YEARS
) -> RecentOutcomes:
    """The outcome rows of the partner's latest `years` years with held activities, and the number held
    before them: a profile stays short however long the partner's history (three queries)."""
    took_place = activities_visible_to(user=user).filter(
        programme__partner=partner, status__in=ACTIVITY_TOOK_PLACE
    )
    latest = list(
        took_place.order_by("-programme__year").values_list("programme__year", flat=True).distinct()[:years]
    )
    if not latest:
        return RecentOutcomes(rows=[], since=None, earlier_held=0)
    since = min(latest)
    return RecentOutcomes(
        rows=activity_outcome_rows(user=user, partner=partner, year_from=since),
        since=since,
        earlier_held=took_place.filter(programme__year__lt=since).count(),
    )
