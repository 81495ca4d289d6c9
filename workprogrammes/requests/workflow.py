"""The approval workflow of inclusion requests, as one declarative table.

Every status change of an InclusionRequest is one row of REQUEST_MACHINE (the portal's workflow shape,
portal/core/state_machine.py): from which statuses, to which
status, which roles may take it, whether the actor must be on the partner's desk, whether the people
who submitted the request are kept out of it, whether those who reviewed it are kept out of its Council
decision (separation of duties, superusers included), and whether a reason is required.
request_transition (requests/workflow_services.py) and the services of council/ apply these rows;
permissions.py turns them into the actions a user may take now; tests walk the table so that a new
status or action is covered by itself.

"Before the decision" (when an officer may still withdraw) means: any status that is not terminal.
A deferral is a council decision but not a final one, so a deferred request may still be withdrawn;
approved, approved (exempt), rejected and withdrawn requests may not.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import Role
from portal.core.state_machine import Reason, StateMachine
from portal.core.state_machine import Transition as WorkflowTransition

from .models import InclusionRequestStatus as S


class TransitionNotAllowed(ValidationError):
    """The request is not in a status from which this action can be taken (illegal or stale).

    Pages show the message and redirect back; the API answers 409 Conflict with `code`.
    """

    def __init__(self, message: str, code: str = "transition_not_allowed") -> None:
        super().__init__(message, code=code)
        self.code = code

    def __str__(self) -> str:
        return str(self.messages[0])


@dataclass(frozen=True)
class Transition(WorkflowTransition):
    """One row of the requests' workflow table: the portal's shape, plus the request's own guards."""

    # The name of the service that applies it (workprogrammes/workflow_steps.py calls it; rows share
    # them: the request's own steps all go through request_transition, the council's outcomes through
    # council_decision_record).
    service: str = ""
    # The actor (or the principal they act for) must handle the partner on one of their desks.
    desk_scoped: bool = False
    # Nobody reviews, recommends or decides a request they requested or submitted.
    not_submitter: bool = False
    # Whoever reviewed or recommended the request does not record the Council's decision on it.
    not_reviewer: bool = False
    # Only for requests whose catalogue item needs no North Atlantic Council decision.
    exempt_only: bool = False


# The groups of statuses, each named once (and WAITING_FOR_REVIEW, submitted or under review, in models.py).
# A final outcome: nothing more happens to the request.
TERMINAL: frozenset[str] = frozenset({S.APPROVED, S.APPROVED_EXEMPT, S.REJECTED, S.WITHDRAWN})
BEFORE_DECISION: frozenset[str] = frozenset(S.values) - TERMINAL
# Approved, by the Council or as exempt from its decision.
APPROVED_STATUSES: tuple[str, ...] = (S.APPROVED, S.APPROVED_EXEMPT)
# No longer standing for its activity: a new request for the activity may be made beside it.
NO_LONGER_STANDING: tuple[str, ...] = (S.WITHDRAWN, S.REJECTED)

_OFFICER = frozenset({Role.OFFICER})
_REVIEWER = frozenset({Role.REVIEWER})
_SECRETARY = frozenset({Role.COUNCIL_SECRETARY})

