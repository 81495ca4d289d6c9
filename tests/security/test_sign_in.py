"""Sign-in hardening: lockout after 5 failed attempts, strong passwords, two-factor for sensitive roles."""

from __future__ import annotations

import logging

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import Role
from tests.factories import UserFactory
from tests.security.otp import FACTORY_PASSWORD, force_login_password_only, totp_device, totp_token

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def _sign_in(client: Client, username: str, password: str, next_url: str = ""):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(LOGIN, data)


# --- Lockout (django-axes) ------------------------------------------------------------------------------


def test_the_fifth_wrong_password_locks_the_account_with_a_clear_message(caplog) -> None:
    UserFactory(username="victim", roles=[Role.VIEWER])
    client = Client()
    for attempt in range(4):
        response = _sign_in(client, "victim", "wrong password")
        assert response.status_code == 200
        assert (b"One attempt left" in response.content) == (attempt == 3)  # warned before the last

    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = _sign_in(client, "victim", "wrong password")

    assert response.status_code == 429
    text = response.content.decode()
    assert "locked after 5 failed sign-in attempts" in text
    assert "ask a portal administrator to unlock it" in text
    assert 'value="victim"' in text  # what the user typed is kept
    assert any("locked out" in record.getMessage() for record in caplog.records)
    assert AccessAttempt.objects.filter(username="victim", failures_since_start__gte=5).exists()


