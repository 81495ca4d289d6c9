"""`request_step`, the one entry point the request page, the API, the review queue's bulk actions and the
demo data call (with a `RequestStep`) to take a step of an inclusion request's workflow, and the bulk
action service that applies it to many requests.

Each row of the workflow table names its service (`Transition.service` in requests/workflow.py): the
request's own steps are applied by `request_transition` (requests/workflow_services.py); the Council's
(decisions, rescheduling, withdrawing, which takes a request off any open agenda) by their services in
council/. This module sits above both parts, so the rows find their services here and only here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from portal.accounts.models import Role, User
from portal.core.state_machine import StepInput

from .council.decision_services import council_decision_record
from .council.models import CouncilDecision, CouncilMeeting
from .council.services import inclusion_request_reschedule, inclusion_request_withdraw
from .requests import permissions
from .requests.models import InclusionRequest
from .requests.models import InclusionRequestStatus as S
from .requests.reassign_services import inclusion_request_reassign
from .requests.workflow import REQUEST_MACHINE, TRANSITIONS, TransitionNotAllowed
from .requests.workflow_services import request_transition

# The services the table's rows name; request_step calls each one by name, none is looked up.
ROW_SERVICES = frozenset(
    {
        request_transition.__name__,
        council_decision_record.__name__,
        inclusion_request_reschedule.__name__,
        inclusion_request_withdraw.__name__,
    }
)
# A row of the table without its service is a mistake found when the portal starts, not on a click.
assert {t.service for t in TRANSITIONS} <= ROW_SERVICES, "a workflow row names an unknown service"


@dataclass(frozen=True)
class RequestStep(StepInput):
    """A request step's input: a Council decision's sheet reference, conditions and meeting (none for a
    decision taken outside a meeting, whose reason is then required); a rescheduling's later meeting."""

    meeting: CouncilMeeting | None = None
    reference: str = ""
    conditions: str = ""
    now: datetime.datetime | None = None


def request_step(*, request: InclusionRequest, step: RequestStep) -> InclusionRequest | CouncilDecision:
    """Take one step of a request's workflow (a row of REQUEST_MACHINE).

    The row's service locks the request once and, under that lock, checks who may act, from which status
    and with which reason, applies the step, writes the timeline and records the row's event; the version
    the client expects (`step.expected_version`) is checked there too, after the step's own refusals.
    The reason goes to the steps whose row asks for one.
    """
    transition = REQUEST_MACHINE.by_action(step.action)
    reason = step.reason if transition.asks_reason else ""
    if transition.service == "council_decision_record":
        return council_decision_record(
            actor=step.actor,
            request=request,
            outcome=transition.target,
            reference=step.reference,
            conditions=step.conditions,
            meeting=step.meeting,
            reason=reason,
            acting_for=step.acting_for,
            now=step.now,
            expected_version=step.expected_version,
        )
    if transition.service == "inclusion_request_reschedule":
        if step.meeting is None:
            raise ValueError("Rescheduling a request needs the meeting to put it on")
        return inclusion_request_reschedule(
            actor=step.actor,
            request=request,
            meeting=step.meeting,
            acting_for=step.acting_for,
            now=step.now,
            expected_version=step.expected_version,
        )
    if transition.service == "inclusion_request_withdraw":
        return inclusion_request_withdraw(
            actor=step.actor,
            request=request,
            reason=reason,
            acting_for=step.acting_for,
            now=step.now,
            expected_version=step.expected_version,
        )
    with transaction.atomic():
        locked, _change = request_transition(
            request=request,
            action=step.action,
            actor=step.actor,
            acting_for=step.acting_for,
            reason=reason,
            now=step.now,
            expected_version=step.expected_version,
        )
    return locked


# --- The review queue's bulk actions ------------------------------------------------------------

BULK_ACTIONS: dict[str, Promise] = {
    "start_review": _lazy("Start review"),
    "recommend": _lazy("Recommend"),
    "not_recommend": _lazy("Do not recommend"),
    "return": _lazy("Return for changes"),
    "reassign": _lazy("Reassign the review"),
}

BULK_NEEDS_REASON = frozenset({"not_recommend", "return", "reassign"})


def bulk_actions_for(user: User) -> dict[str, Promise]:
    """The bulk actions the queue offers this user (action -> label): the review steps their roles take
    (the workflow table's), and reassigning for a desk's head or an administrator. None: no bulk form."""
    offered: dict[str, Promise] = {}
    for action, label in BULK_ACTIONS.items():
        if action == "reassign":
            allowed = user.has_role(Role.ADMINISTRATOR) or permissions.heads_a_desk(user)
        else:
            allowed = user.has_role(*REQUEST_MACHINE.by_action(action).roles)
        if allowed:
            offered[action] = label
    return offered


def bulk_action_check(*, action: str, reason: str, reviewer: User | None) -> None:
    """What the whole bulk action needs before any request is touched: a reason where the action asks for
    one, and the new reviewer to reassign to."""
    if action not in BULK_ACTIONS:
        raise ValueError(f"Unknown bulk action {action!r}")
    errors: dict[str, str] = {}
    if action in BULK_NEEDS_REASON and not reason.strip():
        errors["reason"] = _("Give the reason; it is recorded on each request.")
    if action == "reassign" and reviewer is None:
        errors["reviewer"] = _("Choose the reviewer to give the reviews to.")
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class BulkResult:
    """One line of a bulk action's outcome: the request, whether it was done, and why not."""

    request: InclusionRequest
    done: bool
    message: str


def _bulk_line(
    *, actor: User, request: InclusionRequest, action: str, reason: str, reviewer: User | None
) -> InclusionRequest:
    if action == "reassign":
        return inclusion_request_reassign(actor=actor, request=request, reviewer=reviewer, reason=reason)
    updated = request_step(request=request, step=RequestStep(actor=actor, action=action, reason=reason))
    assert isinstance(updated, InclusionRequest)  # the review steps return the request
    return updated


def inclusion_request_bulk_act(
    *,
    actor: User,
    requests: Iterable[InclusionRequest],
    action: str,
    reason: str = "",
    reviewer: User | None = None,
) -> list[BulkResult]:
    """Apply one action to each request through the same entry point as one by one (`request_step`;
    reassigning through its own service), each in its own transaction: one refused request does not undo
    the others. One result per request."""
    bulk_action_check(action=action, reason=reason, reviewer=reviewer)
    results: list[BulkResult] = []
    for inclusion_request in requests:
        try:
            updated = _bulk_line(
                actor=actor, request=inclusion_request, action=action, reason=reason, reviewer=reviewer
            )
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
