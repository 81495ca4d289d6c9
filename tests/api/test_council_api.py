"""The North Atlantic Council through the API: meetings, agendas, decision sheets, the silence procedure."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import User
from tests.api.workflow import if_match
from tests.workprogrammes.request_factories import AgendaItemFactory, CouncilMeetingFactory
from workprogrammes.council.models import AgendaItem, CouncilDecision
from workprogrammes.requests.models import InclusionRequest

pytestmark = pytest.mark.django_db

MEETINGS = "/api/v1/council/meetings/"


@pytest.fixture
def client(secretary: User, api_client_for) -> APIClient:
    return api_client_for(secretary)


def _read(client: APIClient, meeting_pk: int) -> dict[str, Any]:
    """If-Match with the meeting's ETag as the secretary reads it now (agenda writes require it)."""
    response = client.get(f"{MEETINGS}{meeting_pk}/")
    assert response.status_code == 200
    return {"HTTP_IF_MATCH": response["ETag"]}


def _meeting(client: APIClient, **extra: Any) -> dict[str, Any]:
    # Planned for today: its decision sheet can be recorded at once (not before the meeting's date).
    body = {"date": timezone.localdate().isoformat(), "reference": "C-M(2030)0001", **extra}
    response = client.post(MEETINGS, body, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.parametrize("role_fixture", ["viewer", "officer", "reviewer", "analyst", "administrator"])
def test_council_endpoints_are_the_secretaries(role_fixture: str, request, api_client_for) -> None:
    client = api_client_for(request.getfixturevalue(role_fixture))
    meeting = CouncilMeetingFactory()
    assert client.get(MEETINGS).status_code == 403
    assert client.get(f"{MEETINGS}{meeting.pk}/").status_code == 403
    assert (
        client.post(MEETINGS, {"date": "2030-01-20", "reference": "C-M(2030)0009"}, format="json").status_code
        == 403
    )
    assert client.get("/api/v1/council/agenda-candidates/").status_code == 403


def test_plan_a_meeting_and_refuse_a_duplicate_reference(client: APIClient) -> None:
    meeting = _meeting(client)
    assert meeting["status"] == "planned" and meeting["agenda"] == []
    response = client.post(
        MEETINGS, {"date": timezone.localdate().isoformat(), "reference": "C-M(2030)0001"}, format="json"
    )
    assert response.status_code == 400
    assert "reference" in response.json()["error"]["fields"]


def test_agenda_then_decision_sheet_with_an_exception(client: APIClient, make_request) -> None:
    first, second, third = (make_request("awaiting_council") for _ in range(3))
    candidates = [row["id"] for row in client.get("/api/v1/council/agenda-candidates/").json()["results"]]
    assert sorted(candidates) == sorted([first.pk, second.pk, third.pk])
    meeting = _meeting(client)
    response = client.post(
        f"{MEETINGS}{meeting['id']}/agenda/",
        {"requests": [first.pk, second.pk, third.pk]},
        format="json",
        **_read(client, meeting["id"]),
    )
    assert response.status_code == 200, response.json()
    agenda = response.json()["agenda"]
    assert [item["request"]["id"] for item in agenda] == [first.pk, second.pk, third.pk]
    third_item = agenda[2]["id"]

    response = client.post(
        f"{MEETINGS}{meeting['id']}/sheet/",
        {
            "default_outcome": "approved",
            "reference": "PO(2030)0001",
            "exceptions": {str(third_item): "deferred"},
        },
        format="json",
        **_read(client, meeting["id"]),
    )
    assert response.status_code == 201, response.json()
    assert sorted(d["outcome"] for d in response.json()["decisions"]) == ["approved", "approved", "deferred"]
    statuses = dict(InclusionRequest.objects.values_list("pk", "status"))
    assert (statuses[first.pk], statuses[second.pk], statuses[third.pk]) == (
        "approved",
        "approved",
        "deferred",
    )

    again = client.post(
        f"{MEETINGS}{meeting['id']}/sheet/",
        {"default_outcome": "approved", "reference": "PO(2030)0002"},
        format="json",
        **_read(client, meeting["id"]),
    )
    assert again.status_code == 409
    assert CouncilDecision.objects.count() == 3


def test_agenda_refuses_unknown_or_unready_requests(client: APIClient, make_request) -> None:
    meeting = _meeting(client)
    draft = make_request("draft")
    read = _read(client, meeting["id"])
    response = client.post(
        f"{MEETINGS}{meeting['id']}/agenda/", {"requests": [999999]}, format="json", **read
    )
    assert response.status_code == 400
    response = client.post(
        f"{MEETINGS}{meeting['id']}/agenda/", {"requests": [draft.pk]}, format="json", **read
    )
    assert response.status_code == 409
    assert not AgendaItem.objects.exists()


def test_silence_procedure_start_and_break(client: APIClient, make_request) -> None:
    inclusion_request = make_request("awaiting_council")
    meeting = CouncilMeetingFactory(date=datetime.date(2030, 1, 20))
    item = AgendaItemFactory(meeting=meeting, request=inclusion_request, position=1)
    deadline = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        f"{MEETINGS}{meeting.pk}/silence/",
        {"items": [item.pk], "deadline": deadline},
        format="json",
        **_read(client, meeting.pk),
    )
    assert response.status_code == 200, response.json()
    assert response.json()[0]["status"] == "under_silence"

    url = f"/api/v1/council/agenda-items/{item.pk}/break-silence/"
    read = _read(client, meeting.pk)
    assert client.post(url, {"delegation": "", "reason": "x"}, format="json", **read).status_code == 400
    response = client.post(
        url, {"delegation": "Delegation of Ruritania", "reason": "Needs discussion."}, format="json", **read
    )
    assert response.status_code == 200, response.json()
    assert response.json()["silence_broken_by"] == "Delegation of Ruritania"
    again = client.post(
        url, {"delegation": "Again", "reason": "Again."}, format="json", **_read(client, meeting.pk)
    )
    assert again.status_code == 409