REQUEST_MACHINE: StateMachine[Transition] = StateMachine(
    name="request",
    statuses=frozenset(S.values),
    rows=(
        Transition(
            action="submit",
            sources=frozenset({S.DRAFT}),
            target=S.SUBMITTED,
            roles=_OFFICER,
            label=_("Submit"),
            service="request_transition",
            event="request.submitted",
            desk_scoped=True,
        ),
        Transition(
            action="resubmit",
            sources=frozenset({S.RETURNED}),
            target=S.SUBMITTED,
            roles=_OFFICER,
            label=_("Resubmit"),
            service="request_transition",
            event="request.resubmitted",
            desk_scoped=True,
        ),
        Transition(
            action="start_review",
            sources=frozenset({S.SUBMITTED}),
            target=S.UNDER_REVIEW,
            roles=_REVIEWER,
            label=_("Start review"),
            service="request_transition",
            event="request.review_started",
            not_submitter=True,
        ),
        Transition(
            action="return",
            sources=frozenset({S.UNDER_REVIEW}),
            target=S.RETURNED,
            roles=_REVIEWER,
            label=_("Return for changes"),
            service="request_transition",
            event="request.returned",
            not_submitter=True,
            reason=Reason.REQUIRED,
            dangerous=True,
        ),
        Transition(
            action="recommend",
            sources=frozenset({S.UNDER_REVIEW}),
            target=S.RECOMMENDED,
            roles=_REVIEWER,
            label=_("Recommend"),
            service="request_transition",
            event="request.recommended",
            not_submitter=True,
            reason=Reason.OPTIONAL,
        ),
        Transition(
            action="not_recommend",
            sources=frozenset({S.UNDER_REVIEW}),
            target=S.NOT_RECOMMENDED,
            roles=_REVIEWER,
            label=_("Do not recommend"),
            service="request_transition",
            event="request.not_recommended",
            not_submitter=True,
            reason=Reason.REQUIRED,
            dangerous=True,
        ),
        Transition(
            action="close_exempt",
            sources=frozenset({S.UNDER_REVIEW}),
            target=S.APPROVED_EXEMPT,
            roles=_REVIEWER,
            label=_("Close as approved (exempt)"),
            service="request_transition",
            event="request.closed_exempt",
            not_submitter=True,
            reason=Reason.REQUIRED,
            exempt_only=True,
        ),
        Transition(
            action="send_to_council",
            sources=frozenset({S.RECOMMENDED, S.NOT_RECOMMENDED}),
            target=S.AWAITING_COUNCIL,
            roles=_REVIEWER | _SECRETARY,
            label=_("Send to the Council"),
            service="request_transition",
            event="request.sent_to_council",
            not_submitter=True,
            reason=Reason.OPTIONAL,
        ),
        Transition(
            action="approve",
            sources=frozenset({S.AWAITING_COUNCIL}),
            target=S.APPROVED,
            roles=_SECRETARY,
            label=_("Record approval"),
            service="council_decision_record",
            event="request.approved",
            not_submitter=True,
            reason=Reason.OPTIONAL,
            not_reviewer=True,
        ),
        Transition(
            action="reject",
            sources=frozenset({S.AWAITING_COUNCIL}),
            target=S.REJECTED,
            roles=_SECRETARY,
            label=_("Record rejection"),
            service="council_decision_record",
            event="request.rejected",
            not_submitter=True,
            reason=Reason.OPTIONAL,
            not_reviewer=True,
            dangerous=True,
        ),
        Transition(
            action="defer",
            sources=frozenset({S.AWAITING_COUNCIL}),
            target=S.DEFERRED,
            roles=_SECRETARY,
            label=_("Record deferral"),
            service="council_decision_record",
            event="request.deferred",
            not_submitter=True,
            reason=Reason.OPTIONAL,
            not_reviewer=True,
        ),
        Transition(
            # A deferred request goes back to awaiting council when put on a later meeting's agenda.
            action="reschedule",
            sources=frozenset({S.DEFERRED}),
            target=S.AWAITING_COUNCIL,
            roles=_SECRETARY,
            label=_("Reschedule at a later meeting"),
            service="inclusion_request_reschedule",
            event="request.sent_to_council",
            not_submitter=True,
        ),
        Transition(
            action="withdraw",
            sources=BEFORE_DECISION,
            target=S.WITHDRAWN,
            roles=_OFFICER,
            label=_("Withdraw"),
            service="inclusion_request_withdraw",
            event="request.withdrawn",
            desk_scoped=True,
            reason=Reason.REQUIRED,
            dangerous=True,
        ),
    ),
)
# The rows in table order, and by action (the pages and the API look an action's row up here).
TRANSITIONS: tuple[Transition, ...] = REQUEST_MACHINE.rows

# The council's three outcomes, each one row of the table.
DECISION_ACTIONS: dict[str, str] = {"approved": "approve", "rejected": "reject", "deferred": "defer"}

# The happy path, for the step indicator on the request page.
MAIN_PATH: tuple[tuple[str, Promise], ...] = (
    (S.DRAFT, _("Draft")),
    (S.SUBMITTED, _("Submitted")),
    (S.UNDER_REVIEW, _("Review")),
    (S.AWAITING_COUNCIL, _("Council")),
    (S.APPROVED, _("Decision")),
)
_STEP_OF: dict[str, int] = {
    S.DRAFT: 0,
    S.RETURNED: 0,
    S.SUBMITTED: 1,
    S.UNDER_REVIEW: 2,
    S.RECOMMENDED: 2,
    S.NOT_RECOMMENDED: 2,
    S.AWAITING_COUNCIL: 3,
    S.DEFERRED: 3,
    S.APPROVED: 4,
    S.APPROVED_EXEMPT: 4,
    S.REJECTED: 4,
    S.WITHDRAWN: 4,
}


