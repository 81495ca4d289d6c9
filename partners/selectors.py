"""Reads of partners: the directory (search, filters, sorting) and the profile with all its sections."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar, cast

from django.db.models import Case, Count, F, Max, Prefetch, Q, QuerySet, Sum, Value, When, Window
from django.db.models.functions import RowNumber

from operations.models import Contribution, Operation
from portal.core.i18n import localized_text
from portal.core.search import bilingual_vector, search_query
from workprogrammes.programmes.models import ProgrammeActivity, WorkProgramme
from workprogrammes.programmes.selectors import activities_visible_to, programmes_visible_to

from .models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnerEngagementLevel,
    Region,
)

DIRECTORY_PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 100
FULL_TEXT_MIN_LENGTH = 3


def current_partners() -> QuerySet[Partner]:
    """Partners not retired."""
    return cast("QuerySet[Partner]", Partner.objects.alive())


_ENGAGEMENT_RANK = Case(
    *(
        When(engagement_level=value, then=Value(rank))
        for rank, value in enumerate(PartnerEngagementLevel.values)
    ),
    default=Value(len(PartnerEngagementLevel.values)),
)

# Sort keys offered by the directory's column headers; anything else falls back to the name.
DIRECTORY_SORTS = ("name", "iso_code", "region", "engagement_level", "dialogue_since", "areas")
DIRECTORY_DEFAULT_SORT = "name"


def _ordering(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in DIRECTORY_SORTS:
        key, descending = DIRECTORY_DEFAULT_SORT, False
    expressions: dict[str, Any] = {
        "name": F("sort_name"),
        "iso_code": F("iso_code"),
        "region": F("sort_region"),
        "engagement_level": _ENGAGEMENT_RANK,
        "dialogue_since": F("dialogue_since"),
        "areas": F("area_count"),
    }
    primary = expressions[key]
    primary = primary.desc(nulls_last=True) if descending else primary.asc(nulls_last=True)
    return [primary, F("sort_name").asc(), "pk"]


def partner_directory(
    *, q: str = "", region: str = "", engagement_level: str = "", area: str = "", sort: str = ""
) -> QuerySet[Partner]:
    """Current partners matching a name search in English or French and the filters, in the chosen order.

    `region` and `area` are codes, `engagement_level` a PartnerEngagementLevel value, `sort` a key of
    DIRECTORY_SORTS, prefixed with '-' for descending order.
    """
    partners = (
        current_partners()
        .select_related("region", "framework")
        .prefetch_related(
            Prefetch("areas", queryset=CooperationArea.objects.order_by(localized_text("name")))
        )
        .annotate(
            sort_name=localized_text("name"),
            sort_region=localized_text("region__name"),
            area_count=Count("areas", distinct=True),
        )
    )
    q = q.strip()[:SEARCH_MAX_LENGTH]
    if q:
        partners = _matching_name(partners, q)
    if region:
        partners = partners.filter(region__code=region)
    if engagement_level:
        partners = partners.filter(engagement_level=engagement_level)
    if area:
        partners = partners.filter(
            pk__in=Partner.areas.through.objects.filter(cooperationarea__code=area).values("partner_id")
        )
    return partners.order_by(*_ordering(sort or DIRECTORY_DEFAULT_SORT))


_P = TypeVar("_P", bound=QuerySet[Any])


def _matching_name(partners: _P, q: str) -> _P:
    """Partners whose name (English or French) has words starting with the words searched, or whose
    ISO code it is. One or two letters are no word to search for: they match anywhere in a name."""
    by_code = Q(iso_code=q.upper())
    query = search_query(q) if len(q) >= FULL_TEXT_MIN_LENGTH else None
    if query is None:
        return partners.filter(Q(name_en__icontains=q) | Q(name_fr__icontains=q) | by_code)
    return partners.alias(found=bilingual_vector("name")).filter(Q(found=query) | by_code)


@dataclass(frozen=True)
class DirectoryFilterOptions:
    regions: list[Region]
    areas: list[CooperationArea]
    engagement_levels: list[tuple[str, Any]]


def directory_filter_options() -> DirectoryFilterOptions:
    """The choices offered above the directory: every region and area, and the engagement levels."""
    return DirectoryFilterOptions(
        regions=list(Region.objects.order_by(localized_text("name"))),
        areas=list(CooperationArea.objects.order_by(localized_text("name"))),
        engagement_levels=list(PartnerEngagementLevel.choices),
    )


@dataclass
class ContributionSeries:
    """A partner's contributions to one operation, period by period."""

    operation: Operation
    contributions: list[Contribution]
    peak_personnel: int | None = None
    totals_by_currency: dict[str, Decimal] = field(default_factory=dict)
    # The periods a page shows, when it shows only the latest (the peak and totals cover them all).
    shown: list[Contribution] | None = None
    # How many periods the series has, when `contributions` holds only the latest of them.
    period_count: int | None = None

    @property
    def partner(self) -> Partner:
        return self.contributions[0].partner

    @property
    def rows(self) -> list[Contribution]:
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


