"""A delegate on another desk sees and acts on what the principal may, for the delegation's dates only.

officer (Asia-Pacific desk, Japan) names other_officer (Latin America desk) as delegate. Through the
pages, the API with a session and the API with a token, other_officer then creates, opens, edits and
submits Japan's requests for officer; both names are in the timeline and the audit trail; once the
delegation ends, they open nothing and are told nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import Delegation, Role, User
from portal.accounts.services import DELEGATION_MAX_DAYS, delegation_create, delegation_end
from portal.core.models import Marking
from portal.notifications.models import Notification
from tests.api.conftest import token_client
from tests.factories import CatalogueItemFactory, UserFactory
from workprogrammes.requests import services
from workprogrammes.requests.models import InclusionRequest, StatusChange
from workprogrammes.requests.permissions import request_is_visible
from workprogrammes.requests.selectors import inclusion_request_visible_to
from workprogrammes.workflow_steps import RequestStep, request_step

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
    assert body["drafted_by"]["username"] == "other_officer"
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
    request_step(request=created, step=RequestStep(actor=officer, action="submit"))
    request_step(request=created, step=RequestStep(actor=reviewer, action="start_review"))
    with django_capture_on_commit_callbacks(execute=True):
        request_step(
            request=created, step=RequestStep(actor=reviewer, action="return", reason="Give the dates again.")
        )
        services.comment_add(actor=reviewer, request=created, body="Please check.", visibility="shared")
    assert not Notification.objects.filter(recipient=other_officer).exists()
    assert all(other_officer.email not in message.to for message in mail.outbox)


# --- Comments, files and drafting: what the principal may, on the delegation's days -----------------


def _comments(client: Any, request: InclusionRequest) -> set[str]:
    return {row["body"] for row in client.get(f"{URL}{request.pk}/comments/").json()}


def _latest_audit(model: str) -> dict[str, Any]:
    event = apps.get_model("workprogrammes", model).objects.select_related("pgh_context").latest("pgh_id")
    return dict(event.pgh_context.metadata)


@pytest.fixture
def deputy(db: None) -> User:
    """A reviewer's stand-in who reads every request (a viewer) but, by their own roles, no comment."""
    return UserFactory(username="deputy", roles=[Role.VIEWER], first_name="Dana", last_name="Deputy")


def test_a_reviewers_delegate_reads_the_internal_comments_on_the_page_and_the_api_for_the_dates_only(
    reviewer: User, deputy: User, make_request: Callable[..., InclusionRequest]
) -> None:
    request = make_request("under_review", reviewer=reviewer)
    services.comment_add(actor=reviewer, request=request, body="Check the budget.", visibility="internal")
    services.comment_add(actor=reviewer, request=request, body="Dates look fine.", visibility="shared")
    reviewer.clearance = Marking.NATO_SECRET
    reviewer.save(update_fields=["clearance"])
    services.comment_add(
        actor=reviewer,
        request=request,
        body="Secret remark.",
        visibility="internal",
        marking=Marking.NATO_SECRET,
    )
    page = Client()
    page.force_login(deputy)
    assert "Check the budget." not in page.get(f"/requests/{request.reference}/").content.decode()
    assert _comments(token_client(deputy), request) == set()
    today = timezone.localdate()
    delegation = delegation_create(principal=reviewer, delegate=deputy, start_date=today, end_date=today)
    html = page.get(f"/requests/{request.reference}/").content.decode()
    assert "Check the budget." in html and "Dates look fine." in html
    # Never above the delegate's own clearance, whatever the principal's.
    assert "Secret remark." not in html
    for make in API_CLIENTS.values():
        assert _comments(make(User.objects.get(pk=deputy.pk)), request) == {
            "Check the budget.",
            "Dates look fine.",
        }
    delegation_end(delegation=delegation, by=reviewer)
    assert "Check the budget." not in page.get(f"/requests/{request.reference}/").content.decode()
    for make in API_CLIENTS.values():
        assert _comments(make(User.objects.get(pk=deputy.pk)), request) == set()


def test_the_requester_does_not_read_internal_comments_on_their_own_request_through_a_reviewers_delegation(
    reviewer: User, requester: User, make_request: Callable[..., InclusionRequest]
) -> None:
    request = make_request("under_review", reviewer=reviewer, requested_by=requester)
    other = make_request("under_review", reviewer=reviewer, requested_by=UserFactory(roles=[Role.OFFICER]))
    for target in (request, other):
        services.comment_add(actor=reviewer, request=target, body="Reviewers only.", visibility="internal")
        services.comment_add(actor=reviewer, request=target, body="For the desk.", visibility="shared")
    today = timezone.localdate()
    delegation_create(principal=reviewer, delegate=requester, start_date=today, end_date=today)
    client = token_client(requester)
    assert _comments(client, request) == {"For the desk."}
    assert _comments(client, other) == {"Reviewers only.", "For the desk."}
    refused = client.post(
        f"{URL}{request.pk}/comments/", {"body": "Mine.", "visibility": "internal"}, format="json"
    )
    assert refused.status_code == 400


