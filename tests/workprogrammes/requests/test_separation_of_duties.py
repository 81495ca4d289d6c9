"""Separation of duties between review and decision, for everyone (superusers included), and the rules of
a Council decision: outside a meeting only with a reason (and marked), never while silence runs."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from portal.accounts.models import Delegation, Role, User
from portal.core.models import Marking
from tests.api.conftest import token_client
from tests.factories import UserFactory
from tests.workprogrammes.request_factories import CouncilMeetingFactory
from workprogrammes.council import decision_services, silence_services
from workprogrammes.council import services as council_services
from workprogrammes.council.models import AgendaItem, CouncilDecision, CouncilMeeting
from workprogrammes.requests.models import InclusionRequest
from workprogrammes.requests.permissions import available_transitions
from workprogrammes.requests.workflow import TransitionNotAllowed
from workprogrammes.workflow_steps import RequestStep, request_step

pytestmark = pytest.mark.django_db

MakeRequest = Callable[..., InclusionRequest]
REASON = "Agreed by written procedure before the activity starts."


def _reviewed_by(person: User, make_request: MakeRequest) -> InclusionRequest:
    """A request that `person` took under review and recommended, now awaiting the Council."""
    request = make_request("submitted")
    request_step(request=request, step=RequestStep(actor=person, action="start_review"))
    request_step(request=request, step=RequestStep(actor=person, action="recommend"))
    request_step(request=request, step=RequestStep(actor=person, action="send_to_council"))
    return InclusionRequest.objects.get(pk=request.pk)


def test_a_superuser_cannot_take_a_request_from_submitted_to_approved_alone(
    make_request: MakeRequest,
) -> None:
    root = UserFactory(username="root", is_superuser=True, is_staff=True, clearance=Marking.NATO_SECRET)
    request = _reviewed_by(root, make_request)
    with pytest.raises(PermissionDenied, match="reviewed or recommended this request"):
        decision_services.council_decision_record(
            actor=root, request=request, outcome="approved", reference="PO(2026)0001", reason=REASON
        )
    assert InclusionRequest.objects.get(pk=request.pk).status == "awaiting_council"
    assert "approve" not in [t.action for t in available_transitions(root, request)]
    # Through the API (token) and the page, the same refusal.
    response = token_client(root).post(
        f"/api/v1/requests/{request.pk}/decision/",
        {"outcome": "approved", "reference": "PO(2026)0001", "reason": REASON},
        format="json",
    )
    assert response.status_code == 403
    assert "reviewed or recommended" in response.json()["error"]["message"]
    client = Client()
    client.force_login(root)
    page = client.post(
        reverse("requests:act", args=[request.reference, "approve"]),
        {"reference": "PO(2026)0001", "reason": REASON},
        follow=True,
    )
    assert "reviewed or recommended this request" in page.content.decode()
    assert not CouncilDecision.objects.exists()


def test_a_reviewer_who_is_also_a_secretary_does_not_decide_what_they_reviewed(
    make_request: MakeRequest, secretary: User
) -> None:
    both = UserFactory(username="both", roles=[Role.REVIEWER, Role.COUNCIL_SECRETARY])
    request = _reviewed_by(both, make_request)
    for outcome in ("approved", "rejected", "deferred"):
        with pytest.raises(PermissionDenied):
            decision_services.council_decision_record(
                actor=both, request=request, outcome=outcome, reference="PO/1", reason=REASON
            )
    # Another secretary records it.
    decision_services.council_decision_record(
        actor=secretary, request=request, outcome="approved", reference="PO/1", reason=REASON
    )
    assert InclusionRequest.objects.get(pk=request.pk).status == "approved"


def test_who_only_started_the_review_is_kept_out_too(make_request: MakeRequest, reviewer: User) -> None:
    both = UserFactory(username="both", roles=[Role.REVIEWER, Role.COUNCIL_SECRETARY])
    request = make_request("submitted")
    request_step(request=request, step=RequestStep(actor=both, action="start_review"))
    request_step(
        request=request, step=RequestStep(actor=both, action="return", reason="Add the lead nation.")
    )
    # Another reviewer finishes the review after the resubmission; the first one still took part.
    InclusionRequest.objects.filter(pk=request.pk).update(status="awaiting_council", reviewer=reviewer)
    with pytest.raises(PermissionDenied):
        decision_services.council_decision_record(
            actor=both, request=request, outcome="approved", reference="PO/2", reason=REASON
        )


def test_no_decision_through_a_delegation_from_the_reviewer(make_request: MakeRequest) -> None:
    both = UserFactory(username="both", roles=[Role.REVIEWER, Role.COUNCIL_SECRETARY])
    request = _reviewed_by(both, make_request)
    delegate = UserFactory(roles=[Role.VIEWER])
    today = timezone.localdate()
    Delegation.objects.create(principal=both, delegate=delegate, start_date=today, end_date=today)
    with pytest.raises(PermissionDenied):
        decision_services.council_decision_record(
            actor=delegate,
            acting_for=both,
            request=request,
            outcome="approved",
            reference="PO/3",
            reason=REASON,
        )


def test_the_decision_sheet_refuses_an_agenda_with_an_item_the_secretary_reviewed(
    make_request: MakeRequest, secretary: User
) -> None:
    both = UserFactory(username="both", roles=[Role.REVIEWER, Role.COUNCIL_SECRETARY])
    meeting = CouncilMeetingFactory(date=timezone.localdate())
    reviewed, other = _reviewed_by(both, make_request), make_request("awaiting_council")
    council_services.agenda_build(actor=secretary, meeting=meeting, requests=[reviewed, other])
    with pytest.raises(PermissionDenied):
        decision_services.council_sheet_record(
            actor=both, meeting=meeting, default_outcome="approved", reference="PO/4"
        )
    assert CouncilMeeting.objects.get(pk=meeting.pk).status == "planned"
    assert not CouncilDecision.objects.exists()
    decision_services.council_sheet_record(
        actor=secretary, meeting=meeting, default_outcome="approved", reference="PO/4"
    )
    assert CouncilDecision.objects.count() == 2


def test_the_refusal_is_in_french_too(make_request: MakeRequest) -> None:
    both = UserFactory(username="both", roles=[Role.REVIEWER, Role.COUNCIL_SECRETARY])
    request = _reviewed_by(both, make_request)
    with translation.override("fr"), pytest.raises(PermissionDenied) as error:
        decision_services.council_decision_record(
            actor=both, request=request, outcome="approved", reference="PO/5", reason=REASON
        )
    assert "Vous avez examiné ou recommandé cette demande" in str(error.value)


# --- A decision outside a Council meeting ----------------------------------------------------------


def test_a_decision_outside_a_meeting_needs_a_reason_and_is_marked(
    make_request: MakeRequest, secretary: User
) -> None:
    request = make_request("awaiting_council")
    for reason in ("", "   ", "Urgent"):
        with pytest.raises(ValidationError) as error:
            decision_services.council_decision_record(
                actor=secretary, request=request, outcome="approved", reference="PO/6", reason=reason
            )
        assert "reason" in error.value.message_dict
    decision = decision_services.council_decision_record(
        actor=secretary, request=request, outcome="approved", reference="PO/6", reason=REASON
    )
    assert (decision.outside_meeting, decision.outside_meeting_reason) == (True, REASON)
    api = token_client(secretary).get(f"/api/v1/requests/{request.pk}/").json()
    assert (api["decisions"][0]["outside_meeting"], api["decisions"][0]["outside_meeting_reason"]) == (
        True,
        REASON,
    )


def test_a_decision_at_a_meeting_is_not_marked_and_needs_no_reason(
    make_request: MakeRequest, secretary: User
) -> None:
    request = make_request("awaiting_council")
    meeting = CouncilMeetingFactory(date=timezone.localdate())
    council_services.agenda_build(actor=secretary, meeting=meeting, requests=[request])
    decision = decision_services.council_decision_record(
        actor=secretary, request=request, outcome="approved", reference="PO/7", meeting=meeting
    )
    assert (decision.outside_meeting, decision.outside_meeting_reason) == (False, "")


# --- Silence --------------------------------------------------------------------------------------


def test_no_decision_while_the_silence_procedure_runs(make_request: MakeRequest, secretary: User) -> None:
    request = make_request("awaiting_council")
    meeting = CouncilMeetingFactory(date=timezone.localdate(), kind="silence")
    [item] = council_services.agenda_build(actor=secretary, meeting=meeting, requests=[request])
    silence_services.silence_start(
        actor=secretary, items=[item], deadline=timezone.now() + datetime.timedelta(days=2)
    )
    for meeting_or_none in (meeting, None):
        with pytest.raises(TransitionNotAllowed) as error:
            decision_services.council_decision_record(
                actor=secretary,
                request=request,
                outcome="rejected",
                reference="PO/8",
                meeting=meeting_or_none,
                reason=REASON,
            )
        assert error.value.code == "silence_running"
    assert InclusionRequest.objects.get(pk=request.pk).status == "awaiting_council"
    assert AgendaItem.objects.get(pk=item.pk).status == "under_silence"
    # Once a delegation breaks silence, the Council decides.
    silence_services.silence_break(
        actor=secretary, item=item, delegation="France", reason="Wants a discussion."
    )
    decision_services.council_decision_record(
        actor=secretary, request=request, outcome="rejected", reference="PO/8", reason=REASON
    )
    assert InclusionRequest.objects.get(pk=request.pk).status == "rejected"