def test_silence_deadline_in_the_past_is_refused(client: APIClient, make_request) -> None:
    meeting = CouncilMeetingFactory(date=datetime.date(2030, 1, 20))
    item = AgendaItemFactory(meeting=meeting, request=make_request("awaiting_council"), position=1)
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    response = client.post(
        f"{MEETINGS}{meeting.pk}/silence/",
        {"items": [item.pk], "deadline": past},
        format="json",
        **_read(client, meeting.pk),
    )
    assert response.status_code == 400
    assert "deadline" in response.json()["error"]["fields"]


def test_single_decision_through_the_request(secretary: User, make_request, api_client_for) -> None:
    inclusion_request = make_request("awaiting_council")
    client = api_client_for(secretary)
    url = f"/api/v1/requests/{inclusion_request.pk}/decision/"
    assert (
        client.post(url, {"outcome": "approved"}, format="json", **if_match(inclusion_request)).status_code
        == 400
    )
    # Outside a meeting the reason is required.
    no_reason = client.post(
        url,
        {"outcome": "approved", "reference": "PO(2030)0007"},
        format="json",
        **if_match(inclusion_request),
    )
    assert no_reason.status_code == 400
    assert "reason" in no_reason.json()["error"]["fields"]
    response = client.post(
        url,
        {"outcome": "approved", "reference": "PO(2030)0007", "reason": "Agreed by written procedure."},
        format="json",
        **if_match(inclusion_request),
    )
    assert response.status_code == 200
    assert response.json()["status"] == "approved"
    decision = response.json()["decisions"][0]
    assert decision["reference"] == "PO(2030)0007"
    assert (decision["outside_meeting"], decision["outside_meeting_reason"]) == (
        True,
        "Agreed by written procedure.",
    )
    assert (
        client.post(
            url,
            {"outcome": "rejected", "reference": "PO(2030)0008", "reason": "Agreed by written procedure."},
            format="json",
            **if_match(inclusion_request),
        ).status_code
        == 409
    )


