"""The user's own notifications through the API: list, unread count, mark read, preferences."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.notifications.models import Event, Notification, NotificationMode, NotificationPreference

pytestmark = pytest.mark.django_db


def _notify(
    user: User, partner, *, kind: str = "request.submitted", text: str = "IR-1 was submitted"
) -> Notification:
    event = Event.objects.create(
        kind=kind, target_type=ContentType.objects.get_for_model(partner), target_id=partner.pk
    )
    return Notification.objects.create(recipient=user, event=event, kind=kind, text=text, url="/requests/1/")


@pytest.fixture
def client(officer: User, api_client_for) -> APIClient:
    return api_client_for(officer)


def test_user_lists_only_their_own_notifications(
    client: APIClient, officer: User, reviewer: User, partner
) -> None:
    mine = _notify(officer, partner)
    _notify(reviewer, partner)
    rows = client.get("/api/v1/notifications/").json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert rows[0]["is_read"] is False


def test_filter_by_unread_and_kind(client: APIClient, officer: User, partner) -> None:
    read = _notify(officer, partner, kind="request.returned")
    unread = _notify(officer, partner)
    client.post(f"/api/v1/notifications/{read.pk}/read/")

    def ids(**params: str) -> list[int]:
        return [row["id"] for row in client.get("/api/v1/notifications/", params).json()["results"]]

    assert ids(unread="true") == [unread.pk]
    assert ids(unread="false") == [read.pk]
    assert ids(kind="request.returned") == [read.pk]


def test_mark_one_read_and_count(client: APIClient, officer: User, partner) -> None:
    first, _second = _notify(officer, partner), _notify(officer, partner)
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 2}
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True
    assert client.get("/api/v1/notifications/unread-count/").json() == {"unread": 1}


def test_cannot_mark_someone_elses_notification(client: APIClient, reviewer: User, partner) -> None:
    theirs = _notify(reviewer, partner)
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(client: APIClient, officer: User, reviewer: User, partner) -> None:
    _notify(officer, partner), _notify(officer, partner)
    other = _notify(reviewer, partner)
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 2}
    other.refresh_from_db()
    assert other.read_at is None


def test_preferences_read_and_set(client: APIClient, officer: User) -> None:
    rows = client.get("/api/v1/notifications/preferences/").json()
    assert {"kind": "request.returned", "mode": "immediately"}.items() <= next(
        row for row in rows if row["kind"] == "request.returned"
    ).items()
    response = client.put(
        "/api/v1/notifications/preferences/", {"modes": {"request.returned": "digest"}}, format="json"
    )
    assert response.status_code == 200
    assert (
        NotificationPreference.objects.get(user=officer, kind="request.returned").mode
        == NotificationMode.DIGEST
    )


def test_preferences_refuse_unknown_kinds_and_modes(client: APIClient, officer: User) -> None:
    response = client.put(
        "/api/v1/notifications/preferences/", {"modes": {"nonsense.kind": "off"}}, format="json"
    )
    assert response.status_code == 400
    assert "modes" in response.json()["error"]["fields"]
    response = client.put(
        "/api/v1/notifications/preferences/", {"modes": {"request.returned": "hourly"}}, format="json"
    )
    assert response.status_code == 400
    assert not NotificationPreference.objects.filter(user=officer).exists()


def test_notification_list_query_count_does_not_grow(client: APIClient, officer: User, partner) -> None:
    _notify(officer, partner)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/notifications/").status_code == 200
        return len(queries)

    one = count()
    for _ in range(49):
        _notify(officer, partner)
    assert count() == one
