"""Inclusion requests through the API: the workflow table's cases, visibility, drafts, comments, files."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from portal.accounts.models import Role, User
from tests.api.workflow import if_match
from tests.factories import CatalogueItemFactory, PartnerFactory, UserFactory
from tests.workprogrammes.request_factories import CommentFactory, CouncilMeetingFactory
from tests.workprogrammes.requests.test_workflow_table import ACTORS, CALLS, _expected_row
from workprogrammes.requests.discussion_models import Attachment
from workprogrammes.requests.models import InclusionRequest, InclusionRequestStatus, StatusChange
from workprogrammes.requests.workflow import TRANSITIONS

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
URL = "/api/v1/requests/"


def _error(response: Any) -> dict[str, Any]:
    return response.json()["error"]


# --- The workflow table, through the API ----------------------------------------------------------


def _api_call(service: str, target: str) -> tuple[str, Callable[[], dict[str, Any]]]:
    """The endpoint suffix and body that take this (service, target) step through the API."""
    if service == "council_decision_record":
        return "decision", lambda: {
            "outcome": target,
            "reference": "PO(2027)0012",
            "reason": "Agreed by written procedure.",
        }
    if service == "inclusion_request_reschedule":
        return "reschedule", lambda: {"meeting": CouncilMeetingFactory(date=datetime.date(2030, 1, 1)).pk}
    row = next(t for t in TRANSITIONS if (t.service, t.target) == (service, target))
    return row.action.replace("_", "-"), lambda: {"reason": "Recorded for the test."}


@pytest.mark.parametrize("actor_name", ACTORS)
@pytest.mark.parametrize(("service", "target"), CALLS)
def test_workflow_table_through_the_api(
    request: pytest.FixtureRequest,
    make_request: Callable[..., InclusionRequest],
    api_client_for: Callable[..., APIClient],
    service: str,
    target: str,
    actor_name: str,
) -> None:
    """Allowed (status, action, role) triples answer 200 and move the request; the rest are refused:
    404 for an officer of another desk (they cannot see it), 403 for a role or desk the table does not
    allow, 409 for a status the action cannot start from."""
    actor: User = request.getfixturevalue(actor_name)
    client = api_client_for(actor)
    suffix, body = _api_call(service, target)
    rows = [t for t in TRANSITIONS if (t.service, t.target) == (service, target)]
    for status in InclusionRequestStatus.values:
        inclusion_request = make_request(status, exempt=True)
        expected = _expected_row(service, target, status, actor_name)
        response = client.post(
            f"{URL}{inclusion_request.pk}/{suffix}/", body(), format="json", **if_match(inclusion_request)
        )
        after = InclusionRequest.objects.get(pk=inclusion_request.pk)
        if expected is not None:
            assert response.status_code == 200, (status, response.json())
            assert after.status == expected.target == response.json()["status"]
            continue
        if actor_name == "other_officer":
            expected_code = 404
        elif not any(actor.has_role(*row.roles) for row in rows) or (
            all(row.desk_scoped for row in rows) and actor_name != "officer"
        ):
            expected_code = 403
        else:
            expected_code = 409
        assert response.status_code == expected_code, (status, response.json())
        assert set(_error(response)) == {"code", "message", "fields"}
        assert after.status == status
        assert not StatusChange.objects.filter(request=inclusion_request).exists()


def test_stale_transition_is_a_409_with_the_workflows_code(
    officer: User,
    reviewer: User,
    make_request,
    api_client_for,
) -> None:
    inclusion_request = make_request("under_review")
    client = api_client_for(reviewer)
    seen = if_match(inclusion_request)
    assert client.post(f"{URL}{inclusion_request.pk}/recommend/", **seen).status_code == 200
    response = client.post(f"{URL}{inclusion_request.pk}/recommend/", **seen)
    assert response.status_code == 409
    assert _error(response)["code"] == "stale_or_illegal_status"


def test_reason_is_required_where_the_table_says(reviewer: User, make_request, api_client_for) -> None:
    inclusion_request = make_request("under_review")
    response = api_client_for(reviewer).post(
        f"{URL}{inclusion_request.pk}/return/", {"reason": ""}, format="json", **if_match(inclusion_request)
    )
    assert response.status_code == 400
    assert "reason" in _error(response)["fields"]


def test_transition_honours_a_stale_if_match(officer: User, make_request, api_client_for) -> None:
    inclusion_request = make_request("draft")
    client = api_client_for(officer)
    etag = client.get(f"{URL}{inclusion_request.pk}/")["ETag"]
    client.patch(f"{URL}{inclusion_request.pk}/", {"place": "Mons"}, format="json")
    response = client.post(f"{URL}{inclusion_request.pk}/submit/", HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).status == "draft"


# --- Visibility ------------------------------------------------------------------------------------


def test_a_workflow_action_needs_if_match_with_the_strong_etag(
    reviewer: User, make_request, api_client_for
) -> None:
    inclusion_request = make_request("submitted")
    client = api_client_for(reviewer)
    url = f"{URL}{inclusion_request.pk}/start-review/"
    etag = client.get(f"{URL}{inclusion_request.pk}/")["ETag"]
    assert not etag.startswith("W/")

    missing = client.post(url)
    assert missing.status_code == 428
    assert _error(missing)["code"] == "precondition_required"
    assert "If-Match" in _error(missing)["message"]
    star = client.post(url, HTTP_IF_MATCH="*")
    assert star.status_code == 428
    assert "*" in _error(star)["message"]
    weak = client.post(url, HTTP_IF_MATCH=f"W/{etag}")
    assert weak.status_code == 428
    assert "weak" in _error(weak)["message"]
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).status == "submitted"
    assert not StatusChange.objects.filter(request=inclusion_request).exists()

    french = client.post(url, HTTP_ACCEPT_LANGUAGE="fr")
    assert "If-Match" in _error(french)["message"] and "action" in _error(french)["message"]

    assert client.post(url, HTTP_IF_MATCH=etag).status_code == 200


def test_without_if_match_a_role_the_workflow_refuses_still_gets_403(
    viewer: User, make_request, api_client_for
) -> None:
    inclusion_request = make_request("submitted")
    response = api_client_for(viewer).post(f"{URL}{inclusion_request.pk}/start-review/")
    assert response.status_code == 403


def test_officer_sees_only_their_desks_requests(
    officer: User,
    other_officer: User,
    make_request,
    api_client_for,
) -> None:
    mine = make_request("submitted")
    assert [row["id"] for row in api_client_for(officer).get(URL).json()["results"]] == [mine.pk]
    other = api_client_for(other_officer)
    assert other.get(URL).json()["results"] == []
    assert other.get(f"{URL}{mine.pk}/").status_code == 404
    assert other.get(f"{URL}{mine.pk}/comments/").status_code == 404


@pytest.mark.parametrize("role_fixture", ["viewer", "reviewer", "secretary", "analyst", "administrator"])
def test_staff_roles_read_every_request(role_fixture: str, request, make_request, api_client_for) -> None:
    inclusion_request = make_request("submitted")
    client = api_client_for(request.getfixturevalue(role_fixture))
    assert client.get(f"{URL}{inclusion_request.pk}/").status_code == 200


def test_request_list_filters(officer: User, reviewer: User, make_request, api_client_for) -> None:
    draft, submitted = make_request("draft"), make_request("submitted")
    client = api_client_for(reviewer)

    def ids(**params: Any) -> list[int]:
        return [row["id"] for row in client.get(URL, params).json()["results"]]

    assert ids(status="submitted") == [submitted.pk]
    assert sorted(ids(status=["submitted", "draft"])) == sorted([draft.pk, submitted.pk])
    assert ids(partner=draft.partner.iso_code.lower(), status="draft") == [draft.pk]
    assert ids(mine="true") == []
    assert client.get(URL, {"status": "lost"}).status_code == 400


def test_detail_lists_the_actions_the_user_may_take_now(reviewer: User, make_request, api_client_for) -> None:
    inclusion_request = make_request("under_review")
    body = api_client_for(reviewer).get(f"{URL}{inclusion_request.pk}/").json()
    actions = {a["action"]: a for a in body["actions"]}
    assert set(actions) == {"return", "recommend", "not_recommend"}
    assert actions["return"]["reason_required"] is True
    assert actions["recommend"]["url"] == f"{URL}{inclusion_request.pk}/recommend/"


def test_request_list_and_detail_query_counts_do_not_grow(
    reviewer: User,
    make_request,
    api_client_for,
) -> None:
    client = api_client_for(reviewer)
    first = make_request("submitted")

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = [count(URL), count(f"{URL}{first.pk}/"), count(f"{URL}{first.pk}/comments/")]
    for _ in range(49):
        make_request("submitted")
        StatusChange.objects.create(request=first, from_status="draft", to_status="submitted", revision=1)
        CommentFactory(request=first)
    assert [count(URL), count(f"{URL}{first.pk}/"), count(f"{URL}{first.pk}/comments/")] == before


# --- Drafts: create and update ---------------------------------------------------------------------


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


def test_officer_creates_a_draft_for_a_partner_on_their_desk(officer: User, partner, api_client_for) -> None:
    response = api_client_for(officer).post(URL, _draft_body(partner), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft" and body["reference"].startswith("IR-")
    assert body["requested_by"]["username"] == "officer"
    assert response["ETag"]


def test_create_refuses_a_partner_of_another_desk(officer: User, api_client_for) -> None:
    response = api_client_for(officer).post(URL, _draft_body(PartnerFactory(iso_code="CL")), format="json")
    assert response.status_code == 403


@pytest.mark.parametrize("role_fixture", ["viewer", "reviewer", "secretary", "analyst", "administrator"])
def test_only_officers_create_requests(role_fixture: str, request, partner, api_client_for) -> None:
    client = api_client_for(request.getfixturevalue(role_fixture))
    assert client.post(URL, _draft_body(partner), format="json").status_code == 403
    assert not InclusionRequest.objects.exists()


def test_create_gives_field_errors(officer: User, partner, api_client_for) -> None:
    response = api_client_for(officer).post(URL, _draft_body(partner, mutual_benefit="  "), format="json")
    assert response.status_code == 400
    assert "mutual_benefit" in _error(response)["fields"]
    response = api_client_for(officer).post(URL, _draft_body(partner, end_date="2027-02-01"), format="json")
    assert response.status_code == 400
    assert "end_date" in _error(response)["fields"]


def test_officer_cannot_set_status_or_decision_through_the_api(
    officer: User,
    make_request,
    api_client_for,
    partner,
) -> None:
    inclusion_request = make_request("draft")
    client = api_client_for(officer)
    response = client.patch(f"{URL}{inclusion_request.pk}/", {"status": "approved"}, format="json")
    assert response.status_code == 400
    assert "workflow" in _error(response)["fields"]["status"][0]
    response = client.patch(f"{URL}{inclusion_request.pk}/", {"decision": "approved"}, format="json")
    assert response.status_code == 400
    assert "decision" in _error(response)["fields"]
    response = client.post(URL, _draft_body(partner, status="approved"), format="json")
    assert response.status_code == 400
    response = client.patch(f"{URL}{inclusion_request.pk}/", {"reference": "IR-FAKE"}, format="json")
    assert _error(response)["fields"]["reference"] == ["This field is read-only."]
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).status == "draft"


def test_update_a_draft_with_if_match(officer: User, make_request, api_client_for) -> None:
    inclusion_request = make_request("draft")
    client = api_client_for(officer)
    etag = client.get(f"{URL}{inclusion_request.pk}/")["ETag"]
    response = client.patch(
        f"{URL}{inclusion_request.pk}/", {"place": "Mons"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert response.json()["place"] == "Mons"
    assert response["ETag"] != etag
    stale = client.patch(
        f"{URL}{inclusion_request.pk}/", {"place": "Brussels"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert _error(stale)["code"] == "precondition_failed"
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).place == "Mons"
    # Without If-Match the update is accepted (the header is optional).
    assert (
        client.patch(f"{URL}{inclusion_request.pk}/", {"place": "Brussels"}, format="json").status_code == 200
    )


def test_an_update_takes_no_weak_tag_in_if_match(officer: User, make_request, api_client_for) -> None:
    """If-Match is compared strongly on updates too: a weak tag, even of the current version, is refused
    with the reason (428) and nothing changes; the strong tag of the same version is accepted."""
    inclusion_request = make_request("draft")
    client = api_client_for(officer)
    url = f"{URL}{inclusion_request.pk}/"
    etag = client.get(url)["ETag"]
    weak = client.patch(url, {"place": "Mons"}, format="json", HTTP_IF_MATCH=f"W/{etag}")
    assert weak.status_code == 428
    assert "weak" in _error(weak)["message"]
    french = client.patch(
        url, {"place": "Mons"}, format="json", HTTP_IF_MATCH=f"W/{etag}", HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "faible" in _error(french)["message"]
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).place != "Mons"
    assert client.patch(url, {"place": "Mons"}, format="json", HTTP_IF_MATCH=etag).status_code == 200


def test_submitted_request_cannot_be_edited(officer: User, make_request, api_client_for) -> None:
    inclusion_request = make_request("submitted")
    response = api_client_for(officer).patch(
        f"{URL}{inclusion_request.pk}/", {"place": "Mons"}, format="json"
    )
    assert response.status_code == 409
    assert _error(response)["code"] == "not_editable"


def test_revisions_show_what_changed_on_resubmit(
    officer: User, reviewer: User, partner, api_client_for
) -> None:
    client = api_client_for(officer)
    pk = client.post(URL, _draft_body(partner), format="json").json()["id"]
    assert client.post(f"{URL}{pk}/submit/", **if_match(pk)).status_code == 200
    staff = api_client_for(reviewer)
    staff.post(f"{URL}{pk}/start-review/", **if_match(pk))
    staff.post(f"{URL}{pk}/return/", {"reason": "Say more about reciprocity."}, format="json", **if_match(pk))
    client.patch(f"{URL}{pk}/", {"mutual_benefit": "Training places both ways."}, format="json")
    assert client.post(f"{URL}{pk}/resubmit/", **if_match(pk)).json()["revision"] == 2
    body = staff.get(f"{URL}{pk}/revisions/").json()
    assert [r["number"] for r in body["revisions"]] == [1, 2]
    assert [f["field"] for f in body["differences"][0]["fields"]] == ["mutual_benefit"]
    timeline = staff.get(f"{URL}{pk}/").json()["timeline"]
    assert [(t["from_status"], t["to_status"]) for t in timeline][-1] == ("returned", "submitted")


# --- Comments and attachments ------------------------------------------------------------------------


def test_comments_internal_ones_are_hidden_from_officers(
    officer: User,
    reviewer: User,
    make_request,
    api_client_for,
) -> None:
    inclusion_request = make_request("under_review")
    staff = api_client_for(reviewer)
    url = f"{URL}{inclusion_request.pk}/comments/"
    assert (
        staff.post(url, {"body": "Check the dates.", "visibility": "internal"}, format="json").status_code
        == 201
    )
    assert staff.post(url, {"body": "Please add the agenda."}, format="json").status_code == 201
    desk_officer = api_client_for(officer)
    assert [c["body"] for c in desk_officer.get(url).json()] == ["Please add the agenda."]
    assert len(staff.get(url).json()) == 2
    assert desk_officer.post(url, {"body": "  "}, format="json").status_code == 400


def test_viewer_cannot_comment(viewer: User, make_request, api_client_for) -> None:
    inclusion_request = make_request("submitted")
    response = api_client_for(viewer).post(
        f"{URL}{inclusion_request.pk}/comments/", {"body": "Hi"}, format="json"
    )
    assert response.status_code == 403


def test_attachment_upload_and_download_as_attachment(
    officer: User,
    other_officer: User,
    make_request,
    api_client_for,
) -> None:
    inclusion_request = make_request("draft")
    client = api_client_for(officer)
    url = f"{URL}{inclusion_request.pk}/attachments/"
    response = client.post(url, {"file": SimpleUploadedFile("agenda.pdf", PDF)}, format="multipart")
    assert response.status_code == 201, response.json()
    assert response.json()["content_type"] == "application/pdf"
    download = client.get(response.json()["download_url"])
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert b"".join(download.streaming_content) == PDF
    assert api_client_for(other_officer).get(response.json()["download_url"]).status_code == 404
    assert [a["original_name"] for a in client.get(url).json()] == ["agenda.pdf"]


def test_attachment_with_a_lying_name_is_refused(officer: User, make_request, api_client_for) -> None:
    inclusion_request = make_request("draft")
    response = api_client_for(officer).post(
        f"{URL}{inclusion_request.pk}/attachments/",
        {"file": SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf")},
        format="multipart",
    )
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_delegate_acts_for_the_principal(partner, make_request, api_client_for) -> None:
    from portal.accounts.services import delegation_create

    reviewer_away = UserFactory(username="reviewer_away", roles=[Role.REVIEWER])
    delegate = UserFactory(username="delegate", roles=[Role.VIEWER])
    today = datetime.date.today()
    delegation_create(principal=reviewer_away, delegate=delegate, start_date=today, end_date=today)
    inclusion_request = make_request("submitted")
    client = api_client_for(delegate)
    assert (
        client.post(f"{URL}{inclusion_request.pk}/start-review/", **if_match(inclusion_request)).status_code
        == 403
    )
    response = client.post(
        f"{URL}{inclusion_request.pk}/start-review/",
        {"acting_for": "reviewer_away"},
        format="json",
        **if_match(inclusion_request),
    )
    assert response.status_code == 200, response.json()
    change = StatusChange.objects.get(request=inclusion_request)
    assert (change.actor, change.acting_for) == (delegate, reviewer_away)
