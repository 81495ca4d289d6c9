"""Writes of inclusion requests and the council's work on them.

Each workflow step is one function that checks who may act (permissions.py), locks the request row,
checks the current status against the workflow table (workflow.py), changes it, writes the
StatusChange and records the notification event, all in one transaction. An illegal or stale step
raises workflow.TransitionNotAllowed; a role, desk or separation-of-duties problem PermissionDenied;
bad input ValidationError (with field names where there are fields).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from partners.models import Partner
from portal.accounts.models import Desk, User
from portal.core.models import Marking
from portal.core.records import record_create, record_update
from portal.notifications.services import event_record
from portal.ops.metrics import workflow_transition_count

from . import permissions
from .attachments import attachment_check
from .catalogue_import import COLUMNS as CATALOGUE_COLUMNS
from .models import (
    AGENDA_ITEM_OPEN,
    CASE_TEXT_MAX_LENGTH,
    CASE_TEXT_MIN_LENGTH,
    OUTSIDE_MEETING_REASON_MIN_LENGTH,
    REQUEST_LONGEST,
    SILENCE_LONGEST,
    AgendaItem,
    AgendaItemStatus,
    Attachment,
    CatalogueItem,
    Comment,
    CommentVisibility,
    CouncilDecision,
    CouncilDecisionOutcome,
    CouncilMeeting,
    CouncilMeetingKind,
    CouncilMeetingStatus,
    InclusionRequest,
    InclusionRequestStatus,
    ProgrammeActivity,
    RequestRevision,
    StatusChange,
    meeting_date_window,
    request_start_window,
)
from .workflow import (
    DECISION_ACTIONS,
    Transition,
    TransitionNotAllowed,
    check_reason,
    check_status,
    transition_for,
)

S = InclusionRequestStatus

# The fields an officer writes; a revision snapshot keeps them as people read them.
EDITABLE_FIELDS: tuple[str, ...] = (
    "partner",
    "programme_activity",
    "catalogue_item",
    "title",
    "start_date",
    "end_date",
    "place",
    "justification",
    "mutual_benefit",
    "marking",
    "releasability",
)


def review_period() -> datetime.timedelta:
    """How long reviewers have (the service level the overdue reminders use too)."""
    return datetime.timedelta(days=int(getattr(settings, "REVIEW_SERVICE_LEVEL_DAYS", 10)))


# --- Drafting -----------------------------------------------------------------------------------


def _next_reference(*, on: datetime.date) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('workprogrammes_inclusion_request_number')")
        (number,) = cursor.fetchone()
    return f"IR-{on.year}-{number:04d}"


def _desk_for(*, officer: User, partner: Partner) -> Desk:
    desk = Desk.objects.filter(members=officer, partners=partner).order_by("name", "pk").first()
    if desk is None:
        raise PermissionDenied(_("%(partner)s is not on any of your desks.") % {"partner": partner})
    return desk


def _validate_content(
    *,
    principal: User,
    partner: Partner,
    programme_activity: ProgrammeActivity | None,
    catalogue_item: CatalogueItem | None,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    justification: str,
    mutual_benefit: str,
    marking: int,
) -> None:
    errors: dict[str, str] = {}
    if (programme_activity is None) == (catalogue_item is None):
        errors["catalogue_item"] = _("Choose either a programme activity or a catalogue item, not both.")
    if programme_activity is not None and programme_activity.programme.partner_id != partner.pk:
        errors["programme_activity"] = _("This activity belongs to another partner's programme.")
    if catalogue_item is not None:
        if start_date is None:
            errors["start_date"] = _("Enter the date the activity starts.")
        if end_date is None:
            errors["end_date"] = _("Enter the date the activity ends.")
        if start_date and end_date and end_date < start_date:
            errors["end_date"] = _("The end date must be on or after the start date.")
        elif start_date and end_date and end_date - start_date > REQUEST_LONGEST:
            errors["end_date"] = _("An activity lasts at most two years: check the end date.")
        earliest, latest = request_start_window(timezone.localdate())
        if start_date and not earliest <= start_date <= latest:
            errors["start_date"] = _(
                "The activity must start between %(earliest)s and %(latest)s (a year ago to five years "
                "ahead): check the year."
            ) % {
                "earliest": formats.date_format(earliest, "DATE_FORMAT"),
                "latest": formats.date_format(latest, "DATE_FORMAT"),
            }
        if catalogue_item.deleted_at is not None or catalogue_item.deactivated_on is not None:
            errors["catalogue_item"] = _("This catalogue item is no longer offered.")
    for name, text, missing in (
        ("justification", justification, _("Explain why the partner should take part.")),
        ("mutual_benefit", mutual_benefit, _("State the mutual benefit and reciprocity.")),
    ):
        length = len(text.strip())
        if not length:
            errors[name] = missing
        elif length < CASE_TEXT_MIN_LENGTH:
            errors[name] = _(
                "Write at least %(count)s characters: a sentence or two that makes the case."
            ) % {"count": CASE_TEXT_MIN_LENGTH}
        elif length > CASE_TEXT_MAX_LENGTH:
            errors[name] = _("Keep this to %(count)s characters at most (it has %(length)s).") % {
                "count": CASE_TEXT_MAX_LENGTH,
                "length": length,
            }
    if marking > principal.clearance:
        errors["marking"] = _("You cannot mark a request above your own clearance.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def inclusion_request_create(
    *,
    actor: User,
    partner: Partner,
    justification: str,
    mutual_benefit: str,
    programme_activity: ProgrammeActivity | None = None,
    catalogue_item: CatalogueItem | None = None,
    title: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    place: str = "",
    marking: int = Marking.NATO_UNCLASSIFIED,
    releasability: str = "",
    acting_for: User | None = None,
) -> InclusionRequest:
    """Start a draft request for a partner on one of the officer's desks (nobody is notified yet)."""
    principal = permissions.principal_for(actor=actor, acting_for=acting_for)
    if not permissions.can_create_request(principal) or not permissions.handles_partner(
        principal, partner.pk
    ):
        raise PermissionDenied(_("Only officers of the partner's desk may ask for its inclusion."))
    _validate_content(
        principal=principal,
        partner=partner,
        programme_activity=programme_activity,
        catalogue_item=catalogue_item,
        start_date=start_date,
        end_date=end_date,
        justification=justification,
        mutual_benefit=mutual_benefit,
        marking=marking,
    )
    on_programme = programme_activity is not None
    request = InclusionRequest.objects.create(
        reference=_next_reference(on=timezone.localdate()),
        partner=partner,
        desk=_desk_for(officer=principal, partner=partner),
        programme_activity=programme_activity,
        catalogue_item=catalogue_item,
        title="" if on_programme else title.strip(),
        start_date=None if on_programme else start_date,
        end_date=None if on_programme else end_date,
        place="" if on_programme else place.strip(),
        justification=justification.strip(),
        mutual_benefit=mutual_benefit.strip(),
        marking=marking,
        releasability=releasability.strip(),
        requested_by=principal,
    )
    request.watchers.add(*{principal, actor})
    return request


