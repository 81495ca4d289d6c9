"""Drafting, submitting and reviewing inclusion requests through the services."""

import datetime
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.accounts.models import Delegation, Role, User
from portal.core.models import Marking
from tests.factories import CatalogueItemFactory, PartnerFactory, ProgrammeActivityFactory, UserFactory
from workprogrammes.council import decision_services
from workprogrammes.council import services as council_services
from workprogrammes.requests import services
from workprogrammes.requests.models import InclusionRequest, RequestRevision, StatusChange
from workprogrammes.requests.permissions import available_transitions
from workprogrammes.requests.workflow import TransitionNotAllowed
from workprogrammes.workflow_steps import RequestStep, request_step

pytestmark = pytest.mark.django_db

# A decision outside a Council meeting says why.
WRITTEN_PROCEDURE = "Agreed by written procedure before the next meeting."

MakeRequest = Callable[..., InclusionRequest]


def _create(officer: User, partner, **overrides) -> InclusionRequest:
    fields = {
        "actor": officer,
        "partner": partner,
        "catalogue_item": CatalogueItemFactory(),
        "title": "Exercise Steadfast Jazz",
        "start_date": datetime.date(2027, 5, 3),
        "end_date": datetime.date(2027, 5, 14),
        "place": "Oberammergau",
        "justification": "The partner's forces train for operations alongside Allies.",
        "mutual_benefit": "Allies learn from the partner's deployments; the partner gains interoperability.",
    }
    fields.update(overrides)
    return services.inclusion_request_create(**fields)


def test_officer_creates_a_draft_on_their_desk_with_a_reference(officer: User, partner) -> None:
    request = _create(officer, partner)
    assert request.status == "draft"
    assert re.fullmatch(r"IR-\d{4}-\d{4,}", request.reference)
    assert request.desk == officer.desks.get()
    assert request.requested_by == officer
    assert officer in request.watchers.all()
    assert not StatusChange.objects.filter(request=request).exists()


def test_references_are_unique_and_increasing(officer: User, partner) -> None:
    first, second = _create(officer, partner), _create(officer, partner)
    assert int(second.reference.rsplit("-", 1)[1]) == int(first.reference.rsplit("-", 1)[1]) + 1


def test_officer_cannot_ask_for_a_partner_of_another_desk(officer: User) -> None:
    with pytest.raises(PermissionDenied):
        _create(officer, PartnerFactory())


def test_reviewer_cannot_create_requests(reviewer: User, partner) -> None:
    with pytest.raises(PermissionDenied):
        _create(reviewer, partner)


def test_create_refuses_missing_mutual_benefit_and_bad_dates_by_field(officer: User, partner) -> None:
    with pytest.raises(ValidationError) as error:
        _create(officer, partner, mutual_benefit="  ", end_date=datetime.date(2027, 5, 1))
    assert set(error.value.message_dict) == {"mutual_benefit", "end_date"}


def test_create_needs_exactly_one_way_of_naming_the_activity(officer: User, partner) -> None:
    activity = ProgrammeActivityFactory(programme__partner=partner)
    with pytest.raises(ValidationError) as error:
        _create(officer, partner, programme_activity=activity)
    assert "catalogue_item" in error.value.message_dict
    request = _create(officer, partner, programme_activity=activity, catalogue_item=None)
    assert request.activity_title == activity.title
    assert (request.title, request.start_date) == ("", None)


def test_activity_of_another_partners_programme_is_refused(officer: User, partner) -> None:
    activity = ProgrammeActivityFactory()
    with pytest.raises(ValidationError) as error:
        _create(officer, partner, programme_activity=activity, catalogue_item=None)
    assert "programme_activity" in error.value.message_dict


def test_officer_cannot_mark_above_own_clearance(officer: User, partner) -> None:
    with pytest.raises(ValidationError) as error:
        _create(officer, partner, marking=Marking.NATO_SECRET)
    assert "marking" in error.value.message_dict


def test_submit_snapshots_a_revision_and_the_council_need(officer: User, make_request: MakeRequest) -> None:
    request = make_request("draft", exempt=True)
    now = timezone.now()
    request_step(request=request, step=RequestStep(actor=officer, action="submit", now=now))
    request.refresh_from_db()
    assert request.status == "submitted"
    assert (request.submitted_at, request.submitted_by, request.revision) == (now, officer, 1)
    assert request.needs_council_decision is False
    assert request.due_at == now + datetime.timedelta(days=10)
    revision = RequestRevision.objects.get(request=request)
    assert revision.number == 1
    assert revision.snapshot["mutual_benefit"] == request.mutual_benefit


