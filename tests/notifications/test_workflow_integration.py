"""The workflow's own services record the events: a request's life, told to the right people.

Runs the real transition services of workprogrammes (tasks in-process, as the test settings do).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.accounts.services import delegation_create
from portal.notifications.models import Event, Notification
from workprogrammes.council import decision_services, services
from workprogrammes.requests.models import InclusionRequest
from workprogrammes.requests.workflow import TransitionNotAllowed
from workprogrammes.workflow_steps import RequestStep, request_step

pytestmark = pytest.mark.django_db


def _told(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


def test_a_request_from_submission_to_approval_tells_each_step_to_its_people(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request(status=InclusionRequest.Status.DRAFT)
    request.watchers.add(world.watcher)
    with django_capture_on_commit_callbacks(execute=True):
        request_step(request=request, step=RequestStep(actor=world.officer, action="submit"))
        request_step(request=request, step=RequestStep(actor=world.desk_reviewer, action="start_review"))
        request_step(
            request=request,
            step=RequestStep(actor=world.desk_reviewer, action="return", reason="Add the dates."),
        )
        request_step(request=request, step=RequestStep(actor=world.officer, action="submit"))
        request_step(request=request, step=RequestStep(actor=world.desk_reviewer, action="start_review"))
        request_step(request=request, step=RequestStep(actor=world.desk_reviewer, action="recommend"))
        request.refresh_from_db()
        if request.status != InclusionRequest.Status.AWAITING_COUNCIL:
            request_step(
                request=request, step=RequestStep(actor=world.desk_reviewer, action="send_to_council")
            )
        decision_services.council_decision_record(
            actor=world.secretary,
            request=request,
            outcome="approved",
            reference="PO(2026)0042",
            reason="Agreed by written procedure.",
        )

    assert _told("request.submitted") == {"desk_reviewer"}
    assert _told("request.review_started") == {"officer"}
    assert _told("request.returned") == {"officer"}
    assert _told("request.resubmitted") == {"desk_reviewer"}
    assert _told("request.recommended") == {"secretary"}
    assert _told("request.approved") == {"officer", "desk_reviewer", "watcher"}
    assert not Event.objects.filter(processed_at__isnull=True).exists()

    path = reverse("requests:detail", kwargs={"key": request.reference})
    assert set(Notification.objects.values_list("url", flat=True)) == {path}
    returned = next(m for m in mail.outbox if "returned" in m.subject)
    assert "Reason: Add the dates." in returned.body
    assert f"{path}" in returned.body


def test_a_failed_transition_records_no_event_and_tells_nobody(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request(status=InclusionRequest.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(TransitionNotAllowed):
        # Recommending a draft is not a transition of the workflow.
        request_step(request=request, step=RequestStep(actor=world.desk_reviewer, action="recommend"))
    assert not Event.objects.exists()
    assert mail.outbox == []


def test_a_delegate_acting_is_named_with_the_principal(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    today = timezone.localdate()
    delegation_create(
        principal=world.desk_reviewer,
        delegate=world.other_reviewer,
        start_date=today,
        end_date=today + datetime.timedelta(days=2),
    )
    request = make_request(reviewer=world.desk_reviewer, status=InclusionRequest.Status.UNDER_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        request_step(
            request=request,
            step=RequestStep(
                actor=world.other_reviewer, action="return", acting_for=world.desk_reviewer, reason="Dates."
            ),
        )
    notification = Notification.objects.get(kind="request.returned", recipient=world.officer)
    other = world.other_reviewer.get_full_name() or world.other_reviewer.username
    assert notification.text == f"{other} (for Rita R) returned {request.reference} for changes."


def _awaiting_council(
    world: SimpleNamespace, make_request: Callable[..., InclusionRequest]
) -> InclusionRequest:
    return make_request(status=InclusionRequest.Status.AWAITING_COUNCIL)


def test_the_approval_email_and_notification_carry_the_decision_in_the_readers_language(
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from workprogrammes.models import CouncilMeeting

    request = _awaiting_council(world, make_request)
    meeting = CouncilMeeting.objects.create(date=timezone.localdate(), reference="C-M(2026)0042")
    services.agenda_build(actor=world.secretary, meeting=meeting, requests=[request])
    world.officer.preferred_language = "fr"
    world.officer.save(update_fields=["preferred_language"])
    with django_capture_on_commit_callbacks(execute=True):
        decision_services.council_decision_record(
            actor=world.secretary,
            request=request,
            outcome="approved",
            reference="PO(2026)0042",
            conditions="Two places only.",
            meeting=meeting,
        )
    notification = Notification.objects.get(kind="request.approved", recipient=world.officer)
    assert "PO(2026)0042" in notification.text
    assert "C-M(2026)0042" in notification.text
    assert "Two places only." in notification.text
    email = next(m for m in mail.outbox if world.officer.email in m.to)
    assert "Relevé de décisions\u00a0: PO(2026)0042" in email.body
    assert "Réunion du Conseil\u00a0: C-M(2026)0042" in email.body
    assert "Conditions\u00a0: Two places only." in email.body
    assert email.from_email.startswith("Portail de coopération avec les pays de contact <")
