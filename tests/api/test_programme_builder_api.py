"""Building and running programmes through the API: the same services and rules as the builder pages."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.accounts.models import User
from tests.factories import CooperationAreaFactory, ProgrammeActivityFactory, WorkProgrammeFactory
from tests.workprogrammes.programmes.conftest import agreed_programme
from workprogrammes.programmes.models import Objective, ProgrammeActivity, ProgrammeAmendment, WorkProgramme
from workprogrammes.requests.models import InclusionRequest

pytestmark = pytest.mark.django_db

P = WorkProgramme.Status
A = ProgrammeActivity.Status
YESTERDAY = timezone.localdate() - datetime.timedelta(days=1)


def _error(response: Any) -> dict[str, Any]:
    return response.json()["error"]


def _activity_body(item: Any, **extra: Any) -> dict[str, Any]:
    return {
        "catalogue_item": item.pk,
        "objective": Objective.COMMON_UNDERSTANDING,
        "start_date": "2027-06-01",
        "end_date": "2027-06-03",
        "place": "Tokyo",
        **extra,
    }


# --- Starting -------------------------------------------------------------------------------------


def test_officer_starts_an_empty_programme_for_their_partner(officer: User, partner, api_client_for) -> None:
    response = api_client_for(officer).post(
        "/api/v1/programmes/", {"partner": "JP", "year": 2027, "objectives_en": "Interoperability"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["year"], body["status"], body["objectives_en"]) == (2027, P.DRAFT, "Interoperability")
    assert response["ETag"]
    assert WorkProgramme.objects.get(pk=body["id"]).created_by == officer


def test_programme_is_copied_from_the_previous_year(officer: User, partner, api_client_for) -> None:
    last = agreed_programme(partner, year=2026, objectives_en="Support first")
    ProgrammeActivityFactory(
        programme=last, start_date=datetime.date(2026, 3, 1), end_date=datetime.date(2026, 3, 2)
    )
    response = api_client_for(officer).post(
        "/api/v1/programmes/", {"partner": "JP", "year": 2027, "start": "copy"}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["objectives_en"] == "Support first"
    assert [a["start_date"] for a in body["activities"]] == ["2027-03-01"]


def test_starting_twice_for_a_year_is_a_field_error(officer: User, partner, api_client_for) -> None:
    client = api_client_for(officer)
    assert client.post("/api/v1/programmes/", {"partner": "JP", "year": 2027}).status_code == 201
    response = client.post("/api/v1/programmes/", {"partner": "JP", "year": 2027})
    assert response.status_code == 400
    assert "year" in _error(response)["fields"]


@pytest.mark.parametrize(
    ("role", "expected"),
    [("viewer", 403), ("reviewer", 403), ("other_officer", 400), ("administrator", 201)],
)
def test_who_may_start_a_programme_for_japan(
    role: str, expected: int, request: pytest.FixtureRequest, partner, api_client_for
) -> None:
    """Viewers and reviewers may not start programmes; another desk's officer cannot pick Japan."""
    user: User = request.getfixturevalue(role)
    response = api_client_for(user).post("/api/v1/programmes/", {"partner": "JP", "year": 2027})
    assert response.status_code == expected, response.json()
    if expected == 400:
        assert "partner" in _error(response)["fields"]


def test_marking_above_clearance_is_refused(officer: User, partner, api_client_for) -> None:
    response = api_client_for(officer).post(
        "/api/v1/programmes/", {"partner": "JP", "year": 2027, "marking": officer.clearance + 1}
    )
    assert response.status_code == 400
    assert "marking" in _error(response)["fields"]


# --- Building a draft -----------------------------------------------------------------------------


def test_activities_are_added_changed_and_removed_while_draft(
    officer: User, draft, exempt_item, api_client_for
) -> None:
    client = api_client_for(officer)
    added = client.post(f"/api/v1/programmes/{draft.pk}/activities/", _activity_body(exempt_item))
    assert added.status_code == 201, added.json()
    activity_id = added.json()["id"]
    assert added.json()["title_en"] == "Course open to all partners"  # the catalogue's title by default

    changed = client.patch(f"/api/v1/activities/{activity_id}/", {"place": "Osaka"})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["place"] == "Osaka"
    assert ProgrammeActivity.objects.get(pk=activity_id).start_date == datetime.date(2027, 6, 1)

    assert client.delete(f"/api/v1/activities/{activity_id}/").status_code == 204
    assert not ProgrammeActivity.objects.filter(pk=activity_id).exists()


def test_activity_outside_the_programme_year_is_a_field_error(
    officer: User, draft, exempt_item, api_client_for
) -> None:
    response = api_client_for(officer).post(
        f"/api/v1/programmes/{draft.pk}/activities/",
        _activity_body(exempt_item, start_date="2030-01-01", end_date="2030-01-02"),
    )
    assert response.status_code == 400
    assert "start_date" in _error(response)["fields"]