@transaction.atomic
def inclusion_request_update(
    *, actor: User, request: InclusionRequest, acting_for: User | None = None, **changes: Any
) -> InclusionRequest:
    """Change a draft or returned request; other statuses are frozen (TransitionNotAllowed)."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    principal = permissions.principal_for(actor=actor, acting_for=acting_for)
    locked = InclusionRequest.objects.select_for_update().get(pk=request.pk)
    if not permissions.request_is_visible(principal, locked) or not permissions.handles_partner(
        principal, locked.partner_id
    ):
        raise PermissionDenied(_("Only officers of the partner's desk may change this request."))
    if locked.status not in permissions.EDITABLE_STATUSES:
        raise TransitionNotAllowed(
            _("This request is %(status)s; only drafts and returned requests can be changed.")
            % {"status": S(locked.status).label.lower()},
            code="not_editable",
        )
    for field, value in changes.items():
        setattr(locked, field, value.strip() if isinstance(value, str) else value)
    if not permissions.handles_partner(principal, locked.partner_id):
        raise PermissionDenied(_("%(partner)s is not on any of your desks.") % {"partner": locked.partner})
    _validate_content(
        principal=principal,
        partner=locked.partner,
        programme_activity=locked.programme_activity,
        catalogue_item=locked.catalogue_item,
        start_date=locked.start_date,
        end_date=locked.end_date,
        justification=locked.justification,
        mutual_benefit=locked.mutual_benefit,
        marking=locked.marking,
    )
    if locked.programme_activity_id is not None:
        locked.title, locked.start_date, locked.end_date, locked.place = "", None, None, ""
    update_fields = [*changes, "title", "start_date", "end_date", "place", "updated_at"]
    if "partner" in changes:
        locked.desk = _desk_for(officer=principal, partner=locked.partner)
        update_fields.append("desk")
    locked.save(update_fields=sorted(set(update_fields)))
    return locked


def revision_snapshot(request: InclusionRequest) -> dict[str, str]:
    """The editable fields as people read them, for the revision history and its differences."""
    return {
        "partner": str(request.partner),
        "programme_activity": str(request.programme_activity or ""),
        "catalogue_item": str(request.catalogue_item or ""),
        "title": request.title,
        "start_date": request.start_date.isoformat() if request.start_date else "",
        "end_date": request.end_date.isoformat() if request.end_date else "",
        "place": request.place,
        "justification": request.justification,
        "mutual_benefit": request.mutual_benefit,
        "marking": str(Marking(request.marking).label),
        "releasability": request.releasability,
    }


# --- The workflow -------------------------------------------------------------------------------


def _event_data(*, request: InclusionRequest, change: StatusChange | None, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "reference": request.reference,
        "partner_id": request.partner_id,
        "desk_id": request.desk_id,
        "status": request.status,
        "revision": request.revision,
    }
    if change is not None:
        data.update(
            from_status=change.from_status,
            to_status=change.to_status,
            reason=change.reason,
            acting_for_id=change.acting_for_id,
            status_change_id=change.pk,
        )
    data.update(extra)
    return data


def _transition(
    *,
    request: InclusionRequest | int,
    action: str,
    actor: User | None,
    acting_for: User | None = None,
    reason: str = "",
    now: datetime.datetime | None = None,
    change: Any = None,
    event_extra: Mapping[str, Any] | None = None,
) -> tuple[InclusionRequest, StatusChange]:
    """Apply one row of the workflow table to a request (the caller holds a transaction).

    `actor=None` is the portal itself (only the silence procedure ending unbroken does that).
    `change(locked, now)` sets the transition's other fields and returns their names.
    """
    transition: Transition = transition_for(action)
    now = now or timezone.now()
    request_id = request if isinstance(request, int) else request.pk
    locked = InclusionRequest.objects.select_for_update().get(pk=request_id)
    if actor is not None:
        permissions.transition_permission_check(
            actor=actor, acting_for=acting_for, request=locked, transition=transition
        )
    check_status(
        transition=transition, status=locked.status, needs_council_decision=locked.needs_council_decision
    )
    check_reason(transition=transition, reason=reason)
    from_status = locked.status
    locked.status = transition.target
    update_fields = ["status", "updated_at"]
    if change is not None:
        update_fields += change(locked, now)
    locked.save(update_fields=update_fields)
    status_change = StatusChange.objects.create(
        request=locked,
        from_status=from_status,
        to_status=transition.target,
        actor=actor,
        acting_for=acting_for if acting_for is not None and acting_for != actor else None,
        at=now,
        reason=reason.strip(),
        revision=locked.revision,
    )
    workflow_transition_count(from_status=from_status, to_status=transition.target)
    event_record(
        kind=transition.event,
        target=locked,
        actor=actor,
        data=_event_data(request=locked, change=status_change, action=action, **(event_extra or {})),
    )
    return locked, status_change


@transaction.atomic
def inclusion_request_submit(
    *,
    actor: User,
    request: InclusionRequest,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
) -> InclusionRequest:
    """Submit a draft, or resubmit a returned request as the next revision; freezes a revision snapshot."""
    current = InclusionRequest.objects.filter(pk=request.pk).values_list("status", flat=True).first()
    action = "resubmit" if current == S.RETURNED else "submit"

    def change(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
        if action == "resubmit":
            locked.revision += 1
        locked.submitted_at = at
        locked.submitted_by = actor
        locked.due_at = at + review_period()
        locked.needs_council_decision = locked.current_council_need()
        RequestRevision.objects.create(
            request=locked,
            number=locked.revision,
            snapshot=revision_snapshot(locked),
            created_by=actor,
            created_at=at,
        )
        return ["revision", "submitted_at", "submitted_by", "due_at", "needs_council_decision"]

    locked, _change = _transition(
        request=request, action=action, actor=actor, acting_for=acting_for, now=now, change=change
    )
    return locked


@transaction.atomic
def inclusion_request_start_review(
    *,
    actor: User,
    request: InclusionRequest,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
) -> InclusionRequest:
    """A reviewer takes a submitted request under review and becomes its reviewer."""

    def change(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
        locked.reviewer = acting_for or actor
        return ["reviewer"]

    locked, _change = _transition(
        request=request, action="start_review", actor=actor, acting_for=acting_for, now=now, change=change
    )
    return locked


@transaction.atomic
def inclusion_request_return(
    *,
    actor: User,
    request: InclusionRequest,
    reason: str,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
) -> InclusionRequest:
    """Return a request under review to the officer for changes; the reason says what to change."""
    locked, _change = _transition(
        request=request, action="return", actor=actor, acting_for=acting_for, reason=reason, now=now
    )
    return locked


@transaction.atomic
def inclusion_request_recommend(
    *,
    actor: User,
    request: InclusionRequest,
    reason: str = "",
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
) -> InclusionRequest:
    """Recommend a request under review to the Council."""
    locked, _change = _transition(
        request=request, action="recommend", actor=actor, acting_for=acting_for, reason=reason, now=now
    )
    return locked


@transaction.atomic
def inclusion_request_not_recommend(
    *,
    actor: User,
    request: InclusionRequest,
    reason: str,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
) -> InclusionRequest:
    """Advise the Council against a request under review (it still goes to the Council); reason required."""
    locked, _change = _transition(
        request=request, action="not_recommend", actor=actor, acting_for=acting_for, reason=reason, now=now
    )
    return locked


@transaction.atomic
def inclusion_request_close_exempt(
    *,
    actor: User,
    request: InclusionRequest,
    reason: str,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
) -> InclusionRequest:
    """Close as approved a request whose catalogue item needs no Council decision ("certain cases")."""

    def change(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
        locked.decided_at = at
        return ["decided_at"]

    locked, _change = _transition(
        request=request,
        action="close_exempt",
        actor=actor,
        acting_for=acting_for,
        reason=reason,
        now=now,
        change=change,
    )
    return locked


@transaction.atomic
def inclusion_request_send_to_council(
    *,
    actor: User,
    request: InclusionRequest,
    reason: str = "",
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
) -> InclusionRequest:
    """Put a recommended (or not recommended) request before the Council, awaiting a meeting."""
    locked, _change = _transition(
        request=request, action="send_to_council", actor=actor, acting_for=acting_for, reason=reason, now=now
    )
    return locked


def _close_open_items(
    *, request: InclusionRequest, status: str, meeting: CouncilMeeting | None = None
) -> None:
    items = AgendaItem.objects.filter(request=request, status__in=AGENDA_ITEM_OPEN)
    if meeting is not None:
        items = items.filter(meeting=meeting)
    items.update(status=status)


@transaction.atomic
def inclusion_request_withdraw(
    *,
    actor: User,
    request: InclusionRequest,
    reason: str,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
) -> InclusionRequest:
    """The desk's officer withdraws a request before the final decision; it leaves any open agenda."""

    def change(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
        _close_open_items(request=locked, status=AgendaItemStatus.WITHDRAWN)
        return []

    locked, _change = _transition(
        request=request,
        action="withdraw",
        actor=actor,
        acting_for=acting_for,
        reason=reason,
        now=now,
        change=change,
    )
    return locked


def _check_no_silence_running(*, request: InclusionRequest, open_items: Any) -> None:
    """A person records no decision on an item under the silence procedure (it ends by itself, or is
    broken and goes back to the Council)."""
    under_silence = open_items.filter(status=AgendaItemStatus.UNDER_SILENCE).first()
    if under_silence is not None:
        deadline = under_silence.silence_deadline
        raise TransitionNotAllowed(
            _(
                "%(reference)s is under the silence procedure until %(deadline)s: no decision can be "
                "recorded while it runs. If a delegation breaks silence, record that first."
            )
            % {
                "reference": request.reference,
                "deadline": formats.date_format(timezone.localtime(deadline), "DATETIME_FORMAT")
                if deadline
                else "–",
            },
            code="silence_running",
        )


def check_meeting_has_taken_place(*, meeting: CouncilMeeting, on: datetime.date) -> None:
    """Decisions of a meeting are recorded, and the meeting marked held, only on or after its date."""
    if on < meeting.date:
        raise TransitionNotAllowed(
            _(
                "%(meeting)s takes place on %(date)s: its decisions can be recorded on that day or later, "
                "not before."
            )
            % {"meeting": meeting.reference, "date": formats.date_format(meeting.date, "DATE_FORMAT")},
            code="meeting_not_yet_held",
        )


# --- Reassigning a review ------------------------------------------------------------------------

REASSIGNABLE_STATUSES = (S.SUBMITTED, S.UNDER_REVIEW)


@transaction.atomic
def inclusion_request_reassign(
    *,
    actor: User,
    request: InclusionRequest,
    reviewer: User,
    reason: str,
    now: datetime.datetime | None = None,
) -> InclusionRequest:
    """The head of the request's desk (the reviewers' lead) or an administrator gives its review to
    another reviewer, with a reason; the new reviewer has a fresh review period and is told."""
    now = now or timezone.now()
    locked = InclusionRequest.objects.select_for_update().select_related("desk").get(pk=request.pk)
    if not permissions.may_reassign_review(actor, locked):
        raise PermissionDenied(
            _("Only the head of the request's desk or an administrator may reassign its review.")
        )
    if locked.status not in REASSIGNABLE_STATUSES:
        raise TransitionNotAllowed(
            _("This request is %(status)s; only a review waiting or under way can be reassigned.")
            % {"status": S(locked.status).label.lower()},
            code="not_under_review",
        )
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = _("Give the reason for reassigning the review.")
    refusal = permissions.reviewer_refusal(reviewer, locked)
    if refusal is not None:
        errors["reviewer"] = refusal
    elif reviewer.pk == locked.reviewer_id:
        errors["reviewer"] = _("%(name)s already reviews this request.") % {
            "name": reviewer.get_full_name() or reviewer.get_username()
        }
    if errors:
        raise ValidationError(errors)
    previous = locked.reviewer
    locked.reviewer = reviewer
    locked.due_at = now + review_period()
    locked.save(update_fields=["reviewer", "due_at", "updated_at"])
    change = StatusChange.objects.create(
        request=locked,
        from_status=locked.status,
        to_status=locked.status,
        actor=actor,
        at=now,
        reason=reason.strip(),
        revision=locked.revision,
        reviewer_from=previous,
        reviewer_to=reviewer,
    )
    event_record(
        kind="request.reassigned",
        target=locked,
        actor=actor,
        data=_event_data(
            request=locked,
            change=change,
            action="reassign",
            reviewer_id=reviewer.pk,
            reviewer_name=reviewer.get_full_name() or reviewer.get_username(),
            previous_reviewer_id=previous.pk if previous is not None else None,
        ),
    )
    return locked


# --- Bulk actions (the queue's, on pages and through the API) --------------------------------------

BULK_ACTIONS: dict[str, Any] = {
    "start_review": _lazy("Start review"),
    "recommend": _lazy("Recommend"),
    "not_recommend": _lazy("Do not recommend"),
    "return": _lazy("Return for changes"),
    "reassign": _lazy("Reassign the review"),
}
BULK_NEEDS_REASON = frozenset({"not_recommend", "return", "reassign"})


@dataclass(frozen=True)
class BulkResult:
    """One line of a bulk action's outcome: the request, whether it was done, and why not."""

    request: InclusionRequest
    done: bool
    message: str


def inclusion_request_bulk_act(
    *,
    actor: User,
    requests: Iterable[InclusionRequest],
    action: str,
    reason: str = "",
    reviewer: User | None = None,
) -> list[BulkResult]:
    """Apply one action to each request through the same service as one by one, each in its own
    transaction: one refused request does not undo the others. One result per request."""
    if action not in BULK_ACTIONS:
        raise ValueError(f"Unknown bulk action {action!r}")
    results: list[BulkResult] = []
    for inclusion_request in requests:
        try:
            if action == "reassign":
                if reviewer is None:
                    raise ValidationError({"reviewer": _("Choose the reviewer to give the reviews to.")})
                updated = inclusion_request_reassign(
                    actor=actor, request=inclusion_request, reviewer=reviewer, reason=reason
                )
            elif action == "start_review":
                updated = inclusion_request_start_review(actor=actor, request=inclusion_request)
            else:
                service = {
                    "recommend": inclusion_request_recommend,
                    "not_recommend": inclusion_request_not_recommend,
                    "return": inclusion_request_return,
                }[action]
                updated = service(actor=actor, request=inclusion_request, reason=reason)
        except (TransitionNotAllowed, PermissionDenied, ValidationError) as error:
            text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            results.append(BulkResult(inclusion_request, False, text or _("You may not do this.")))
        else:
            results.append(
                BulkResult(
                    updated,
                    True,
                    _("Done; it is now %(status)s.") % {"status": S(updated.status).label.lower()},
                )
            )
    return results


def _decide(
    *,
    request: InclusionRequest | int,
    outcome: str,
    actor: User | None,
    acting_for: User | None,
    meeting: CouncilMeeting | None,
    reference: str,
    conditions: str,
    reason: str,
    now: datetime.datetime,
) -> CouncilDecision:
    if outcome not in DECISION_ACTIONS:
        raise ValidationError({"outcome": _("Choose approved, rejected or deferred.")})
    decision: list[CouncilDecision] = []

    def change(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
        open_items = AgendaItem.objects.filter(request=locked, status__in=AGENDA_ITEM_OPEN)
        if actor is not None:
            _check_no_silence_running(request=locked, open_items=open_items)
            if meeting is not None:
                check_meeting_has_taken_place(meeting=meeting, on=timezone.localdate(at))
        if meeting is not None and not open_items.filter(meeting=meeting).exists():
            raise TransitionNotAllowed(
                _("%(reference)s is not on the agenda of %(meeting)s.")
                % {"reference": locked.reference, "meeting": meeting.reference},
                code="not_on_agenda",
            )
        open_items.update(status=AgendaItemStatus.DECIDED)
        try:
            with transaction.atomic():
                decision.append(
                    CouncilDecision.objects.create(
                        request=locked,
                        meeting=meeting,
                        outcome=outcome,
                        reference=reference.strip(),
                        conditions=conditions.strip(),
                        recorded_by=actor,
                        recorded_at=at,
                        is_final=outcome != CouncilDecisionOutcome.DEFERRED,
                        outside_meeting_reason=reason.strip() if meeting is None else "",
                    )
                )
        except IntegrityError:
            # The row lock makes this unreachable in practice; the constraint is the last word.
            raise TransitionNotAllowed(
                _("A final decision is already recorded for this request."), code="already_decided"
            ) from None
        if outcome == CouncilDecisionOutcome.DEFERRED:
            return []
        locked.decided_at = at
        return ["decided_at"]

    _transition(
        request=request,
        action=DECISION_ACTIONS[outcome],
        actor=actor,
        acting_for=acting_for,
        reason=reason,
        now=now,
        change=change,
        event_extra={
            "meeting": meeting.reference if meeting else "",
            "outside_meeting": meeting is None,
            "decision_reference": reference.strip(),
            "conditions": conditions.strip(),
        },
    )
    return decision[0]


@transaction.atomic
def council_decision_record(
    *,
    actor: User,
    request: InclusionRequest,
    outcome: str,
    reference: str,
    conditions: str = "",
    meeting: CouncilMeeting | None = None,
    reason: str = "",
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
) -> CouncilDecision:
    """Record the Council's decision on one request awaiting it (approved, rejected or deferred).

    At a meeting (`meeting`, on or after its date), `reason` is an optional note for the timeline. Outside
    a meeting (a written procedure, say) the reason is required: the decision is marked as taken outside a
    meeting and keeps it. The decision's own text goes in `conditions`. Whoever reviewed or recommended the
    request may not record it, and nothing is recorded while a silence procedure runs on it.
    """
    errors: dict[str, str] = {}
    if not reference.strip():
        errors["reference"] = _("Give the decision sheet's reference.")
    if meeting is None and len(reason.strip()) < OUTSIDE_MEETING_REASON_MIN_LENGTH:
        errors["reason"] = _(
            "A decision taken outside a Council meeting needs a reason of at least %(count)s characters: "
            "say how and why it was taken (for example, by written procedure)."
        ) % {"count": OUTSIDE_MEETING_REASON_MIN_LENGTH}
    if errors:
        raise ValidationError(errors)
    return _decide(
        request=request,
        outcome=outcome,
        actor=actor,
        acting_for=acting_for,
        meeting=meeting,
        reference=reference,
        conditions=conditions,
        reason=reason,
        now=now or timezone.now(),
    )


# --- The Council: meetings, agendas, decision sheets, silence procedure -------------------------


def _require_secretary(actor: User, acting_for: User | None = None) -> User:
    principal = permissions.principal_for(actor=actor, acting_for=acting_for)
    if not permissions.can_manage_council(principal):
        raise PermissionDenied(_("Only council secretaries manage meetings and record decisions."))
    return principal


@transaction.atomic
def council_meeting_create(
    *,
    actor: User,
    date: datetime.date,
    reference: str,
    kind: str = CouncilMeetingKind.REGULAR,
    notes: str = "",
) -> CouncilMeeting:
    """Plan a Council meeting (or a silence-procedure batch) with its reference, e.g. C-M(2026)0042."""
    _require_secretary(actor)
    reference = reference.strip()
    errors: dict[str, str] = {}
    if not reference:
        errors["reference"] = _("Give the meeting's reference.")
    elif CouncilMeeting.objects.filter(reference__iexact=reference).exists():
        errors["reference"] = _("A meeting with this reference already exists.")
    if kind not in CouncilMeetingKind.values:
        errors["kind"] = _("Choose a kind of meeting.")
    earliest, latest = meeting_date_window(timezone.localdate())
    if not earliest <= date <= latest:
        errors["date"] = _(
            "A meeting is planned between %(earliest)s and %(latest)s (a year ago to two years ahead): "
            "check the year."
        ) % {
            "earliest": formats.date_format(earliest, "DATE_FORMAT"),
            "latest": formats.date_format(latest, "DATE_FORMAT"),
        }
    if errors:
        raise ValidationError(errors)
    return CouncilMeeting.objects.create(date=date, reference=reference, kind=kind, notes=notes.strip())


def _lock_meeting(meeting: CouncilMeeting) -> CouncilMeeting:
    return CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)


def _reschedule(
    *,
    actor: User,
    request: InclusionRequest,
    meeting: CouncilMeeting,
    acting_for: User | None = None,
    now: datetime.datetime,
) -> InclusionRequest:
    last_deferral = (
        CouncilDecision.objects.filter(request=request, outcome=CouncilDecisionOutcome.DEFERRED)
        .select_related("meeting")
        .order_by("-recorded_at", "-pk")
        .first()
    )
    if last_deferral is not None:
        deferred_on = (
            last_deferral.meeting.date if last_deferral.meeting else last_deferral.recorded_at.date()
        )
        if meeting.date <= deferred_on:
            raise TransitionNotAllowed(
                _("%(reference)s was deferred on %(date)s; put it on a later meeting.")
                % {"reference": request.reference, "date": date_format(deferred_on, "DATE_FORMAT")},
                code="not_a_later_meeting",
            )
    locked, _change = _transition(
        request=request,
        action="reschedule",
        actor=actor,
        acting_for=acting_for,
        now=now,
        reason=_("Rescheduled at %(meeting)s.") % {"meeting": meeting.reference},
        event_extra={"meeting": meeting.reference, "rescheduled": True},
    )
    return locked


@transaction.atomic
def inclusion_request_reschedule(
    *,
    actor: User,
    request: InclusionRequest,
    meeting: CouncilMeeting,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
) -> InclusionRequest:
    """Put a deferred request on a later meeting's agenda: deferred -> awaiting council, plus the item."""
    locked = InclusionRequest.objects.select_for_update().get(pk=request.pk)
    locked = _reschedule(
        actor=actor, request=locked, meeting=meeting, acting_for=acting_for, now=now or timezone.now()
    )
    agenda_build(actor=actor, meeting=meeting, requests=[locked], now=now)
    return locked


@transaction.atomic
def agenda_build(
    *,
    actor: User,
    meeting: CouncilMeeting,
    requests: Iterable[InclusionRequest],
    now: datetime.datetime | None = None,
) -> list[AgendaItem]:
    """Add requests awaiting the Council to a planned meeting's agenda, after its current items.

    A deferred request is rescheduled (deferred -> awaiting council) when added to a meeting later than
    the one that deferred it. Either every request is added or none is.
    """
    _require_secretary(actor)
    now = now or timezone.now()
    meeting = _lock_meeting(meeting)
    if meeting.status != CouncilMeetingStatus.PLANNED:
        raise TransitionNotAllowed(
            _("This meeting has been held; its agenda is closed."), code="meeting_held"
        )
    position = (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1
    items: list[AgendaItem] = []
    for request in requests:
        locked = InclusionRequest.objects.select_for_update().get(pk=request.pk)
        if not permissions.request_is_visible(actor, locked):
            raise PermissionDenied(_("You cannot see %(reference)s.") % {"reference": locked.reference})
        if locked.status == S.DEFERRED:
            locked = _reschedule(actor=actor, request=locked, meeting=meeting, now=now)
        elif locked.status != S.AWAITING_COUNCIL:
            raise TransitionNotAllowed(
                _("%(reference)s is %(status)s, not awaiting the Council.")
                % {"reference": locked.reference, "status": S(locked.status).label.lower()},
                code="not_awaiting_council",
            )
        if AgendaItem.objects.filter(request=locked, status__in=AGENDA_ITEM_OPEN).exists():
            raise TransitionNotAllowed(
                _("%(reference)s is already on an open agenda.") % {"reference": locked.reference},
                code="already_on_agenda",
            )
        items.append(AgendaItem.objects.create(meeting=meeting, request=locked, position=position))
        position += 1
    return items


@transaction.atomic
def council_sheet_record(
    *,
    actor: User,
    meeting: CouncilMeeting,
    default_outcome: str,
    reference: str,
    conditions: str = "",
    exceptions: Mapping[int, str] | None = None,
    item_conditions: Mapping[int, str] | None = None,
    now: datetime.datetime | None = None,
) -> list[CouncilDecision]:
    """Record a meeting's decision sheet at once: one outcome for every scheduled item, with exceptions.

    `exceptions` and `item_conditions` are keyed by agenda item id ("approved, except item 3:
    deferred"). Items under silence are left to the silence procedure. All or nothing: one item that
    cannot be decided refuses the whole sheet.
    """
    _require_secretary(actor)
    now = now or timezone.now()
    exceptions = dict(exceptions or {})
    item_conditions = dict(item_conditions or {})
    errors: dict[str, str] = {}
    if default_outcome not in DECISION_ACTIONS:
        errors["default_outcome"] = _("Choose approved, rejected or deferred.")
    if not reference.strip():
        errors["reference"] = _("Give the decision sheet's reference.")
    if errors:
        raise ValidationError(errors)
    meeting = _lock_meeting(meeting)
    check_meeting_has_taken_place(meeting=meeting, on=timezone.localdate(now))
    items = list(
        meeting.agenda_items.select_for_update()
        .filter(status=AgendaItemStatus.SCHEDULED)
        .select_related("request")
        .order_by("position", "pk")
    )
    if any(not permissions.request_is_visible(actor, item.request) for item in items):
        # The sheet decides every scheduled item: one the secretary may not see cannot be decided blind.
        raise PermissionDenied(
            _(
                "Some items of this agenda are above your clearance, so you cannot record its decision "
                "sheet. A council secretary cleared for every item records it."
            )
        )
    if not items:
        raise TransitionNotAllowed(
            _("No item of this meeting is waiting for a decision."), code="nothing_to_decide"
        )
    item_ids = {item.pk for item in items}
    stray = (set(exceptions) | set(item_conditions)) - item_ids
    if stray:
        raise ValidationError(_("Some exceptions name items that are not waiting on this agenda."))
    for outcome in exceptions.values():
        if outcome not in DECISION_ACTIONS:
            raise ValidationError(_("Choose approved, rejected or deferred for each exception."))
    decisions = [
        _decide(
            request=item.request_id,
            outcome=exceptions.get(item.pk, default_outcome),
            actor=actor,
            acting_for=None,
            meeting=meeting,
            reference=reference,
            conditions=item_conditions.get(item.pk, "") or conditions,
            reason="",
            now=now,
        )
        for item in items
    ]
    meeting.status = CouncilMeetingStatus.HELD
    meeting.save(update_fields=["status", "updated_at"])
    return decisions


@transaction.atomic
def silence_start(
    *,
    actor: User,
    items: Iterable[AgendaItem],
    deadline: datetime.datetime,
    now: datetime.datetime | None = None,
) -> list[AgendaItem]:
    """Put scheduled agenda items under the silence procedure until `deadline`."""
    _require_secretary(actor)
    now = now or timezone.now()
    if deadline <= now:
        raise ValidationError({"deadline": _("The silence deadline must be in the future.")})
    if deadline > now + SILENCE_LONGEST:
        raise ValidationError(
            {
                "deadline": _(
                    "A silence procedure lasts at most %(days)s days: choose a deadline no later than "
                    "%(latest)s."
                )
                % {
                    "days": SILENCE_LONGEST.days,
                    "latest": formats.date_format(
                        timezone.localtime(now + SILENCE_LONGEST), "DATETIME_FORMAT"
                    ),
                }
            }
        )
    started: list[AgendaItem] = []
    for item in items:
        locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
        request = InclusionRequest.objects.select_for_update().get(pk=locked.request_id)
        if not permissions.request_is_visible(actor, request):
            raise PermissionDenied(_("You cannot see item %(position)s.") % {"position": locked.position})
        if locked.status != AgendaItemStatus.SCHEDULED or request.status != S.AWAITING_COUNCIL:
            raise TransitionNotAllowed(
                _("Item %(position)s (%(reference)s) is not waiting for a decision.")
                % {"position": locked.position, "reference": request.reference},
                code="not_scheduled",
            )
        locked.status = AgendaItemStatus.UNDER_SILENCE
        locked.silence_deadline = deadline
        locked.save(update_fields=["status", "silence_deadline"])
        event_record(
            kind="request.silence_started",
            target=request,
            actor=actor,
            data=_event_data(
                request=request,
                change=None,
                meeting=locked.meeting.reference,
                agenda_item_id=locked.pk,
                silence_deadline=deadline.isoformat(),
            ),
        )
        started.append(locked)
    return started


@transaction.atomic
def silence_break(
    *,
    actor: User,
    item: AgendaItem,
    delegation: str,
    reason: str,
    now: datetime.datetime | None = None,
) -> AgendaItem:
    """Record that a delegation broke silence: the item goes back to awaiting a Council discussion.

    On a regular meeting the item stays on its agenda, to be discussed; on a silence batch it is
    closed, and the request (still awaiting the Council) can be put on a meeting's agenda.
    """
    _require_secretary(actor)
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if not delegation.strip():
        errors["delegation"] = _("Name the delegation that broke silence.")
    if not reason.strip():
        errors["reason"] = _("Say why silence was broken.")
    if errors:
        raise ValidationError(errors)
    locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    request = InclusionRequest.objects.select_for_update().get(pk=locked.request_id)
    if not permissions.request_is_visible(actor, request):
        raise PermissionDenied(_("You cannot see this request."))
    if locked.status != AgendaItemStatus.UNDER_SILENCE:
        raise TransitionNotAllowed(_("This item is not under silence."), code="not_under_silence")
    if locked.silence_deadline is not None and locked.silence_deadline <= now:
        raise TransitionNotAllowed(
            _("The silence deadline has passed; silence can no longer be broken."), code="silence_over"
        )
    back_on_agenda = (
        locked.meeting.kind == CouncilMeetingKind.REGULAR
        and locked.meeting.status == CouncilMeetingStatus.PLANNED
    )
    locked.status = AgendaItemStatus.SCHEDULED if back_on_agenda else AgendaItemStatus.SILENCE_BROKEN
    locked.silence_broken_at = now
    locked.silence_broken_by = delegation.strip()
    locked.silence_broken_reason = reason.strip()
    locked.save(update_fields=["status", "silence_broken_at", "silence_broken_by", "silence_broken_reason"])
    event_record(
        kind="request.silence_broken",
        target=request,
        actor=actor,
        data=_event_data(
            request=request,
            change=None,
            meeting=locked.meeting.reference,
            agenda_item_id=locked.pk,
            delegation=locked.silence_broken_by,
            reason=locked.silence_broken_reason,
        ),
    )
    return locked


def silence_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Approve every item whose silence deadline passed unbroken (the beat task's body); returns how many.

    Each item is decided in its own transaction, recorded by the portal (no actor), so that one
    failure does not hold back the others, and two beat runs never approve the same item twice.
    """
    now = now or timezone.now()
    approved = 0
    due = AgendaItem.objects.filter(status=AgendaItemStatus.UNDER_SILENCE, silence_deadline__lte=now)
    for item_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            item = (
                AgendaItem.objects.select_for_update(skip_locked=True)
                .select_related("meeting")
                .filter(pk=item_id, status=AgendaItemStatus.UNDER_SILENCE, silence_deadline__lte=now)
                .first()
            )
            if item is None:
                continue
            _decide(
                request=item.request_id,
                outcome=CouncilDecisionOutcome.APPROVED,
                actor=None,
                acting_for=None,
                meeting=item.meeting,
                reference=item.meeting.reference,
                conditions="",
                reason=_("Silence procedure ended unbroken at %(deadline)s.")
                % {"deadline": date_format(timezone.localtime(item.silence_deadline), "DATETIME_FORMAT")},
                now=now,
            )
            approved += 1
    return approved


# --- Comments and attachments -------------------------------------------------------------------


@transaction.atomic
def comment_add(
    *,
    actor: User,
    request: InclusionRequest,
    body: str,
    visibility: str = CommentVisibility.SHARED,
    marking: int = Marking.NATO_UNCLASSIFIED,
) -> Comment:
    """Add a comment; officers of the desk write shared comments only, staff may keep them internal."""
    allowed = permissions.comment_visibilities_for(actor, request)
    if not allowed:
        raise PermissionDenied(_("You cannot comment on this request."))
    errors: dict[str, str] = {}
    if not body.strip():
        errors["body"] = _("Write a comment.")
    if visibility not in allowed:
        errors["visibility"] = _("You cannot write comments with this visibility.")
    if marking > actor.clearance:
        errors["marking"] = _("You cannot mark a comment above your own clearance.")
    if errors:
        raise ValidationError(errors)
    comment = Comment.objects.create(
        request=request, author=actor, body=body.strip(), visibility=visibility, marking=marking
    )
    event_record(
        kind="request.commented",
        target=request,
        actor=actor,
        data=_event_data(request=request, change=None, comment_id=comment.pk, visibility=visibility),
    )
    return comment


@transaction.atomic
def attachment_add(
    *,
    actor: User,
    request: InclusionRequest,
    upload: UploadedFile,
    marking: int = Marking.NATO_UNCLASSIFIED,
) -> Attachment:
    """Attach a file after checking its size and its real type (magic bytes); stored outside static files."""
    if not permissions.can_attach(actor, request):
        raise PermissionDenied(_("You cannot attach files to this request."))
    if marking > actor.clearance:
        raise ValidationError({"marking": _("You cannot mark a file above your own clearance.")})
    try:
        checked = attachment_check(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from None
    original_name = (upload.name or "attachment").replace("\\", "/").rsplit("/", 1)[-1][:200]
    return Attachment.objects.create(
        request=request,
        file=upload,
        original_name=original_name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        marking=marking,
        uploaded_by=actor,
    )


# --- Single catalogue items (the admin's permissions and audit; see portal/core/records.py) ---------

# The fields an administrator sets on one item: the same as a catalogue file's columns.
CATALOGUE_ITEM_FIELDS = CATALOGUE_COLUMNS


def catalogue_item_create(*, actor: User, **fields: Any) -> CatalogueItem:
    """Add one item to the activity catalogue (administrators); many at once: catalogue_import."""
    return record_create(actor=actor, model=CatalogueItem, allowed=CATALOGUE_ITEM_FIELDS, fields=fields)


def catalogue_item_update(*, actor: User, item: CatalogueItem, **changes: Any) -> CatalogueItem:
    """Change one catalogue item (administrators)."""
    return record_update(actor=actor, record=item, allowed=CATALOGUE_ITEM_FIELDS, changes=changes)


def _open_agenda_item(actor: User, item: AgendaItem) -> AgendaItem:
    """The item, locked with its meeting, if the meeting is still planned and the item still scheduled."""
    _require_secretary(actor)
    meeting = _lock_meeting(item.meeting)
    if meeting.status != CouncilMeetingStatus.PLANNED:
        raise TransitionNotAllowed(
            _("This meeting has been held; its agenda is closed."), code="meeting_held"
        )
    locked = AgendaItem.objects.select_for_update().select_related("request").get(pk=item.pk)
    if locked.status != AgendaItemStatus.SCHEDULED:
        raise TransitionNotAllowed(
            _("Item %(position)s is no longer only scheduled; it cannot be moved or removed.")
            % {"position": locked.position},
            code="agenda_item_not_scheduled",
        )
    return locked


def _renumber_agenda(meeting: CouncilMeeting) -> None:
    """Number the meeting's items 1, 2, 3... in their current order (after a removal or a move)."""
    for position, item in enumerate(meeting.agenda_items.order_by("position", "pk"), start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, direction: str) -> AgendaItem:
    """Move a scheduled item one place up or down the agenda of a planned meeting."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Choose up or down.")})
    locked = _open_agenda_item(actor, item)
    _renumber_agenda(locked.meeting)
    locked.refresh_from_db(fields=["position"])
    target = locked.position - 1 if direction == "up" else locked.position + 1
    neighbour = AgendaItem.objects.filter(meeting=locked.meeting, position=target).first()
    if neighbour is None:
        return locked  # already first (or last): nothing to move
    neighbour.position, locked.position = locked.position, target
    neighbour.save(update_fields=["position"])
    locked.save(update_fields=["position"])
    return locked


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem) -> InclusionRequest:
    """Take a scheduled item off a planned meeting's agenda; the request keeps awaiting the Council."""
    locked = _open_agenda_item(actor, item)
    meeting, request = locked.meeting, locked.request
    locked.delete()
    _renumber_agenda(meeting)
    return request
