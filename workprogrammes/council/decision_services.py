"""Writes of the Council's decisions: one request at a time, or a meeting's decision sheet at once. (The
silence procedure, which ends in a decision when unbroken, is in silence_services.py.)"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.state_machine import VersionCheck, version_guard

from ..requests import permissions
from ..requests.models import (
    InclusionRequest,
)
from ..requests.workflow import (
    DECISION_ACTIONS,
    TransitionNotAllowed,
)
from ..requests.workflow_services import request_transition
from .models import (
    AGENDA_ITEM_OPEN,
    OUTSIDE_MEETING_REASON_MIN_LENGTH,
    AgendaItem,
    AgendaItemStatus,
    CouncilDecision,
    CouncilDecisionOutcome,
    CouncilMeeting,
    CouncilMeetingStatus,
)
from .services import _lock_meeting, _require_secretary


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


def decision_apply(
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
    expected_version: VersionCheck | None = None,
) -> CouncilDecision:
    """Record an outcome on a request awaiting the Council, through its workflow row (the caller holds
    a transaction): the decision, its agenda item decided, the timeline and the event. `actor=None` is
    the portal ending a silence procedure."""
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

    request_transition(
        request=request,
        action=DECISION_ACTIONS[outcome],
        actor=actor,
        acting_for=acting_for,
        reason=reason,
        now=now,
        change=change,
        expected_version=expected_version,
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
    expected_version: VersionCheck | None = None,
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
    return decision_apply(
        request=request,
        outcome=outcome,
        actor=actor,
        acting_for=acting_for,
        meeting=meeting,
        reference=reference,
        conditions=conditions,
        reason=reason,
        now=now or timezone.now(),
        expected_version=expected_version,
    )


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
    expected_version: VersionCheck | None = None,
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
    with version_guard(expected_version, meeting):
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
            decision_apply(
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