def _reached_from(status: str) -> frozenset[str]:
    """The status and every status the workflow can lead to from it."""
    reached, frontier = {status}, [status]
    while frontier:
        for row in REQUEST_MACHINE.allowed(frontier.pop()):
            if row.target not in reached:
                reached.add(row.target)
                frontier.append(row.target)
    return frozenset(reached)


# Agenda items and Council decisions are recorded only for a request awaiting the Council (or deferred by
# it: council/services.py, decision_services.py), and no row leads back: a request in any other status
# has none (the request page does not look for them).
AT_OR_AFTER_COUNCIL: frozenset[str] = _reached_from(S.AWAITING_COUNCIL)


def step_index(status: str) -> int:
    """Where a status sits on MAIN_PATH (0-based)."""
    return _STEP_OF[status]


def check_status(*, transition: Transition, status: str, needs_council_decision: bool | None) -> None:
    """Refuse the transition when the request's current status (read under lock) does not allow it."""
    if status not in transition.sources:
        raise TransitionNotAllowed(
            gettext(
                "This request is %(status)s, so it cannot be %(action)s now. "
                "Reload the page to see its state."
            )
            % {"status": S(status).label.lower(), "action": _action_past(transition)},
            code="stale_or_illegal_status",
        )
    if transition.exempt_only and needs_council_decision is not False:
        raise TransitionNotAllowed(
            gettext(
                "This request's activity needs a North Atlantic Council decision; "
                "it cannot be closed as exempt."
            ),
            code="council_decision_needed",
        )


def check_reason(*, transition: Transition, reason: str) -> None:
    """A reason is required where the row says so: returns, non-recommendations, exempt closures and
    withdrawals."""
    if transition.reason_required and not reason.strip():
        raise ValidationError({"reason": _("Give a reason.")}, code="reason_required")


def _action_past(transition: Transition) -> str:
    return str(_ACTION_PAST.get(transition.action, transition.label)).lower()


_ACTION_PAST: dict[str, Promise] = {
    "submit": _("submitted"),
    "resubmit": _("resubmitted"),
    "start_review": _("taken under review"),
    "return": _("returned"),
    "recommend": _("recommended"),
    "not_recommend": _("marked not recommended"),
    "close_exempt": _("closed as exempt"),
    "send_to_council": _("sent to the Council"),
    "approve": _("approved"),
    "reject": _("rejected"),
    "defer": _("deferred"),
    "reschedule": _("rescheduled"),
    "withdraw": _("withdrawn"),
}

# What the page says once an action is done: what happened and, where someone else acts next, who.
_DONE_MESSAGE: dict[str, Promise] = {
    "submit": _("Request %(reference)s has been submitted. A reviewer will examine it."),
    "resubmit": _("Request %(reference)s has been submitted again. A reviewer will examine it."),
    "start_review": _("You are now reviewing request %(reference)s."),
    "return": _("Request %(reference)s has been returned to the requesting officer for changes."),
    "recommend": _(
        "Request %(reference)s is recommended. The Council secretary can now put it to the Council."
    ),
    "not_recommend": _("Request %(reference)s is marked not recommended."),
    "close_exempt": _("Request %(reference)s is closed as approved: its activity needs no Council decision."),
    "send_to_council": _("Request %(reference)s has been sent to the North Atlantic Council."),
    "approve": _("The Council's approval of request %(reference)s is recorded."),
    "reject": _("The Council's rejection of request %(reference)s is recorded."),
    "defer": _("The Council's deferral of request %(reference)s is recorded."),
    "reschedule": _("Request %(reference)s will be taken at a later Council meeting."),
    "withdraw": _("Request %(reference)s has been withdrawn."),
}


def done_message(transition: Transition, reference: str) -> str:
    """The confirmation shown after a user takes an action on a request."""
    return str(_DONE_MESSAGE[transition.action]) % {"reference": reference}
