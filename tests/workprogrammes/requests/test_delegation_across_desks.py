"""A delegate on another desk sees and acts on what the principal may, for the delegation's dates only.

officer (Asia-Pacific desk, Japan) names other_officer (Latin America desk) as delegate. Through the
pages, the API with a session and the API with a token, other_officer then creates, opens, edits and
submits Japan's requests for officer; both names are in the timeline and the audit trail; once the
delegation ends, they open nothing and are told nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import Delegation, Role, User
from portal.accounts.services import DELEGATION_MAX_DAYS, delegation_create, delegation_end
from portal.core.models import Marking
from portal.notifications.models import Notification
from tests.api.conftest import token_client
from tests.factories import CatalogueItemFactory, UserFactory
from workprogrammes.requests import services, workflow_services
from workprogrammes.requests.models import InclusionRequest, StatusChange
from workprogrammes.requests.permissions import request_is_visible
from workprogrammes.requests.selectors import inclusion_request_visible_to

pytestmark = pytest.mark.django_db

URL = "/api/v1/requests/"


def _session_api(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


API_CLIENTS: dict[str, Callable[[User], APIClient]] = {"token": token_client, "session": _session_api}


@pytest.fixture
def delegation(officer: User, other_officer: User) -> Delegation:
    today = timezone.localdate()
    until = today + datetime.timedelta(days=5)
    return delegation_create(principal=officer, delegate=other_officer, start_date=today, end_date=until)


def _draft_body(partner: Any, **extra: Any) -> dict[str, Any]:
    return {
        "partner": partner.iso_code,
        "catalogue_item": CatalogueItemFactory().pk,
        "title": "Exercise Steadfast Jazz",
        "start_date": "2027-03-01",
        "end_date": "2027-03-12",
        "place": "Oberammergau",
        "justification": "Interoperability with a contributor to operations.",
        "mutual_benefit": "Lessons from deployments in return for training places.",
        **extra,
    }


@pytest.mark.parametrize("surface", sorted(API_CLIENTS))
def test_delegate_on_another_desk_creates_opens_and_submits_through_the_api(
    surface: str, officer: User, other_officer: User, partner: Any, delegation: Delegation
) -> None:
    client = API_CLIENTS[surface](other_officer)
    created = client.post(URL, _draft_body(partner, acting_for="officer"), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["requested_by"]["username"] == "officer"
    pk = body["id"]
    assert client.get(f"{URL}{pk}/").status_code == 200
    assert any(row["id"] == pk for row in client.get(URL).json()["results"])
    changed = client.patch(f"{URL}{pk}/", {"place": "Brunssum", "acting_for": "officer"}, format="json")
    assert changed.status_code == 200, changed.content
    seen = client.get(f"{URL}{pk}/")
    submitted = client.post(
        f"{URL}{pk}/submit/", {"acting_for": "officer"}, format="json", HTTP_IF_MATCH=seen["ETag"]
    )
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"
    change = StatusChange.objects.get(request_id=pk)
    assert (change.actor, change.acting_for) == (other_officer, officer)
    timeline = submitted.json()["timeline"]
    assert timeline[-1]["actor"]["username"] == "other_officer"
    assert timeline[-1]["acting_for"]["username"] == "officer"


def test_the_audit_trail_names_the_delegate_and_the_principal(
    officer: User, other_officer: User, partner: Any, delegation: Delegation
) -> None:
    client = Client()
    client.force_login(other_officer)
    response = client.post(URL, _draft_body(partner, acting_for="officer"), content_type="application/json")
    assert response.status_code == 201, response.content
    event = apps.get_model("workprogrammes", "InclusionRequestEvent").objects.latest("pgh_id")
    metadata = event.pgh_context.metadata
    assert metadata["user"] == other_officer.pk
    assert metadata["acting_for"] == officer.pk


def test_delegate_opens_and_submits_on_the_pages_with_both_names_in_the_timeline(
    officer: User, other_officer: User, make_request: Callable[..., InclusionRequest], delegation: Delegation
) -> None:
    draft = make_request("draft", requested_by=officer)
    client = Client()
    client.force_login(other_officer)
    page = client.get(f"/requests/{draft.reference}/")
    assert page.status_code == 200
    assert "(for " in page.content.decode()
    response = client.post(f"/requests/{draft.reference}/act/submit/", {"acting_for": officer.pk})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "submitted"
    timeline = client.get(f"/requests/{draft.reference}/").content.decode()
    assert "acting for" in timeline
    assert draft.reference in client.get("/requests/").content.decode()


def test_after_the_delegation_the_delegate_opens_nothing_on_any_surface(
    officer: User, other_officer: User, make_request: Callable[..., InclusionRequest], delegation: Delegation
) -> None:
    request = make_request("draft", requested_by=officer)
    page_client = Client()
    page_client.force_login(other_officer)
    assert page_client.get(f"/requests/{request.reference}/").status_code == 200
    delegation_end(delegation=delegation, by=officer)
    other_officer = User.objects.get(pk=other_officer.pk)  # a new request reads the delegations afresh
    assert page_client.get(f"/requests/{request.reference}/").status_code == 404
    for make in API_CLIENTS.values():
        assert make(other_officer).get(f"{URL}{request.pk}/").status_code == 404
    assert not request_is_visible(other_officer, request)
    assert request not in inclusion_request_visible_to(user=other_officer)


def test_a_delegation_that_has_not_started_grants_nothing(
    officer: User, other_officer: User, make_request: Callable[..., InclusionRequest]
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    delegation_create(principal=officer, delegate=other_officer, start_date=tomorrow, end_date=tomorrow)
    request = make_request("draft", requested_by=officer)
    assert not request_is_visible(other_officer, request)
    assert token_client(other_officer).get(f"{URL}{request.pk}/").status_code == 404


def test_a_delegate_never_reads_above_their_own_clearance(
    officer: User, other_officer: User, make_request: Callable[..., InclusionRequest], delegation: Delegation
) -> None:
    officer.clearance = Marking.NATO_SECRET
    officer.save(update_fields=["clearance"])
    secret = make_request("draft", requested_by=officer, marking=Marking.NATO_SECRET)
    plain = make_request("draft", requested_by=officer)
    delegate = User.objects.get(pk=other_officer.pk)
    assert request_is_visible(delegate, plain) and not request_is_visible(delegate, secret)
    assert set(inclusion_request_visible_to(user=delegate)) == {plain}


def test_the_visibility_rule_gives_the_same_answer_for_one_request_and_as_a_query(
    officer: User,
    other_officer: User,
    reviewer: User,
    viewer: User,
    make_request: Callable[..., InclusionRequest],
    delegation: Delegation,
) -> None:
    requests = [make_request("draft"), make_request("submitted", marking=Marking.NATO_CONFIDENTIAL)]
    stranger = UserFactory(roles=[Role.OFFICER])
    for user in (officer, other_officer, reviewer, viewer, stranger):
        user = User.objects.get(pk=user.pk)
        listed = set(inclusion_request_visible_to(user=user))
        assert {r for r in requests if request_is_visible(user, r)} == listed


def test_acting_for_does_not_tell_whether_a_username_exists(
    other_officer: User, partner: Any, officer: User
) -> None:
    client = token_client(other_officer)
    unknown = client.post(URL, _draft_body(partner, acting_for="no_such_person"), format="json")
    existing = client.post(URL, _draft_body(partner, acting_for="officer"), format="json")
    assert unknown.status_code == existing.status_code == 400
    assert unknown.json()["error"]["fields"] == existing.json()["error"]["fields"]
    assert not InclusionRequest.objects.exists()


def test_without_a_delegation_nobody_is_emailed_about_what_they_cannot_open(
    officer: User,
    other_officer: User,
    reviewer: User,
    make_request: Callable[..., InclusionRequest],
    delegation: Delegation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    created = services.inclusion_request_create(
        actor=other_officer,
        acting_for=officer,
        partner=officer.desks.get().partners.get(),
        catalogue_item=CatalogueItemFactory(),
        title="Exercise",
        start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 3, 2),
        place="Mons",
        justification="Interoperability with a contributor to operations.",
        mutual_benefit="Lessons from deployments in return for training places.",
    )
    assert other_officer in created.watchers.all()
    delegation_end(delegation=delegation, by=officer)
    workflow_services.inclusion_request_submit(actor=officer, request=created)
    workflow_services.inclusion_request_start_review(actor=reviewer, request=created)
    with django_capture_on_commit_callbacks(execute=True):
        workflow_services.inclusion_request_return(
            actor=reviewer, request=created, reason="Give the dates again."
        )
        services.comment_add(actor=reviewer, request=created, body="Please check.", visibility="shared")
    assert not Notification.objects.filter(recipient=other_officer).exists()
    assert all(other_officer.email not in message.to for message in mail.outbox)


# --- The delegation itself: a maximum length, dates in a window ---------------------------------------


def test_a_delegation_longer_than_the_maximum_is_refused_through_the_api_in_both_languages(
    officer: User,
) -> None:
    UserFactory(username="deputy")
    today = timezone.localdate()
    body = {
        "delegate": "deputy",
        "start_date": today.isoformat(),
        "end_date": (today + datetime.timedelta(days=DELEGATION_MAX_DAYS)).isoformat(),
    }
    english = token_client(officer).post("/api/v1/delegations/", body, format="json")
    assert english.status_code == 400
    assert f"at most {DELEGATION_MAX_DAYS} days" in " ".join(english.json()["error"]["fields"]["end_date"])
    french = token_client(officer, language="fr").post("/api/v1/delegations/", body, format="json")
    french_error = " ".join(french.json()["error"]["fields"]["end_date"])
    assert f"au plus {DELEGATION_MAX_DAYS}\u00a0jours" in french_error
    body["end_date"] = (today + datetime.timedelta(days=DELEGATION_MAX_DAYS - 1)).isoformat()
    assert token_client(officer).post("/api/v1/delegations/", body, format="json").status_code == 201


def test_a_delegation_running_to_9999_or_starting_years_ahead_is_refused_on_the_page(officer: User) -> None:
    deputy = UserFactory(username="deputy")
    client = Client()
    client.force_login(officer)
    form = client.get("/notifications/delegation/").content.decode()
    assert f"at most {DELEGATION_MAX_DAYS} days" in form
    today = timezone.localdate()
    response = client.post(
        "/notifications/delegation/",
        {"delegate": deputy.pk, "start_date": today.isoformat(), "end_date": "9999-12-31"},
    )
    assert response.status_code == 400
    assert f"at most {DELEGATION_MAX_DAYS} days" in response.content.decode()
    far = today + datetime.timedelta(days=800)
    response = client.post(
        "/notifications/delegation/",
        {"delegate": deputy.pk, "start_date": far.isoformat(), "end_date": far.isoformat()},
    )
    assert response.status_code == 400
    assert not Delegation.objects.exists()