def test_update_only_while_draft_or_returned(officer: User, make_request: MakeRequest) -> None:
    draft = make_request("draft")
    services.inclusion_request_update(actor=officer, request=draft, place="Brussels")
    draft.refresh_from_db()
    assert draft.place == "Brussels"
    submitted = make_request("submitted")
    with pytest.raises(TransitionNotAllowed) as error:
        services.inclusion_request_update(actor=officer, request=submitted, place="Mons")
    assert error.value.code == "not_editable"


def test_return_and_resubmit_keeps_each_revision(
    officer: User, reviewer: User, make_request: MakeRequest
) -> None:
    request = make_request("draft")
    request_step(request=request, step=RequestStep(actor=officer, action="submit"))
    request_step(request=request, step=RequestStep(actor=reviewer, action="start_review"))
    request_step(
        request=request,
        step=RequestStep(actor=reviewer, action="return", reason="Say who leads the exercise."),
    )
    services.inclusion_request_update(
        actor=officer, request=request, justification="Led by JFC Brunssum; the partner trains alongside."
    )
    request_step(request=request, step=RequestStep(actor=officer, action="submit"))
    request.refresh_from_db()
    assert (request.status, request.revision) == ("submitted", 2)
    first, second = RequestRevision.objects.filter(request=request).order_by("number")
    assert first.snapshot["justification"] != second.snapshot["justification"]
    resubmission = StatusChange.objects.filter(request=request).last()
    assert resubmission is not None
    assert (resubmission.from_status, resubmission.to_status, resubmission.revision) == (
        "returned",
        "submitted",
        2,
    )
    returned = StatusChange.objects.get(request=request, to_status="returned")
    assert returned.reason == "Say who leads the exercise."


@pytest.mark.parametrize("action", ["return", "not_recommend", "close_exempt", "withdraw"])
def test_dangerous_steps_need_a_reason(
    action: str, officer: User, reviewer: User, make_request: MakeRequest
) -> None:
    request = make_request("under_review", exempt=True)
    actor = officer if action == "withdraw" else reviewer
    with pytest.raises(ValidationError) as error:
        request_step(request=request, step=RequestStep(actor=actor, action=action, reason="   "))
    assert "reason" in error.value.message_dict
    assert InclusionRequest.objects.get(pk=request.pk).status == "under_review"


def test_close_exempt_only_when_no_council_decision_is_needed(
    reviewer: User, make_request: MakeRequest
) -> None:
    request = make_request("under_review")
    with pytest.raises(TransitionNotAllowed) as error:
        request_step(
            request=request, step=RequestStep(actor=reviewer, action="close_exempt", reason="Routine course.")
        )
    assert error.value.code == "council_decision_needed"
    exempt = make_request("under_review", exempt=True)
    request_step(
        request=exempt, step=RequestStep(actor=reviewer, action="close_exempt", reason="Open course.")
    )
    exempt.refresh_from_db()
    assert exempt.status == "approved_exempt"
    assert exempt.decided_at is not None


def test_stale_transition_is_a_clear_domain_error(reviewer: User, make_request: MakeRequest) -> None:
    request = make_request("submitted")
    request_step(request=request, step=RequestStep(actor=reviewer, action="start_review"))
    other_reviewer = UserFactory(roles=[Role.REVIEWER])
    with pytest.raises(TransitionNotAllowed) as error:
        request_step(request=request, step=RequestStep(actor=other_reviewer, action="start_review"))
    assert error.value.code == "stale_or_illegal_status"
    assert "under review" in str(error.value)


# --- Separation of duties -----------------------------------------------------------------------


def _grant(user: User, *roles: str) -> User:
    for role in roles:
        user.groups.add(Group.objects.get_or_create(name=role)[0])
    return User.objects.get(pk=user.pk)  # roles are cached per instance


def test_requester_holding_the_reviewer_role_cannot_review_their_request(
    requester: User, make_request: MakeRequest
) -> None:
    requester = _grant(requester, Role.REVIEWER, Role.COUNCIL_SECRETARY)
    request = make_request("submitted")
    with pytest.raises(PermissionDenied, match="cannot review or decide"):
        request_step(request=request, step=RequestStep(actor=requester, action="start_review"))
    awaiting = make_request("awaiting_council")
    with pytest.raises(PermissionDenied):
        decision_services.council_decision_record(
            actor=requester, request=awaiting, outcome="approved", reference="X", reason=WRITTEN_PROCEDURE
        )
    # As the desk's officer they may still withdraw it, and nothing else.
    assert [t.action for t in available_transitions(requester, request)] == ["withdraw"]