def latest_contribution_series(*, partner: Partner, latest: int) -> list[ContributionSeries]:
    """The partner's contributions by operation, each series with only its `latest` periods read, and its
    period count, peak personnel and totals by currency over all of them computed by PostgreSQL."""
    contributions = Contribution.objects.filter(partner=partner)
    operation = [F("operation_id")]
    rows: list[Contribution] = list(
        contributions.annotate(
            newest=Window(
                RowNumber(), partition_by=operation, order_by=[F("period_start").desc(), F("pk").desc()]
            ),
            period_count=Window(Count("pk"), partition_by=operation),
            peak_personnel=Window(Max("personnel"), partition_by=operation),
        )
        .filter(newest__lte=latest)
        .select_related("operation")
        .order_by("operation__start_date", "operation_id", "period_start", "pk")
    )
    totals: dict[int, dict[str, Decimal]] = {}
    for row in (
        contributions.filter(amount__isnull=False)
        .values("operation_id", "currency")
        .annotate(total=Sum("amount"))
        .order_by("operation_id", "currency")
    ):
        totals.setdefault(row["operation_id"], {})[row["currency"]] = row["total"]
    series = []
    for operation_id, group in itertools.groupby(rows, key=lambda c: c.operation_id):
        shown = list(group)
        for contribution in shown:
            contribution.partner = partner
        series.append(
            ContributionSeries(
                operation=shown[0].operation,
                contributions=shown,
                peak_personnel=getattr(shown[0], "peak_personnel"),  # noqa: B009 (an annotation)
                totals_by_currency=totals.get(operation_id, {}),
                period_count=getattr(shown[0], "period_count"),  # noqa: B009 (an annotation)
            )
        )
    return series


# A profile shows the latest periods of each contribution series and the first activities of the latest
# programme; the operation's and the programme's pages have them all. (Twenty years of programmes are
# thousands of activities: the whole of them made a 2 MB page.)
PROFILE_PERIODS_SHOWN = 8
PROFILE_ACTIVITIES_SHOWN = 25


@dataclass(frozen=True)
class PartnerProfile:
    partner: Partner
    areas: list[CooperationArea]
    timeline: list[Milestone]
    dialogue_meetings: list[DialogueMeeting]
    liaison_arrangements: list[LiaisonArrangement]
    contributions_by_operation: list[ContributionSeries]
    # Newest first, each with `activity_count` (the activities the user's clearance covers).
    programmes: list[WorkProgramme]
    # The latest programme's first activities by start date (at most PROFILE_ACTIVITIES_SHOWN).
    latest_activities: list[ProgrammeActivity]

    @property
    def latest_programme(self) -> WorkProgramme | None:
        return self.programmes[0] if self.programmes else None


def partner_profile(
    *, iso_code: str, user: Any, with_all_activities: bool = False, latest_periods: int | None = None
) -> PartnerProfile:
    """Everything the profile page shows about one partner, in a fixed number of queries.

    The timeline merges the partner's milestones with the Alliance-wide ones. Programmes and activities
    are limited to the user's clearance. With `with_all_activities` (the printed profile), every programme
    also carries all its activities in `visible_activities`. Raises Partner.DoesNotExist for an unknown or
    retired partner. With `latest_periods` (the page), each contribution series reads only its latest
    periods (its count, peak and totals still cover them all); without, every contribution is read.
    """
    clearance = int(getattr(user, "clearance", 0))
    programmes_queryset = (
        programmes_visible_to(user=user)
        .annotate(activity_count=Count("activities", filter=Q(activities__marking__lte=clearance)))
        .order_by("-year", "pk")
    )
    if with_all_activities:
        programmes_queryset = programmes_queryset.prefetch_related(
            Prefetch(
                "activities",
                queryset=activities_visible_to(user=user)
                .select_related("catalogue_item")
                .order_by("start_date", "pk"),
                to_attr="visible_activities",
            )
        )
    partner = (
        current_partners()
        .select_related("region", "framework")
        .prefetch_related(
            Prefetch("areas", queryset=CooperationArea.objects.order_by(localized_text("name"))),
            Prefetch("milestones", queryset=Milestone.objects.order_by("date", "pk")),
            Prefetch("dialogue_meetings", queryset=DialogueMeeting.objects.order_by("-date", "pk")),
            Prefetch(
                "liaison_arrangements",
                queryset=LiaisonArrangement.objects.select_related("operation").order_by("-start_date", "pk"),
            ),
            *(
                []
                if latest_periods
                else [
                    Prefetch(
                        "contributions",
                        queryset=Contribution.objects.select_related("operation").order_by(
                            "operation__start_date", "operation_id", "period_start", "pk"
                        ),
                    )
                ]
            ),
            Prefetch("programmes", queryset=programmes_queryset),
        )
        .get(iso_code=iso_code.upper())
    )
    programmes = list(partner.programmes.all())
    # One query whether or not there is a programme (programme_id IS NULL matches nothing).
    latest_activities = list(
        activities_visible_to(user=user)
        .filter(programme_id=programmes[0].pk if programmes else None)
        .select_related("catalogue_item")
        .order_by("start_date", "pk")[:PROFILE_ACTIVITIES_SHOWN]
    )
    alliance_wide = list(Milestone.objects.filter(partner__isnull=True).order_by("date", "pk"))
    timeline = sorted(
        [*partner.milestones.all(), *alliance_wide], key=lambda m: (m.date, m.partner_id is None, m.pk)
    )
    return PartnerProfile(
        partner=partner,
        areas=list(partner.areas.all()),
        timeline=timeline,
        dialogue_meetings=list(partner.dialogue_meetings.all()),
        liaison_arrangements=list(partner.liaison_arrangements.all()),
        contributions_by_operation=latest_contribution_series(partner=partner, latest=latest_periods)
        if latest_periods
        else contribution_series(
            list(partner.contributions.all()), key="operation_id", latest=PROFILE_PERIODS_SHOWN
        ),
        programmes=programmes,
        latest_activities=latest_activities,
    )
