"""Delegations through the API: the same services and rules as the delegation page."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import Delegation, User
from portal.accounts.selectors import delegation_is_active
from portal.accounts.services import delegation_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(reviewer: User, api_client_for) -> APIClient:
    return api_client_for(reviewer)


def _range(days: int = 7) -> dict[str, str]:
    today = timezone.localdate()
    return {"start_date": today.isoformat(), "end_date": (today + datetime.timedelta(days=days)).isoformat()}


def test_reviewer_names_a_delegate_who_then_acts_for_them(client: APIClient, reviewer: User) -> None:
    deputy = UserFactory(username="deputy")
    response = client.post("/api/v1/delegations/", {"delegate": "deputy", **_range(), "reason": "Leave"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["delegate"]["username"] == "deputy"
    assert body["is_active_today"] is True
    assert delegation_is_active(delegate=deputy, principal=reviewer)


def test_delegating_to_oneself_is_a_400_with_the_field(client: APIClient, reviewer: User) -> None:
    response = client.post("/api/v1/delegations/", {"delegate": reviewer.username, **_range()})
    assert response.status_code == 400
    assert "delegate" in response.json()["error"]["fields"]
    assert not Delegation.objects.exists()


def test_end_date_before_start_is_a_400(client: APIClient) -> None:
    UserFactory(username="deputy")
    today = timezone.localdate()
    response = client.post(
        "/api/v1/delegations/",
        {
            "delegate": "deputy",
            "start_date": today.isoformat(),
            "end_date": (today - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "end_date" in response.json()["error"]["fields"]


def test_unknown_delegate_is_a_400(client: APIClient) -> None:
    response = client.post("/api/v1/delegations/", {"delegate": "nobody", **_range()})
    assert response.status_code == 400


def test_list_shows_given_and_received_only(client: APIClient, reviewer: User, officer: User) -> None:
    deputy = UserFactory(username="deputy")
    mine = delegation_create(principal=reviewer, delegate=deputy, **_dates())
    received = delegation_create(principal=officer, delegate=reviewer, **_dates())
    delegation_create(principal=officer, delegate=deputy, **_dates())
    ids = {row["id"] for row in client.get("/api/v1/delegations/").json()}
    assert ids == {mine.pk, received.pk}


def test_ending_a_delegation_stops_it_and_others_get_404(
    client: APIClient, reviewer: User, officer: User, api_client_for
) -> None:
    deputy = UserFactory(username="deputy")
    delegation = delegation_create(principal=reviewer, delegate=deputy, **_dates())
    assert api_client_for(officer).post(f"/api/v1/delegations/{delegation.pk}/end/").status_code == 404
    response = client.post(f"/api/v1/delegations/{delegation.pk}/end/")
    assert response.status_code == 200
    assert response.json()["revoked_at"] is not None
    assert not delegation_is_active(delegate=deputy, principal=reviewer)


def test_list_query_count_is_the_same_at_1_and_50(client: APIClient, reviewer: User) -> None:
    delegation_create(principal=reviewer, delegate=UserFactory(), **_dates())
    with CaptureQueriesContext(connection) as one:
        assert len(client.get("/api/v1/delegations/").json()) == 1
    for _ in range(49):
        delegation_create(principal=reviewer, delegate=UserFactory(), **_dates())
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get("/api/v1/delegations/").json()) == 50
    assert len(fifty) == len(one)


def _dates() -> dict[str, datetime.date]:
    today = timezone.localdate()
    return {"start_date": today, "end_date": today + datetime.timedelta(days=5)}
