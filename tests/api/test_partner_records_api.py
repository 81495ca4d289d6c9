"""Keeping a partner's record current through the API: the record pages' forms, services and rule."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from operations.models import Contribution
from partners.models import DialogueMeeting, LiaisonArrangement, Milestone, Partner, PartnerAreaChange
from portal.accounts.models import User
from tests.factories import (
    ContributionFactory,
    CooperationAreaFactory,
    MilestoneFactory,
    OperationFactory,
)

pytestmark = pytest.mark.django_db


def _error(response: Any) -> dict[str, Any]:
    return response.json()["error"]


MILESTONE = {"date": "2024-05-02", "date_precision": "day", "kind": "agreement", "title_en": "ITPP signed"}


def _bodies() -> dict[str, dict[str, Any]]:
    OperationFactory(code="isaf")
    return {
        "milestones": MILESTONE,
        "dialogue-meetings": {"date": "2024-02-01", "kind": "staff_talks", "title_en": "Staff talks"},
        "liaison-arrangements": {"post": "shape", "officers": 2, "start_date": "2024-01-01"},
        "contributions": {
            "operation": "isaf",
            "kind": "troops",
            "period_start": "2024-01-01",
            "personnel": 40,
        },
    }


MODELS = {
    "milestones": Milestone,
    "dialogue-meetings": DialogueMeeting,
    "liaison-arrangements": LiaisonArrangement,
    "contributions": Contribution,
}


@pytest.mark.parametrize("kind", list(MODELS))
def test_desk_officer_adds_each_kind_of_record(
    officer: User, partner: Partner, api_client_for, kind: str
) -> None:
    body = _bodies()[kind]
    response = api_client_for(officer).post(f"/api/v1/partners/JP/{kind}/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response["ETag"]
    record = MODELS[kind].objects.get(pk=response.json()["id"])
    assert record.partner == partner and record.created_by == officer


@pytest.mark.parametrize(
    ("role", "expected"),
    [("viewer", 403), ("reviewer", 403), ("analyst", 403), ("other_officer", 403), ("administrator", 201)],
)
def test_only_the_desk_and_administrators_write_the_record(
    role: str, expected: int, request: pytest.FixtureRequest, partner: Partner, api_client_for
) -> None:
    user: User = request.getfixturevalue(role)
    response = api_client_for(user).post("/api/v1/partners/JP/milestones/", MILESTONE, format="json")
    assert response.status_code == expected
    assert Milestone.objects.filter(partner=partner).exists() is (expected == 201)


def test_the_pages_form_rules_apply(officer: User, partner: Partner, api_client_for) -> None:
    """The form requires an English title even though the model allows it blank in other languages."""
    body = {**MILESTONE, "title_en": ""}
    response = api_client_for(officer).post("/api/v1/partners/JP/milestones/", body, format="json")
    assert response.status_code == 400
    assert "title_en" in _error(response)["fields"]


def test_contribution_is_corrected_with_if_match(officer: User, partner: Partner, api_client_for) -> None:
    contribution = ContributionFactory(partner=partner, personnel=10, period_end=None)
    client = api_client_for(officer)
    url = f"/api/v1/partners/JP/contributions/{contribution.pk}/"
    first = client.patch(url, {"personnel": 12}, format="json")
    assert first.status_code == 200, first.json()
    assert first.json()["personnel"] == 12
    etag = first["ETag"]
    assert client.patch(url, {"personnel": 14}, format="json", HTTP_IF_MATCH=etag).status_code == 200
    stale = client.patch(url, {"personnel": 99}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert Contribution.objects.get(pk=contribution.pk).personnel == 14


def test_period_end_before_start_is_a_field_error(officer: User, partner: Partner, api_client_for) -> None:
    contribution = ContributionFactory(
        partner=partner, period_start=datetime.date(2024, 1, 1), period_end=None
    )
    response = api_client_for(officer).patch(
        f"/api/v1/partners/JP/contributions/{contribution.pk}/", {"period_end": "2023-01-01"}, format="json"
    )
    assert response.status_code == 400
    assert Contribution.objects.get(pk=contribution.pk).period_end is None


def test_another_partners_record_is_not_found(officer: User, partner: Partner, api_client_for) -> None:
    elsewhere = MilestoneFactory()
    response = api_client_for(officer).patch(
        f"/api/v1/partners/JP/milestones/{elsewhere.pk}/", {"title_en": "x"}, format="json"
    )
    assert response.status_code == 404


def test_areas_and_engagement_level_are_set(officer: User, partner: Partner, api_client_for) -> None:
    CooperationAreaFactory(code="cyber")
    CooperationAreaFactory(code="science")
    response = api_client_for(officer).put(
        "/api/v1/partners/JP/cooperation/",
        {"engagement_level": "contributor", "areas": ["cyber", "science"]},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert sorted(a["code"] for a in response.json()["areas"]) == ["cyber", "science"]
    assert PartnerAreaChange.objects.filter(partner=partner, chosen=True).count() == 2
    unknown = api_client_for(officer).put(
        "/api/v1/partners/JP/cooperation/",
        {"engagement_level": "contributor", "areas": ["nope"]},
        format="json",
    )
    assert unknown.status_code == 400 and "areas" in _error(unknown)["fields"]


def test_history_lists_who_changed_what(
    officer: User, viewer: User, partner: Partner, api_client_for
) -> None:
    created = api_client_for(officer).post("/api/v1/partners/JP/milestones/", MILESTONE, format="json")
    assert created.status_code == 201
    response = api_client_for(viewer).get("/api/v1/partners/JP/history/")
    assert response.status_code == 200
    # In one test transaction every event has the same time, so find the milestone's among them.
    [entry] = [e for e in response.json()["results"] if "ITPP signed" in e["record_title"]]
    assert entry["user"] == "officer"
    assert api_client_for(viewer).get("/api/v1/partners/ZZ/history/").status_code == 404


def test_history_uses_the_same_queries_at_1_and_50_changes(
    viewer: User, partner: Partner, api_client_for
) -> None:
    client = api_client_for(viewer)
    MilestoneFactory(partner=partner)
    url = "/api/v1/partners/JP/history/"
    client.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    one = count()
    MilestoneFactory.create_batch(49, partner=partner)
    assert count() == one