def test_status_is_not_writable_through_patch(officer: User, draft, api_client_for) -> None:
    activity = draft.activities.first()
    response = api_client_for(officer).patch(f"/api/v1/activities/{activity.pk}/", {"status": "held"})
    assert response.status_code == 400
    assert "status" in _error(response)["fields"]


@pytest.mark.parametrize(
    ("role", "expected"), [("viewer", 403), ("other_officer", 403), ("administrator", 200)]
)
def test_only_the_desk_and_administrators_change_a_programme(
    role: str, expected: int, request: pytest.FixtureRequest, draft, api_client_for
) -> None:
    user: User = request.getfixturevalue(role)
    response = api_client_for(user).patch(f"/api/v1/programmes/{draft.pk}/", {"objectives_en": "New"})
    assert response.status_code == expected
    assert (WorkProgramme.objects.get(pk=draft.pk).objectives_en == "New") is (expected == 200)


def test_programme_above_clearance_is_not_found(officer: User, partner, api_client_for) -> None:
    secret = WorkProgrammeFactory(partner=partner, year=2027, marking=officer.clearance + 1)
    client = api_client_for(officer)
    assert client.get(f"/api/v1/programmes/{secret.pk}/").status_code == 404
    assert client.post(f"/api/v1/programmes/{secret.pk}/activate/").status_code == 404


def test_stale_if_match_on_a_programme_is_412(officer: User, draft, api_client_for) -> None:
    client = api_client_for(officer)
    etag = client.get(f"/api/v1/programmes/{draft.pk}/")["ETag"]
    # A change to one of its activities changes the programme's tag.
    activity = draft.activities.first()
    assert client.patch(f"/api/v1/activities/{activity.pk}/", {"place": "Nagoya"}).status_code == 200
    response = client.patch(f"/api/v1/programmes/{draft.pk}/", {"objectives_en": "x"}, HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    fresh = client.get(f"/api/v1/programmes/{draft.pk}/")["ETag"]
    ok = client.patch(f"/api/v1/programmes/{draft.pk}/", {"objectives_en": "x"}, HTTP_IF_MATCH=fresh)
    assert ok.status_code == 200


# --- The lifecycle --------------------------------------------------------------------------------


def _seen(client: Any, path: str) -> dict[str, str]:
    """If-Match with the ETag of a GET of `path`, as a lifecycle step requires."""
    return {"HTTP_IF_MATCH": client.get(path)["ETag"]}


def test_lifecycle_through_actions(officer: User, draft, api_client_for) -> None:
    client = api_client_for(officer)
    url = f"/api/v1/programmes/{draft.pk}"
    missing = client.post(f"{url}/propose/", {})
    assert missing.status_code == 400 and "justification" in _error(missing)["fields"]
    texts = {
        "justification": "Interoperability with partner navies",
        "mutual_benefit": "Both sides learn from the exercise",
    }
    without_if_match = client.post(f"{url}/propose/", texts)
    assert without_if_match.status_code == 428
    assert WorkProgramme.objects.get(pk=draft.pk).status == P.DRAFT
    proposed = client.post(f"{url}/propose/", texts, **_seen(client, f"{url}/"))
    assert proposed.status_code == 200 and proposed.json()["status"] == P.PROPOSED
    # One draft request for the activity that needs a council decision.
    assert InclusionRequest.objects.filter(programme_activity__programme=draft).count() == 1
    agreed = client.post(
        f"{url}/agree/",
        {"agreed_on": YESTERDAY.isoformat(), "agreement_reference": "ITCP/27"},
        **_seen(client, f"{url}/"),
    )
    assert agreed.status_code == 200 and agreed.json()["agreement_reference"] == "ITCP/27"
    assert client.post(f"{url}/activate/", **_seen(client, f"{url}/")).json()["status"] == P.ACTIVE
    again = client.post(f"{url}/activate/", **_seen(client, f"{url}/"))
    assert again.status_code == 409 and _error(again)["code"] == "programme_step_not_allowed"
    closed = client.post(f"{url}/close/", {"reason": "Year over"}, **_seen(client, f"{url}/"))
    assert closed.json()["status"] == P.CLOSED
    timeline = client.get(f"{url}/timeline/").json()
    assert [step["to_status"] for step in timeline][-4:] == [P.PROPOSED, P.AGREED, P.ACTIVE, P.CLOSED]


def test_amendments_need_a_reason_and_are_listed_with_their_differences(
    officer: User, partner, api_client_for
) -> None:
    programme = agreed_programme(partner, year=2027, objectives_en="Old")
    client = api_client_for(officer)
    refused = client.patch(f"/api/v1/programmes/{programme.pk}/", {"objectives_en": "New"})
    assert refused.status_code == 400 and "reason" in _error(refused)["fields"]
    amended = client.patch(
        f"/api/v1/programmes/{programme.pk}/", {"objectives_en": "New", "reason": "Partner asked"}
    )
    assert amended.status_code == 200
    assert ProgrammeAmendment.objects.filter(programme=programme).count() == 1
    listed = client.get(f"/api/v1/programmes/{programme.pk}/amendments/").json()
    assert listed[0]["number"] == 1 and listed[0]["reason"] == "Partner asked"
    assert listed[0]["programme_fields"][0]["old"] == "Old"
    assert listed[0]["programme_fields"][0]["new"] == "New"


def test_removing_an_activity_after_agreement_is_a_conflict(officer: User, partner, api_client_for) -> None:
    programme = agreed_programme(partner, year=2027)
    activity = ProgrammeActivityFactory(
        programme=programme, start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 3, 2)
    )
    response = api_client_for(officer).delete(f"/api/v1/activities/{activity.pk}/")
    assert response.status_code == 409