def test_meeting_list_and_detail_query_counts_do_not_grow(client: APIClient, make_request) -> None:
    meeting = CouncilMeetingFactory(date=datetime.date(2030, 1, 20))
    AgendaItemFactory(meeting=meeting, request=make_request("awaiting_council"), position=1)

    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    before = [count(MEETINGS), count(f"{MEETINGS}{meeting.pk}/")]
    for position in range(2, 51):
        AgendaItemFactory(meeting=meeting, request=make_request("awaiting_council"), position=position)
        CouncilMeetingFactory()
    assert [count(MEETINGS), count(f"{MEETINGS}{meeting.pk}/")] == before


# --- If-Match on the agenda's writes: the meeting's strong ETag, as on a request's workflow actions ----


def test_a_decision_sheet_needs_if_match_with_the_meetings_strong_etag(
    client: APIClient, make_request
) -> None:
    meeting = _meeting(client)
    first = make_request("awaiting_council")
    url = f"{MEETINGS}{meeting['id']}/"
    assert client.post(f"{url}agenda/", {"requests": [first.pk]}, format="json").status_code == 428
    added = client.post(
        f"{url}agenda/", {"requests": [first.pk]}, format="json", **_read(client, meeting["id"])
    )
    assert added.status_code == 200
    etag = client.get(url)["ETag"]
    assert not etag.startswith("W/")
    sheet = {"default_outcome": "approved", "reference": "PO(2030)0011"}

    for header, words in ((None, "If-Match"), ("*", "*"), (f"W/{etag}", "weak")):
        extra = {} if header is None else {"HTTP_IF_MATCH": header}
        refused = client.post(f"{url}sheet/", sheet, format="json", **extra)
        assert refused.status_code == 428, header
        assert words in refused.json()["error"]["message"]
    # Another item added after the secretary's read: the sheet would decide an item not seen.
    second = make_request("awaiting_council")
    client.post(f"{url}agenda/", {"requests": [second.pk]}, format="json", **_read(client, meeting["id"]))
    stale = client.post(f"{url}sheet/", sheet, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert not CouncilDecision.objects.exists()
    assert set(InclusionRequest.objects.values_list("status", flat=True)) == {"awaiting_council"}

    recorded = client.post(f"{url}sheet/", sheet, format="json", **_read(client, meeting["id"]))
    assert recorded.status_code == 201
    assert CouncilDecision.objects.count() == 2


def test_silence_needs_if_match_and_the_refusals_of_the_action_come_first(
    client: APIClient, make_request, viewer: User, api_client_for
) -> None:
    meeting = CouncilMeetingFactory(date=timezone.localdate())
    item = AgendaItemFactory(meeting=meeting, request=make_request("awaiting_council"), position=1)
    deadline = (timezone.now() + datetime.timedelta(days=3)).isoformat()
    body = {"items": [item.pk], "deadline": deadline}
    assert client.post(f"{MEETINGS}{meeting.pk}/silence/", body, format="json").status_code == 428
    assert AgendaItem.objects.get(pk=item.pk).status == "scheduled"
    # Not a secretary: 403 before any word about If-Match.
    assert (
        api_client_for(viewer).post(f"{MEETINGS}{meeting.pk}/silence/", body, format="json").status_code
        == 403
    )
    started = client.post(
        f"{MEETINGS}{meeting.pk}/silence/", body, format="json", **_read(client, meeting.pk)
    )
    assert started.status_code == 200
    url = f"/api/v1/council/agenda-items/{item.pk}/break-silence/"
    broken = {"delegation": "Delegation of Ruritania", "reason": "Needs discussion."}
    assert client.post(url, broken, format="json").status_code == 428
    assert AgendaItem.objects.get(pk=item.pk).status == "under_silence"
    assert client.post(url, broken, format="json", **_read(client, meeting.pk)).status_code == 200
