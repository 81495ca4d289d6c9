"""Demo inclusion requests and two North Atlantic Council meetings, made through the workflow services.

Every request is written by the workflow services (workprogrammes/requests/ and council/), so its
status changes, revisions, agenda items, decisions and notification events are the ones the portal
itself would write, with the same rules: the desk's officer asks, `reviewer` reviews, `secretary` manages the
Council, and nobody reviews or decides what they asked for.

A request is found by its partner and title: one that exists is left as it is (whatever happened to it
since), so a second run creates nothing. The steps are dated back from now so the timelines, the
review queue's due dates, the meeting held three weeks ago, the meeting in ten days and the silence
deadline in three days read naturally whenever the demo is loaded.
"""

from __future__ import annotations

import datetime

from django.db import models
from django.utils import timezone

from partners.models import Partner
from portal.accounts.models import User
from workprogrammes.catalogue.models import CatalogueItem
from workprogrammes.council import decision_services, silence_services
from workprogrammes.council import services as council_services
from workprogrammes.council.models import (
    AgendaItem,
    CouncilDecision,
    CouncilDecisionOutcome,
    CouncilMeeting,
    CouncilMeetingStatus,
)
from workprogrammes.requests import services
from workprogrammes.requests.discussion_models import Comment
from workprogrammes.requests.models import (
    InclusionRequest,
    RequestRevision,
    StatusChange,
)
from workprogrammes.workflow_steps import RequestStep, request_step

from ..upsert import Tally
from .decided import DECIDED
from .in_review import IN_REVIEW
from .specs import (
    MEETING_NOTES,
    MEETING_NUMBERS,
    OFFICER_ACTIONS,
    PAST,
    PAST_MEETING_DAYS_AGO,
    SILENCE_DAYS,
    UPCOMING,
    UPCOMING_MEETING_IN_DAYS,
    DemoRequest,
    Step,
)
from .upcoming import BEFORE_UPCOMING_MEETING

# In the order they are created.
REQUESTS: list[DemoRequest] = [*DECIDED, *BEFORE_UPCOMING_MEETING, *IN_REVIEW]

COUNTED: tuple[type[models.Model], ...] = (
    InclusionRequest,
    RequestRevision,
    StatusChange,
    Comment,
    CouncilMeeting,
    AgendaItem,
    CouncilDecision,
)


def _counts() -> dict[type[models.Model], int]:
    return {model: model._default_manager.count() for model in COUNTED}


def load_requests(
    tally: Tally, *, partners: dict[str, Partner], catalogue: dict[str, CatalogueItem]
) -> list[InclusionRequest]:
    """Create the demo requests that do not exist yet, each walked through the workflow services."""
    missing = [
        spec
        for spec in REQUESTS
        if not InclusionRequest.objects.filter(partner=partners[spec.partner], title=spec.title).exists()
    ]
    if not missing:
        return []
    before = _counts()
    now = timezone.now()
    people = {
        u.username: u
        for u in User.objects.filter(username__in=["officer", "officer2", "reviewer", "secretary"])
    }
    created = {
        spec.key: _create(spec, partners=partners, catalogue=catalogue, people=people, now=now)
        for spec in missing
    }
    for spec in missing:
        created[spec.key] = _walk(created[spec.key], spec.steps, spec=spec, people=people, now=now)
    past = [spec for spec in missing if spec.meeting == PAST]
    upcoming_needed = any(
        spec.meeting == UPCOMING or any(step.action == "reschedule" for step in spec.after)
        for spec in missing
    )
    upcoming = _upcoming_meeting(people["secretary"], now=now) if upcoming_needed else None
    if past:
        _hold_past_meeting(past, created, people["secretary"], now=now)
    # A deferred request goes back on the upcoming agenda first, then the new items follow it.
    for spec in missing:
        for step in spec.after:
            if step.action == "reschedule":
                assert upcoming is not None
                created[spec.key] = council_services.inclusion_request_reschedule(
                    actor=people[step.actor or "secretary"],
                    request=created[spec.key],
                    meeting=upcoming,
                    now=now - datetime.timedelta(days=step.days_ago),
                )
    if upcoming is not None:
        _build_upcoming_agenda(
            [spec for spec in missing if spec.meeting == UPCOMING],
            created,
            upcoming,
            people["secretary"],
            now=now,
        )
    for spec in missing:
        later = tuple(step for step in spec.after if step.action != "reschedule")
        created[spec.key] = _walk(created[spec.key], later, spec=spec, people=people, now=now)
    for spec in missing:
        for author, visibility, body in spec.comments:
            services.comment_add(
                actor=people[author], request=created[spec.key], body=body, visibility=visibility
            )
    after = _counts()
    for model, count in after.items():
        if count > before[model]:
            tally.created[str(model._meta.verbose_name_plural)] += count - before[model]
    return list(created.values())


