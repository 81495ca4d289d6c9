"""A request signed with an API token leaves no session behind (it used to create one per request)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from portal.accounts.models import Role
from portal.api.services import api_token_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_token_requests_create_no_session(db: Any) -> None:
    user = UserFactory(username="token-user", roles=[Role.VIEWER])
    _token, text = api_token_create(user=user, name="no-session", expires_in_days=None)
    client = Client(HTTP_AUTHORIZATION=f"Token {text}")

    for _ in range(3):
        response = client.get("/api/v1/activities/")
        assert response.status_code == 200
        assert "sessionid" not in response.cookies

    assert Session.objects.count() == 0


def test_a_signed_in_browser_still_has_its_activity_recorded(db: Any) -> None:
    client = Client()
    client.force_login(UserFactory(username="browser-user", roles=[Role.VIEWER]))

    assert client.get("/partners/").status_code == 200

    assert "portal_active_at" in client.session