def test_activity_runs_to_its_outcome(officer: User, partner, api_client_for) -> None:
    programme = agreed_programme(partner, year=YESTERDAY.year)
    activity = ProgrammeActivityFactory(programme=programme, start_date=YESTERDAY, end_date=YESTERDAY)
    client = api_client_for(officer)
    url = f"/api/v1/activities/{activity.pk}"
    assert client.post(f"{url}/hold/").status_code == 409  # planned: confirm first
    assert client.post(f"{url}/confirm/").status_code == 428
    assert client.post(f"{url}/confirm/", **_seen(client, f"{url}/")).json()["status"] == A.CONFIRMED
    assert client.post(f"{url}/hold/", **_seen(client, f"{url}/")).json()["status"] == A.HELD
    assert client.get(f"{url}/outcome/").status_code == 404
    bad = client.post(f"{url}/outcome/", {"participants": 12, "rating": 9})
    assert bad.status_code == 400 and "rating" in _error(bad)["fields"]
    outcome = client.post(f"{url}/outcome/", {"participants": 12, "rating": 4, "lessons": "More time"})
    assert outcome.status_code == 201
    assert client.get(f"{url}/outcome/").json()["rating"] == 4
    assert ProgrammeActivity.objects.get(pk=activity.pk).status == A.REPORTED


def test_cancelling_needs_a_reason(officer: User, partner, api_client_for) -> None:
    programme = agreed_programme(partner, year=2027)
    activity = ProgrammeActivityFactory(
        programme=programme, start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 3, 2)
    )
    client = api_client_for(officer)
    assert client.post(f"/api/v1/activities/{activity.pk}/cancel/", {}).status_code == 400
    done = client.post(
        f"/api/v1/activities/{activity.pk}/cancel/",
        {"reason": "Partner withdrew"},
        **_seen(client, f"/api/v1/activities/{activity.pk}/"),
    )
    assert done.status_code == 200 and done.json()["status"] == A.CANCELLED


def test_viewer_cannot_run_activities(viewer: User, partner, api_client_for) -> None:
    programme = agreed_programme(partner, year=2027)
    activity = ProgrammeActivityFactory(
        programme=programme, start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 3, 2)
    )
    assert api_client_for(viewer).post(f"/api/v1/activities/{activity.pk}/confirm/").status_code == 403


# --- Coverage and query counts --------------------------------------------------------------------


def test_coverage_flags_objectives_and_chosen_areas_without_activities(
    viewer: User, draft, api_client_for
) -> None:
    chosen = CooperationAreaFactory(code="cyber")
    draft.partner.areas.add(chosen)
    body = api_client_for(viewer).get(f"/api/v1/programmes/{draft.pk}/coverage/").json()
    by_objective = {row["objective"]: row for row in body["objectives"]}
    assert by_objective[Objective.SUPPORT_FOR_OPERATIONS]["activity_count"] == 1
    assert [row["area"] for row in body["areas"] if row["is_missing"]] == ["cyber"]
    assert body["missing_count"] >= 1


@pytest.mark.parametrize("suffix", ["coverage/", "timeline/", "amendments/"])
def test_programme_sections_use_the_same_queries_at_1_and_50_activities(
    viewer: User, partner, api_client_for, suffix: str
) -> None:
    client = api_client_for(viewer)
    programme = agreed_programme(partner, year=2027)
    ProgrammeActivityFactory(
        programme=programme, start_date=datetime.date(2027, 1, 5), end_date=datetime.date(2027, 1, 6)
    )
    url = f"/api/v1/programmes/{programme.pk}/{suffix}"
    client.get(url)  # warm the session and caches

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    ProgrammeActivityFactory.create_batch(
        49, programme=programme, start_date=datetime.date(2027, 2, 5), end_date=datetime.date(2027, 2, 6)
    )
    assert count() == one