def _create(
    spec: DemoRequest,
    *,
    partners: dict[str, Partner],
    catalogue: dict[str, CatalogueItem],
    people: dict[str, User],
    now: datetime.datetime,
) -> InclusionRequest:
    item = catalogue[spec.item]
    start = timezone.localdate(now) + datetime.timedelta(days=spec.starts_in)
    end = start + datetime.timedelta(days=min(item.duration_days or 1, 60) - 1)
    return services.inclusion_request_create(
        actor=people[spec.officer],
        partner=partners[spec.partner],
        catalogue_item=item,
        title=spec.title,
        start_date=start,
        end_date=end,
        place=spec.place,
        justification=spec.justification,
        mutual_benefit=spec.mutual_benefit,
        marking=item.marking,
        releasability=spec.releasability,
    )


# The demo's steps taken through the workflow's entry point, by the action of their row.
REQUEST_STEPS = {
    "submit": "submit",
    "start_review": "start_review",
    "return": "return",
    "recommend": "recommend",
    "not_recommend": "not_recommend",
    "send": "send_to_council",
    "close_exempt": "close_exempt",
}


def _walk(
    request: InclusionRequest,
    steps: tuple[Step, ...],
    *,
    spec: DemoRequest,
    people: dict[str, User],
    now: datetime.datetime,
) -> InclusionRequest:
    for step in steps:
        at = now - datetime.timedelta(days=step.days_ago)
        actor = people[step.actor or (spec.officer if step.action in OFFICER_ACTIONS else "reviewer")]
        if step.action in REQUEST_STEPS:
            stepped = request_step(
                request=request,
                step=RequestStep(actor=actor, action=REQUEST_STEPS[step.action], reason=step.reason, now=at),
            )
            assert isinstance(stepped, InclusionRequest)  # the request's own steps return it
            request = stepped
        elif step.action == "withdraw":
            request = council_services.inclusion_request_withdraw(
                actor=actor, request=request, reason=step.reason, now=at
            )
        else:
            raise ValueError(f"Unknown demo step {step.action!r}")
    return request


def _free_reference(year: int, number: int) -> str:
    while CouncilMeeting.objects.filter(reference__iexact=f"C-M({year}){number:04d}").exists():
        number += 1
    return f"C-M({year}){number:04d}"


def _new_meeting(which: str, secretary: User, *, date: datetime.date) -> CouncilMeeting:
    return council_services.council_meeting_create(
        actor=secretary,
        date=date,
        reference=_free_reference(date.year, MEETING_NUMBERS[which]),
        notes=MEETING_NOTES[which],
    )


def _upcoming_meeting(secretary: User, *, now: datetime.datetime) -> CouncilMeeting:
    """The demo's planned meeting, or a new one in ten days."""
    meeting = CouncilMeeting.objects.filter(
        notes=MEETING_NOTES[UPCOMING], status=CouncilMeetingStatus.PLANNED
    ).first()
    if meeting is not None:
        return meeting
    date = timezone.localdate(now) + datetime.timedelta(days=UPCOMING_MEETING_IN_DAYS)
    return _new_meeting(UPCOMING, secretary, date=date)


def _hold_past_meeting(
    specs: list[DemoRequest],
    created: dict[tuple[str, str], InclusionRequest],
    secretary: User,
    *,
    now: datetime.datetime,
) -> None:
    """The meeting three weeks ago: its agenda, then its decision sheet (approved, with exceptions)."""
    held_at = now - datetime.timedelta(days=PAST_MEETING_DAYS_AGO)
    meeting = _new_meeting(PAST, secretary, date=timezone.localdate(held_at))
    agenda_at = now - datetime.timedelta(days=max(spec.agenda_days_ago for spec in specs))
    items = council_services.agenda_build(
        actor=secretary, meeting=meeting, requests=[created[spec.key] for spec in specs], now=agenda_at
    )
    by_spec = dict(zip([spec.key for spec in specs], items, strict=True))
    decision_services.council_sheet_record(
        actor=secretary,
        meeting=meeting,
        default_outcome=CouncilDecisionOutcome.APPROVED,
        reference=meeting.reference.replace("C-M", "C-DS"),
        exceptions={
            by_spec[spec.key].pk: spec.outcome
            for spec in specs
            if spec.outcome != CouncilDecisionOutcome.APPROVED
        },
        item_conditions={by_spec[spec.key].pk: spec.conditions for spec in specs if spec.conditions},
        now=held_at,
    )
    for spec in specs:
        created[spec.key].refresh_from_db()


def _build_upcoming_agenda(
    specs: list[DemoRequest],
    created: dict[tuple[str, str], InclusionRequest],
    meeting: CouncilMeeting,
    secretary: User,
    *,
    now: datetime.datetime,
) -> None:
    """The upcoming meeting's agenda, with one item under silence until three days from now."""
    if not specs:
        return
    agenda_at = now - datetime.timedelta(days=max(spec.agenda_days_ago for spec in specs))
    items = council_services.agenda_build(
        actor=secretary, meeting=meeting, requests=[created[spec.key] for spec in specs], now=agenda_at
    )
    silenced = [item for spec, item in zip(specs, items, strict=True) if spec.silence]
    if silenced:
        deadline = (now + datetime.timedelta(days=SILENCE_DAYS)).replace(minute=0, second=0, microsecond=0)
        silence_services.silence_start(
            actor=secretary, items=silenced, deadline=deadline, now=now - datetime.timedelta(days=1)
        )
    for spec in specs:
        created[spec.key].refresh_from_db()