def test_a_locked_account_is_refused_even_with_the_right_password_until_unlocked() -> None:
    UserFactory(username="victim", roles=[Role.VIEWER])
    client = Client()
    for _attempt in range(5):
        _sign_in(client, "victim", "wrong password")

    assert _sign_in(client, "victim", FACTORY_PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session

    # The administrator's unlock in the admin: deleting the account's access attempts.
    AccessAttempt.objects.filter(username="victim").delete()
    response = _sign_in(client, "victim", FACTORY_PASSWORD)
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_wrong_passwords_for_made_up_usernames_do_not_lock_a_colleague_out() -> None:
    UserFactory(username="colleague", roles=[Role.VIEWER])
    shared_address = Client(REMOTE_ADDR="10.20.30.40")
    for number in range(6):
        assert _sign_in(shared_address, f"nobody-{number}", "wrong password").status_code == 200

    response = _sign_in(shared_address, "colleague", FACTORY_PASSWORD)

    assert response.status_code == 302
    assert "_auth_user_id" in shared_address.session


def test_wrong_passwords_from_one_address_do_not_lock_the_account_elsewhere() -> None:
    UserFactory(username="victim", roles=[Role.VIEWER])
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for _attempt in range(5):
        _sign_in(attacker, "victim", "wrong password")
    assert _sign_in(attacker, "victim", FACTORY_PASSWORD).status_code == 429

    at_their_desk = Client(REMOTE_ADDR="10.1.1.1")
    assert _sign_in(at_their_desk, "victim", FACTORY_PASSWORD).status_code == 302


def test_an_address_is_locked_after_its_own_higher_limit_whatever_the_usernames(settings) -> None:
    settings.AXES_ADDRESS_FAILURE_LIMIT = 8
    UserFactory(username="colleague", roles=[Role.VIEWER])
    guesser = Client(REMOTE_ADDR="198.51.100.4")
    responses = [_sign_in(guesser, f"guess-{number}", "wrong password") for number in range(8)]
    assert [response.status_code for response in responses] == [200] * 7 + [429]
    assert "One attempt left" in responses[6].content.decode()
    assert "network address" in responses[6].content.decode()

    locked = _sign_in(guesser, "colleague", FACTORY_PASSWORD)
    assert locked.status_code == 429
    assert "Sign-ins from your network address are paused after 8 failed attempts." in locked.content.decode()
    assert _sign_in(Client(REMOTE_ADDR="10.9.9.9"), "colleague", FACTORY_PASSWORD).status_code == 302


def test_the_user_is_warned_before_the_last_attempt_in_english_and_french() -> None:
    UserFactory(username="forgetful", roles=[Role.VIEWER])
    client = Client()
    texts = [_sign_in(client, "forgetful", "wrong password").content.decode() for _attempt in range(4)]
    assert not any("One attempt left" in text for text in texts[:3])
    assert (
        "One attempt left: after another wrong password, signing in to this account from here is locked "
        "for 30 minutes." in texts[3]
    )

    client_fr = Client(HTTP_ACCEPT_LANGUAGE="fr")
    UserFactory(username="distrait", roles=[Role.VIEWER])
    texts_fr = [_sign_in(client_fr, "distrait", "mauvais").content.decode() for _attempt in range(4)]
    assert "Dernière tentative" in texts_fr[3]
    assert "Dernière tentative" not in texts_fr[2]


def test_administrators_see_and_clear_access_attempts_in_the_admin(administrator) -> None:
    UserFactory(username="victim", roles=[Role.VIEWER])
    for _attempt in range(5):
        _sign_in(Client(), "victim", "wrong password")
    attempt = AccessAttempt.objects.get(username="victim")
    admin = Client()
    admin.force_login(administrator)

    listing = admin.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert b"victim" in listing.content

    response = admin.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "delete_selected", "_selected_action": [attempt.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="victim").exists()


def test_passwords_need_twelve_characters() -> None:
    with pytest.raises(ValidationError, match="at least 12 characters"):
        validate_password("Kx9#mQ2$vL7")  # 11
    validate_password("Kx9#mQ2$vL7!")  # 12


# --- Two-factor ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.COUNCIL_SECRETARY, Role.ADMINISTRATOR])
def test_sensitive_roles_enrol_an_authenticator_before_any_page(role: str) -> None:
    user = UserFactory(roles=[role])
    client = Client()
    response = _sign_in(client, user.username, FACTORY_PASSWORD, next_url="/partners/")
    assert response.status_code == 302

    page = client.get("/partners/")
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("security:otp-setup"))

    setup = client.get(page["Location"])
    assert setup.status_code == 200
    html = setup.content.decode()
    assert 'src="data:image/svg+xml;base64,' in html  # the QR code, drawn on the server
    device = TOTPDevice.objects.get(user=user, confirmed=False)

    wrong = client.post(setup.request["PATH_INFO"], {"token": "000000", "next": "/partners/"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()

    token = totp_token_for_device(device)
    done = client.post(setup.request["PATH_INFO"], {"token": token, "next": "/partners/"})
    assert done.status_code == 302
    assert done["Location"] == "/partners/"
    assert client.get("/partners/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def totp_token_for_device(device: TOTPDevice) -> str:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    token = totp_token(device.user)
    device.confirmed = False
    device.save(update_fields=["confirmed"])
    return token


def test_an_enrolled_reviewer_enters_a_code_after_the_password(reviewer) -> None:
    totp_device(reviewer)
    client = Client()
    _sign_in(client, reviewer.username, FACTORY_PASSWORD)
    key_after_password = client.session.session_key

    page = client.get("/requests/queue/")
    assert page.status_code == 302
    assert page["Location"].startswith(reverse("security:otp-verify"))

    verify = client.post(
        reverse("security:otp-verify"), {"token": totp_token(reviewer), "next": "/requests/queue/"}
    )
    assert verify.status_code == 302
    assert verify["Location"] == "/requests/queue/"
    assert client.session.session_key != key_after_password  # a new key once the second factor is in
    assert client.get("/requests/queue/").status_code == 200


def test_a_code_works_once(reviewer) -> None:
    totp_device(reviewer)
    token = totp_token(reviewer)
    first, second = Client(), Client()
    for client in (first, second):
        force_login_password_only(client, reviewer)

    assert first.post(reverse("security:otp-verify"), {"token": token}).status_code == 302
    replay = second.post(reverse("security:otp-verify"), {"token": token})
    assert replay.status_code == 400
    assert DEVICE_ID_SESSION_KEY not in second.session


def test_the_api_refuses_an_unverified_session_and_its_tokens_page_is_closed(secretary, caplog) -> None:
    totp_device(secretary)
    client = Client()
    force_login_password_only(client, secretary)

    with caplog.at_level(logging.WARNING, logger="portal.security"):
        response = client.get("/api/v1/partners/")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "two_factor_required"
    assert any("Access refused" in record.getMessage() for record in caplog.records)
    # API tokens are made on a page, which is reached only after the code.
    assert client.get(reverse("accounts:api-tokens")).status_code == 302


def test_roles_without_the_requirement_go_straight_in(viewer, officer, analyst) -> None:
    for user in (viewer, officer, analyst):
        client = Client()
        _sign_in(client, user.username, FACTORY_PASSWORD)
        assert client.get("/partners/").status_code == 200


def test_the_requirement_follows_the_setting(reviewer, settings) -> None:
    settings.OTP_REQUIRED_ROLES = []
    client = Client()
    _sign_in(client, reviewer.username, FACTORY_PASSWORD)
    assert client.get("/partners/").status_code == 200


def test_wrong_codes_are_throttled(reviewer) -> None:
    totp_device(reviewer)
    client = Client()
    force_login_password_only(client, reviewer)
    for _attempt in range(3):
        client.post(reverse("security:otp-verify"), {"token": "000000"})
    # Even the right code waits now: each wrong one doubles the delay.
    response = client.post(reverse("security:otp-verify"), {"token": totp_token(reviewer)})
    assert response.status_code == 400
    assert "Too many wrong codes" in response.content.decode()


def test_verify_ignores_a_next_address_on_another_site(reviewer) -> None:
    totp_device(reviewer)
    client = Client()
    force_login_password_only(client, reviewer)
    response = client.post(
        reverse("security:otp-verify"), {"token": totp_token(reviewer), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
