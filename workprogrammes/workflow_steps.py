"""Every step of the inclusion request workflow, under the name its row of the workflow table gives
(`Transition.service` in requests/workflow.py), and `request_step`, the one entry point the request page
and the API call to take a step.

The request's own steps are written in requests/workflow_services.py; the Council's (decisions,
rescheduling, withdrawing, which takes a request off any open agenda) in council/. This module sits above
both parts, so the table's rows find their functions here and only here.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from portal.core.state_machine import StepInput

from .council.decision_services import council_decision_record
from .council.models import CouncilDecision, CouncilMeeting
from .council.services import inclusion_request_reschedule, inclusion_request_withdraw
from .requests.models import InclusionRequest
from .requests.workflow import REQUEST_MACHINE, TRANSITIONS, Transition
from .requests.workflow_services import (
    inclusion_request_close_exempt,
    inclusion_request_not_recommend,
    inclusion_request_recommend,
    inclusion_request_return,
    inclusion_request_send_to_council,
    inclusion_request_start_review,
    inclusion_request_submit,
)

SERVICES: dict[str, Callable[..., Any]] = {
    function.__name__: function
    for function in (
        inclusion_request_submit,
        inclusion_request_start_review,
        inclusion_request_return,
        inclusion_request_recommend,
        inclusion_request_not_recommend,
        inclusion_request_close_exempt,
        inclusion_request_send_to_council,
        inclusion_request_withdraw,
        council_decision_record,
        inclusion_request_reschedule,
    )
}
# A row of the table without its service is a mistake found when the portal starts, not on a click.
assert {t.service for t in TRANSITIONS} <= set(SERVICES), "a workflow row names an unknown service"


def service_for(transition: Transition) -> Callable[..., Any]:
    """The service that applies this row of the workflow table."""
    return SERVICES[transition.service]


@dataclass(frozen=True)
class RequestStep(StepInput):
    """A request step's input: a Council decision's sheet reference, conditions and meeting (none for a
    decision taken outside a meeting, whose reason is then required); a rescheduling's later meeting."""

    meeting: CouncilMeeting | None = None
    reference: str = ""
    conditions: str = ""
    now: datetime.datetime | None = None


def request_step(*, request: InclusionRequest, step: RequestStep) -> InclusionRequest | CouncilDecision:
    """Take one step of a request's workflow (a row of REQUEST_MACHINE), for the pages and the API.

    The row's service locks the request once and, under that lock, checks who may act, from which status
    and with which reason, applies the step, writes the timeline and records the row's event; the version
    the client expects (`step.expected_version`) is checked there too, after the step's own refusals.
    The reason goes to the steps whose row asks for one.
    """
    transition = REQUEST_MACHINE.by_action(step.action)
    arguments: dict[str, Any] = {
        "actor": step.actor,
        "request": request,
        "acting_for": step.acting_for,
        "now": step.now,
        "expected_version": step.expected_version,
    }
    if transition.asks_reason:
        arguments["reason"] = step.reason
    if transition.service == "council_decision_record":
        arguments.update(outcome=transition.target, reference=step.reference, conditions=step.conditions)
        arguments["meeting"] = step.meeting
    elif transition.service == "inclusion_request_reschedule":
        if step.meeting is None:
            raise ValueError("Rescheduling a request needs the meeting to put it on")
        arguments["meeting"] = step.meeting
    return service_for(transition)(**arguments)
