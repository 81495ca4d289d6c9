"""The one service that applies a row of the requests' workflow table (workflow.py): `request_transition`.

It locks the request row, checks who may act (permissions.py) and the current status against the row,
sets the fields the step sets besides the status, writes the StatusChange and records the row's event, in
the caller's transaction. The request's own steps (submit, review, return, recommend, close as exempt,
send to the Council) need nothing more; the Council's steps (decisions, rescheduling, withdrawing) in
council/ call it with the change of their own. The pages and the API reach it through `request_step`
(workprogrammes/workflow_steps.py)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone

from portal.accounts.models import User
from portal.core.state_machine import VersionCheck, version_guard
from portal.notifications.outbox import event_record
from portal.ops.metrics import workflow_transition_count

from . import permissions
from .models import InclusionRequest, RequestRevision, StatusChange
from .models import InclusionRequestStatus as S
from .services import request_event_data, revision_snapshot
from .workflow import REQUEST_MACHINE, Transition, check_reason, check_status

# Sets a step's other fields on the locked request, at the step's time, and returns their names.
Change = Callable[[InclusionRequest, datetime.datetime], list[str]]


def review_period() -> datetime.timedelta:
    """How long reviewers have (the service level the overdue reminders use too)."""
    return datetime.timedelta(days=int(getattr(settings, "REVIEW_SERVICE_LEVEL_DAYS", 10)))


def _submitted(actor: User, *, again: bool) -> Change:
    """Submitting (or resubmitting, as the next revision) starts the review period and freezes a snapshot."""

    def change(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
        if again:
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

    return change


def _review_started(reviewer: User | None) -> Change:
    """Whoever takes the request under review (or the reviewer they act for) becomes its reviewer."""

    def change(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
        locked.reviewer = reviewer
        return ["reviewer"]

    return change


def _closed_exempt(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
    locked.decided_at = at
    return ["decided_at"]


def _own_change(action: str, actor: User | None, acting_for: User | None) -> Change | None:
    """What the request's own steps set besides the status (None: the status, the timeline, the event)."""
    if action in ("submit", "resubmit"):
        assert actor is not None, "only people submit requests"
        return _submitted(actor, again=action == "resubmit")
    if action == "start_review":
        return _review_started(acting_for or actor)
    if action == "close_exempt":
        return _closed_exempt
    return None


def _resolved(action: str, status: str) -> Transition:
    """The row to apply: a returned request is submitted again as its next revision (resubmit)."""
    if action in ("submit", "resubmit"):
        action = "resubmit" if status == S.RETURNED else "submit"
    return REQUEST_MACHINE.by_action(action)


def request_transition(
    *,
    request: InclusionRequest | int,
    action: str,
    actor: User | None,
    acting_for: User | None = None,
    reason: str = "",
    now: datetime.datetime | None = None,
    change: Change | None = None,
    event_extra: Mapping[str, Any] | None = None,
    expected_version: VersionCheck | None = None,
) -> tuple[InclusionRequest, StatusChange]:
    """Apply one row of the workflow table to a request (the caller holds a transaction).

    `actor=None` is the portal itself (only the silence procedure ending unbroken does that).
    `change(locked, now)` sets the step's other fields and returns their names; without it, the request's
    own steps set theirs (a submission's revision, a review's reviewer, an exempt closure's date).
    `expected_version` (the API's If-Match) is checked under this lock, after the step's own refusals.
    """
    now = now or timezone.now()
    request_id = request if isinstance(request, int) else request.pk
    locked = InclusionRequest.objects.select_for_update().get(pk=request_id)
    transition = _resolved(action, locked.status)
    if change is None:
        change = _own_change(transition.action, actor, acting_for)
    with version_guard(expected_version, locked):
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
            data=request_event_data(
                request=locked, change=status_change, action=transition.action, **(event_extra or {})
            ),
        )
    return locked, status_change
