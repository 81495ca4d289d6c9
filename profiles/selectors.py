"""A partner's profile: everything its page, its API and its printed report show about one partner, read
from the partner's record, its contributions to operations and its programmes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from operations.models import Contribution
from operations.selectors import ContributionSeries, contribution_series, latest_contribution_series
from partners.models import CooperationArea, DialogueMeeting, LiaisonArrangement, Milestone, Partner
from partners.selectors import current_partners
from portal.accounts.models import User
from portal.core.i18n import localized_text
from workprogrammes.programmes.models import ProgrammeActivity, WorkProgramme
from workprogrammes.programmes.selectors import (
    activities_visible_to,
    programmes_visible_to,
    visible_activities_prefetch,
)

# A profile shows the latest periods of each contribution series and the first activities of the latest
# programme; the operation's and the programme's pages have them all. (Twenty years of programmes are
# thousands of activities: the whole of them made a 2 MB page.)
PROFILE_PERIODS_SHOWN = 8
PROFILE_ACTIVITIES_SHOWN = 25
# The columns of the latest activities that the page's table shows (workprogrammes/programmes/rows.py).
_ACTIVITY_COLUMNS = (
    "programme_id",
    "start_date",
    "end_date",
    "title_en",
    "title_fr",
    "place",
    "lead",
    "objective",
    "status",
    "catalogue_item__code",
    "catalogue_item__needs_council_decision",
)


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
    *, iso_code: str, user: User, with_all_activities: bool = False, latest_periods: int | None = None
) -> PartnerProfile:
    """Everything the profile page shows about one partner, in a fixed number of queries.

    The timeline merges the partner's milestones with the Alliance-wide ones. Programmes and activities
    are limited to the user's clearance. With `with_all_activities` (the printed profile), every programme
    also carries all its activities in `visible_activities`. Raises Partner.DoesNotExist for an unknown or
    retired partner. With `latest_periods` (the page), each contribution series reads only its latest
    periods (its count, peak and totals still cover them all); without, every contribution is read.
    """
    clearance = user.clearance
    programmes_queryset = (
        programmes_visible_to(user=user)
        .annotate(activity_count=Count("activities", filter=Q(activities__marking__lte=clearance)))
        .order_by("-year", "pk")
    )
    if with_all_activities:
        programmes_queryset = programmes_queryset.prefetch_related(visible_activities_prefetch(user=user))
    partner = (
        current_partners()
        .select_related("region", "framework")
        .prefetch_related(
            Prefetch("areas", queryset=CooperationArea.objects.order_by(localized_text("name"))),
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
        .only(*_ACTIVITY_COLUMNS)
        .order_by("start_date", "pk")[:PROFILE_ACTIVITIES_SHOWN]
    )
    # The partner's milestones and the Alliance-wide ones (partner null) in one query.
    milestones = list(Milestone.objects.filter(Q(partner_id=partner.pk) | Q(partner__isnull=True)))
    for milestone in milestones:
        if milestone.partner_id is not None:
            milestone.partner = partner
    timeline = sorted(milestones, key=lambda m: (m.date, m.partner_id is None, m.pk))
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
