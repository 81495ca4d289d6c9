"""The steps of an inclusion request's workflow up to the Council: submit, review, return, recommend,
close as exempt, send to the Council; reassigning a review, and the review queue's bulk actions.

Each step is one function that checks who may act (permissions.py), locks the request row, checks the
current status against the workflow table (workflow.py), changes it, writes the StatusChange and records
the notification event, all in one transaction. The Council's steps (decisions, rescheduling,
withdrawing) are in council/."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.accounts.models import Role, User
from portal.core.state_machine import VersionCheck, version_guard
from portal.notifications.outbox import event_record
from portal.ops.metrics import workflow_transition_count

from . import permissions
from .models import (
    WAITING_FOR_REVIEW,
    InclusionRequest,
    RequestRevision,
    StatusChange,
)
from .models import InclusionRequestStatus as S
from .services import request_event_data, revision_snapshot
from .workflow import (
    REQUEST_MACHINE,
    Transition,
    TransitionNotAllowed,
    check_reason,
    check_status,
)


def review_period() -> datetime.timedelta:
    """How long reviewers have (the service level the overdue reminders use too)."""
    return datetime.timedelta(days=int(getattr(settings, "REVIEW_SERVICE_LEVEL_DAYS", 10)))


def request_transition(
    *,
    request: InclusionRequest | int,
    action: str,
    actor: User | None,
    acting_for: User | None = None,
    reason: str = "",
    now: datetime.datetime | None = None,
    change: Any = None,
    event_extra: Mapping[str, Any] | None = None,
    expected_version: VersionCheck | None = None,
) -> tuple[InclusionRequest, StatusChange]:
    """Apply one row of the workflow table to a request (the caller holds a transaction).

    `actor=None` is the portal itself (only the silence procedure ending unbroken does that).
    `change(locked, now)` sets the transition's other fields and returns their names.
    `expected_version` (the API's If-Match) is checked under this lock, after the step's own refusals.
    """
    transition: Transition = REQUEST_MACHINE.by_action(action)
    now = now or timezone.now()
    request_id = request if isinstance(request, int) else request.pk
    locked = InclusionRequest.objects.select_for_update().get(pk=request_id)
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
                request=locked, change=status_change, action=action, **(event_extra or {})
            ),
        )
    return locked, status_change


@transaction.atomic
def inclusion_request_submit(
    *,
    actor: User,
    request: InclusionRequest,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
    expected_version: VersionCheck | None = None,
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

    locked, _change = request_transition(
        request=request,
        action=action,
        actor=actor,
        acting_for=acting_for,
        now=now,
        expected_version=expected_version,
        change=change,
    )
    return locked


@transaction.atomic
def inclusion_request_start_review(
    *,
    actor: User,
    request: InclusionRequest,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
    expected_version: VersionCheck | None = None,
) -> InclusionRequest:
    """A reviewer takes a submitted request under review and becomes its reviewer."""

    def change(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
        locked.reviewer = acting_for or actor
        return ["reviewer"]

    locked, _change = request_transition(
        request=request,
        action="start_review",
        actor=actor,
        acting_for=acting_for,
        now=now,
        expected_version=expected_version,
        change=change,
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
    expected_version: VersionCheck | None = None,
) -> InclusionRequest:
    """Return a request under review to the officer for changes; the reason says what to change."""
    locked, _change = request_transition(
        request=request,
        action="return",
        actor=actor,
        acting_for=acting_for,
        reason=reason,
        now=now,
        expected_version=expected_version,
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
    expected_version: VersionCheck | None = None,
) -> InclusionRequest:
    """Recommend a request under review to the Council."""
    locked, _change = request_transition(
        request=request,
        action="recommend",
        actor=actor,
        acting_for=acting_for,
        reason=reason,
        now=now,
        expected_version=expected_version,
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
    expected_version: VersionCheck | None = None,
) -> InclusionRequest:
    """Advise the Council against a request under review (it still goes to the Council); reason required."""
    locked, _change = request_transition(
        request=request,
        action="not_recommend",
        actor=actor,
        acting_for=acting_for,
        reason=reason,
        now=now,
        expected_version=expected_version,
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
    expected_version: VersionCheck | None = None,
) -> InclusionRequest:
    """Close as approved a request whose catalogue item needs no Council decision ("certain cases")."""

    def change(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
        locked.decided_at = at
        return ["decided_at"]

    locked, _change = request_transition(
        request=request,
        action="close_exempt",
        actor=actor,
        acting_for=acting_for,
        reason=reason,
        now=now,
        expected_version=expected_version,
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
    expected_version: VersionCheck | None = None,
) -> InclusionRequest:
    """Put a recommended (or not recommended) request before the Council, awaiting a meeting."""
    locked, _change = request_transition(
        request=request,
        action="send_to_council",
        actor=actor,
        acting_for=acting_for,
        reason=reason,
        now=now,
        expected_version=expected_version,
    )
    return locked


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
    if locked.status not in WAITING_FOR_REVIEW:
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
        data=request_event_data(
            request=locked,
            change=change,
            action="reassign",
            reviewer_id=reviewer.pk,
            reviewer_name=reviewer.get_full_name() or reviewer.get_username(),
            previous_reviewer_id=previous.pk if previous is not None else None,
        ),
    )
    return locked


BULK_ACTIONS: dict[str, Any] = {
    "start_review": _lazy("Start review"),
    "recommend": _lazy("Recommend"),
    "not_recommend": _lazy("Do not recommend"),
    "return": _lazy("Return for changes"),
    "reassign": _lazy("Reassign the review"),
}


BULK_NEEDS_REASON = frozenset({"not_recommend", "return", "reassign"})


def bulk_actions_for(user: User) -> dict[str, Any]:
    """The bulk actions the queue offers this user (action -> label): the review steps their roles take
    (the workflow table's), and reassigning for a desk's head or an administrator. None: no bulk form."""
    offered: dict[str, Any] = {}
    for action, label in BULK_ACTIONS.items():
        if action == "reassign":
            allowed = user.has_role(Role.ADMINISTRATOR) or permissions.heads_a_desk(user)
        else:
            allowed = user.has_role(*REQUEST_MACHINE.by_action(action).roles)
        if allowed:
            offered[action] = label
    return offered


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
