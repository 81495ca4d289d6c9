"""Every step of the inclusion request workflow, under the name its row of the workflow table gives
(`Transition.service` in requests/workflow.py).

The request's own steps are written in requests/workflow_services.py; the Council's (decisions,
rescheduling, withdrawing, which takes a request off any open agenda) in council/. The request page and
the API take a step by its row through this module, so that neither looks a service up by name in more
than one place.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .council.decision_services import council_decision_record
from .council.services import inclusion_request_reschedule, inclusion_request_withdraw
from .requests.workflow import TRANSITIONS, Transition
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