def test_a_reviewers_delegate_writes_an_internal_comment_and_the_audit_names_both(
    reviewer: User, deputy: User, make_request: Callable[..., InclusionRequest]
) -> None:
    request = make_request("under_review", reviewer=reviewer)
    today = timezone.localdate()
    delegation_create(principal=reviewer, delegate=deputy, start_date=today, end_date=today)
    page = Client()
    page.force_login(deputy)
    assert 'value="internal"' in page.get(f"/requests/{request.reference}/").content.decode()
    response = page.post(
        f"/requests/{request.reference}/comments/",
        {
            "body": "Ask the desk for the budget.",
            "visibility": "internal",
            "marking": Marking.NATO_UNCLASSIFIED,
        },
    )
    assert response.status_code == 302
    assert _latest_audit("CommentEvent")["acting_for"] == reviewer.pk
    created = token_client(deputy).post(
        f"{URL}{request.pk}/comments/", {"body": "Budget received.", "visibility": "internal"}, format="json"
    )
    assert created.status_code == 201, created.content
    assert created.json()["author"]["username"] == "deputy"
    assert {c.visibility for c in request.comments.all()} == {"internal"}


def test_a_delegate_on_another_desk_reads_and_writes_shared_comments_but_not_internal_ones(
    officer: User,
    other_officer: User,
    reviewer: User,
    make_request: Callable[..., InclusionRequest],
    delegation: Delegation,
) -> None:
    request = make_request("returned", requested_by=officer)
    services.comment_add(actor=reviewer, request=request, body="Give the dates.", visibility="shared")
    services.comment_add(actor=reviewer, request=request, body="Between us.", visibility="internal")
    page = Client()
    page.force_login(other_officer)
    html = page.get(f"/requests/{request.reference}/").content.decode()
    assert "Give the dates." in html and "Between us." not in html
    for make in API_CLIENTS.values():
        client = make(other_officer)
        assert _comments(client, request) == {"Give the dates."}
    refused = token_client(other_officer).post(
        f"{URL}{request.pk}/comments/", {"body": "Internal?", "visibility": "internal"}, format="json"
    )
    assert refused.status_code == 400
    response = page.post(
        f"/requests/{request.reference}/comments/",
        {"body": "Dates sent by the embassy.", "visibility": "shared", "marking": Marking.NATO_UNCLASSIFIED},
    )
    assert response.status_code == 302
    assert _latest_audit("CommentEvent")["acting_for"] == officer.pk


def test_a_delegate_on_another_desk_attaches_files_on_the_page_and_the_api(
    officer: User, other_officer: User, make_request: Callable[..., InclusionRequest], delegation: Delegation
) -> None:
    request = make_request("draft", requested_by=officer)
    page = Client()
    page.force_login(other_officer)
    assert 'name="file"' in page.get(f"/requests/{request.reference}/").content.decode()
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    response = page.post(
        f"/requests/{request.reference}/attachments/",
        {"file": SimpleUploadedFile("agenda.pdf", pdf), "marking": Marking.NATO_UNCLASSIFIED},
    )
    assert response.status_code == 302
    assert _latest_audit("AttachmentEvent")["acting_for"] == officer.pk
    uploaded = token_client(other_officer).post(
        f"{URL}{request.pk}/attachments/", {"file": SimpleUploadedFile("note.pdf", pdf)}, format="multipart"
    )
    assert uploaded.status_code == 201, uploaded.content
    listed = token_client(other_officer).get(f"{URL}{request.pk}/attachments/").json()
    assert {row["original_name"] for row in listed} == {"agenda.pdf", "note.pdf"}
    assert token_client(other_officer).get(listed[0]["download_url"]).status_code == 200


def test_a_delegate_on_another_desk_drafts_and_changes_a_request_for_the_principal_on_the_pages(
    officer: User, other_officer: User, partner: Any, delegation: Delegation
) -> None:
    officer.first_name, officer.last_name = "Olga", "Officer"
    officer.save(update_fields=["first_name", "last_name"])
    page = Client()
    page.force_login(other_officer)
    form = page.get("/requests/new/").content.decode()
    assert f'<option value="{partner.pk}">Japan (for Olga Officer)</option>' in form
    item = CatalogueItemFactory()
    body = {
        "partner": partner.pk,
        "catalogue_item": item.pk,
        "title": "Exercise Steadfast Jazz",
        "place": "Oberammergau",
        "justification": "Interoperability with a contributor to operations.",
        "mutual_benefit": "Lessons from deployments in return for training places.",
        "marking": Marking.NATO_UNCLASSIFIED,
    }
    starts = timezone.localdate() + datetime.timedelta(days=60)
    body.update(start_date=starts.isoformat(), end_date=(starts + datetime.timedelta(days=4)).isoformat())
    response = page.post("/requests/new/", body)
    assert response.status_code == 302, response.content.decode()[:2000]
    created = InclusionRequest.objects.get()
    assert (created.requested_by, created.partner) == (officer, partner)
    assert _latest_audit("InclusionRequestEvent")["acting_for"] == officer.pk
    edit = f"/requests/{created.reference}/edit/"
    assert page.get(edit).status_code == 200
    assert page.post(edit, {**body, "place": "Brunssum"}).status_code == 302
    created.refresh_from_db()
    assert created.place == "Brunssum"
    detail = page.get(f"/requests/{created.reference}/").content.decode()
    assert f'href="{edit}"' in detail
    # The timeline's first line names the delegate who started the draft and the principal.
    assert re.search(r"Draft started</span>\s*<span[^>]*>[^<]*acting for Olga Officer", detail)


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
