"""Sessions: a new key at sign-in, ended after 30 idle minutes or 12 hours, and with the account."""

from __future__ import annotations

import logging
import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.services import user_deactivate
from portal.api.services import api_token_create
from portal.security.middleware import ACTIVE_AT, SIGNED_IN_AT
from tests.security.otp import FACTORY_PASSWORD

pytestmark = pytest.mark.django_db


def _age(client: Client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_signing_in_gives_a_new_session_key(viewer) -> None:
    client = Client()
    client.get("/accounts/login/")
    session = client.session
    session["anonymous"] = True
    session.save()
    before = session.session_key

    client.post("/accounts/login/", {"username": viewer.username, "password": FACTORY_PASSWORD})

    assert client.session.session_key != before
    assert client.session[SIGNED_IN_AT] == client.session[ACTIVE_AT] >= int(time.time()) - 5


def test_thirty_minutes_idle_ends_the_session(viewer, settings) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client = Client()
    client.force_login(viewer)
    assert client.get("/partners/").status_code == 200

    _age(client, ACTIVE_AT, 29 * 60)
    response = client.get("/partners/")
    assert response.status_code == 200  # activity pushes the limit back, in the cookie too
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    _age(client, ACTIVE_AT, 30 * 60 + 1)
    response = client.get("/partners/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_bell_poll_does_not_count_as_activity(viewer) -> None:
    client = Client()
    client.force_login(viewer)
    client.get("/partners/")
    _age(client, ACTIVE_AT, 20 * 60)
    stamp = client.session[ACTIVE_AT]

    assert client.get(reverse("notifications:bell")).status_code == 200
    assert client.session[ACTIVE_AT] == stamp


def test_twelve_hours_after_signing_in_the_session_ends_even_if_active(viewer) -> None:
    client = Client()
    client.force_login(viewer)
    client.get("/partners/")
    _age(client, SIGNED_IN_AT, 12 * 60 * 60 + 1)
    response = client.get("/partners/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_deactivating_a_user_ends_every_session_and_revokes_tokens(officer, viewer, caplog) -> None:
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(officer)
        assert browser.get("/partners/").status_code == 200
    bystander = Client()
    bystander.force_login(viewer)
    _token, text = api_token_create(user=officer, name="script", expires_in_days=None)
    api = Client(HTTP_AUTHORIZATION=f"Token {text}")
    assert api.get("/api/v1/partners/").status_code == 200

    with caplog.at_level(logging.WARNING, logger="portal.security"):
        user_deactivate(user=officer)

    assert f"User deactivated user={officer.pk} sessions_ended=2 tokens_revoked=1" in caplog.text
    for browser in browsers:
        assert browser.get("/partners/").status_code == 302
    assert api.get("/api/v1/partners/").status_code == 401
    assert bystander.get("/partners/").status_code == 200
    officer.refresh_from_db()
    assert not officer.is_active


def test_the_admin_action_deactivates(administrator, officer) -> None:
    browser = Client()
    browser.force_login(officer)
    admin = Client()
    admin.force_login(administrator)

    response = admin.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "deactivate_users", "_selected_action": [officer.pk]},
    )

    assert response.status_code == 302
    officer.refresh_from_db()
    assert not officer.is_active
    assert browser.get("/partners/").status_code == 302


def test_the_session_is_written_at_most_once_a_minute_by_requests(viewer, settings) -> None:
    assert settings.SESSION_ACTIVITY_RESOLUTION_SECONDS == 60
    client = Client()
    client.force_login(viewer)
    client.get("/partners/")
    stamp = client.session[ACTIVE_AT]

    with CaptureQueriesContext(connection) as queries:
        client.get("/partners/")
    assert not [
        q for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "django_session" in q["sql"]
    ]
    assert client.session[ACTIVE_AT] == stamp

    _age(client, ACTIVE_AT, 61)
    response = client.get("/partners/")
    assert client.session[ACTIVE_AT] >= int(time.time()) - 1
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
