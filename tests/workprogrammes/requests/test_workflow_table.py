"""Every (status, action, role) triple of the workflow table: allowed ones succeed, the rest are refused.

The cases are generated from workprogrammes.requests.workflow.TRANSITIONS, so a new status, action or role is
covered without touching this file.
"""

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from portal.accounts.models import Role, User
from portal.notifications.models import Event
from tests.workprogrammes.request_factories import CouncilMeetingFactory
from workprogrammes import workflow_steps as services
from workprogrammes.requests.models import InclusionRequest, InclusionRequestStatus, StatusChange
from workprogrammes.requests.workflow import TRANSITIONS, Transition, TransitionNotAllowed
from workprogrammes.workflow_steps import RequestStep, request_step

pytestmark = pytest.mark.django_db

# The people who may try: every role, the officer of the request's desk and one of another desk.
ACTORS = ("viewer", "officer", "other_officer", "reviewer", "secretary", "analyst", "administrator")
ACTOR_ROLE = {
    "viewer": Role.VIEWER,
    "officer": Role.OFFICER,
    "other_officer": Role.OFFICER,
    "reviewer": Role.REVIEWER,
    "secretary": Role.COUNCIL_SECRETARY,
    "analyst": Role.ANALYST,
    "administrator": Role.ADMINISTRATOR,
}

# One call per (service, target): submit and resubmit share a call, each council outcome is its own.
CALLS: list[tuple[str, str]] = sorted({(t.service, t.target) for t in TRANSITIONS})


def _rows(service: str, target: str) -> list[Transition]:
    return [t for t in TRANSITIONS if (t.service, t.target) == (service, target)]


def _expected_row(service: str, target: str, status: str, actor_name: str) -> Transition | None:
    """The row that should apply, or None when the attempt must be refused."""
    for row in _rows(service, target):
        if status not in row.sources or ACTOR_ROLE[actor_name] not in row.roles:
            continue
        if row.desk_scoped and actor_name != "officer":
            continue
        return row
    return None


def _call(service: str, target: str, *, actor: User, request: InclusionRequest) -> InclusionRequest:
    """Take the step through the entry point the pages and the API call; the row says what it takes."""
    row = _rows(service, target)[0]
    meeting = CouncilMeetingFactory(date=datetime.date(2030, 1, 1)) if row.action == "reschedule" else None
    step = RequestStep(
        actor=actor,
        action=row.action,
        reason="Recorded for the test.",
        reference="PO(2027)0012",
        meeting=meeting,
    )
    request_step(request=request, step=step)
    return InclusionRequest.objects.get(pk=request.pk)


def _events(inclusion_request: InclusionRequest) -> Any:
    return Event.objects.filter(
        target_type=ContentType.objects.get_for_model(InclusionRequest), target_id=inclusion_request.pk
    )


def test_every_action_of_the_table_has_its_service() -> None:
    for transition in TRANSITIONS:
        assert callable(getattr(services, transition.service, None)), transition.service
        assert set(transition.sources) <= set(InclusionRequestStatus.values)


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize(("service", "target"), CALLS)
@pytest.mark.parametrize("status", InclusionRequestStatus.values)
def test_transition_is_allowed_exactly_as_the_table_says(
    request: pytest.FixtureRequest,
    make_request: Callable[..., InclusionRequest],
    status: str,
    service: str,
    target: str,
    actor_name: str,
) -> None:
    actor: User = request.getfixturevalue(actor_name)
    # An exempt catalogue item, so that close_exempt's own condition holds and only the table decides.
    inclusion_request = make_request(status, exempt=True)
    expected = _expected_row(service, target, status, actor_name)

    if expected is None:
        with pytest.raises((PermissionDenied, TransitionNotAllowed)):
            _call(service, target, actor=actor, request=inclusion_request)
        assert InclusionRequest.objects.get(pk=inclusion_request.pk).status == status
        assert not StatusChange.objects.filter(request=inclusion_request).exists()
        assert not _events(inclusion_request).exists()
        return

    after = _call(service, target, actor=actor, request=inclusion_request)
    assert after.status == expected.target
    change = StatusChange.objects.get(request=inclusion_request)
    assert (change.from_status, change.to_status, change.actor) == (status, expected.target, actor)
    assert _events(inclusion_request).filter(kind=expected.event).count() == 1