def test_whoever_submitted_cannot_recommend(officer: User, make_request: MakeRequest) -> None:
    officer = _grant(officer, Role.REVIEWER)
    request = make_request("draft")
    request_step(request=request, step=RequestStep(actor=officer, action="submit"))
    with pytest.raises(PermissionDenied):
        request_step(request=request, step=RequestStep(actor=officer, action="start_review"))


def test_reviewer_cannot_decide_through_a_delegation_from_the_requester(
    requester: User, secretary: User, make_request: MakeRequest
) -> None:
    requester = _grant(requester, Role.COUNCIL_SECRETARY)
    today = timezone.localdate()
    delegate = UserFactory(roles=[Role.VIEWER])
    Delegation.objects.create(principal=requester, delegate=delegate, start_date=today, end_date=today)
    request = make_request("awaiting_council")
    with pytest.raises(PermissionDenied):
        decision_services.council_decision_record(
            actor=delegate,
            acting_for=requester,
            request=request,
            outcome="approved",
            reference="X",
            reason=WRITTEN_PROCEDURE,
        )


# --- Desk scoping and delegation ----------------------------------------------------------------


def test_officer_of_another_desk_cannot_act(other_officer: User, make_request: MakeRequest) -> None:
    with pytest.raises(PermissionDenied):
        request_step(request=make_request("draft"), step=RequestStep(actor=other_officer, action="submit"))
    with pytest.raises(PermissionDenied):
        council_services.inclusion_request_withdraw(
            actor=other_officer, request=make_request("submitted"), reason="Not ours."
        )
    with pytest.raises(PermissionDenied):
        services.inclusion_request_update(actor=other_officer, request=make_request("draft"), place="Mons")


def test_acting_for_without_an_active_delegation_is_refused(
    reviewer: User, make_request: MakeRequest
) -> None:
    stranger = UserFactory(roles=[Role.VIEWER])
    with pytest.raises(PermissionDenied, match="No active delegation"):
        request_step(
            request=make_request("submitted"),
            step=RequestStep(actor=stranger, action="start_review", acting_for=reviewer),
        )


def test_delegate_acts_for_the_principal_and_the_timeline_names_both(
    reviewer: User, make_request: MakeRequest
) -> None:
    today = timezone.localdate()
    delegate = UserFactory(roles=[Role.VIEWER])
    Delegation.objects.create(principal=reviewer, delegate=delegate, start_date=today, end_date=today)
    request = make_request("submitted")
    request_step(
        request=request, step=RequestStep(actor=delegate, action="start_review", acting_for=reviewer)
    )
    change = StatusChange.objects.get(request=request)
    assert (change.actor, change.acting_for) == (delegate, reviewer)
    request.refresh_from_db()
    assert request.reviewer == reviewer


# --- Withdrawal ---------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "under_review", "awaiting_council", "deferred"])
def test_officer_may_withdraw_before_the_final_decision(
    status: str, officer: User, make_request: MakeRequest
) -> None:
    request = make_request(status)
    council_services.inclusion_request_withdraw(
        actor=officer, request=request, reason="The partner declined."
    )
    assert InclusionRequest.objects.get(pk=request.pk).status == "withdrawn"


@pytest.mark.parametrize("status", ["approved", "approved_exempt", "rejected", "withdrawn"])
def test_officer_may_not_withdraw_after_the_decision(
    status: str, officer: User, make_request: MakeRequest
) -> None:
    with pytest.raises(TransitionNotAllowed):
        council_services.inclusion_request_withdraw(
            actor=officer, request=make_request(status), reason="Changed our mind."
        )


def test_available_actions_follow_status_role_and_desk(
    officer: User, other_officer: User, reviewer: User, viewer: User, make_request: MakeRequest
) -> None:
    request = make_request("under_review")
    assert [t.action for t in available_transitions(officer, request)] == ["withdraw"]
    assert available_transitions(other_officer, request) == []
    assert available_transitions(viewer, request) == []
    # Not exempt: the reviewer is not offered the exempt closure.
    assert [t.action for t in available_transitions(reviewer, request)] == [
        "return",
        "recommend",
        "not_recommend",
    ]
