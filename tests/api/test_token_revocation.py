"""API tokens obey the second-factor rule of their user's current roles, and are revoked when a role
that needs it is gained, a role is lost, the password changes, the authenticator such a role needs is
removed or the account is deactivated; the tokens
page says which and why. Deactivation revokes the calendar feed's secret URL too, for good."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from portal.accounts.models import Role, User
from portal.api.models import ApiToken, TokenRevocation
from portal.core.models import Marking
from portal.reports.models import CalendarFeed
from portal.reports.services import calendar_feed_regenerate
from portal.security.services import totp_device_enrol_with_key
from tests.api.workflow import if_match
from tests.factories import UserFactory
from tests.security.otp import FACTORY_PASSWORD, force_login_password_only

pytestmark = pytest.mark.django_db

TOKENS_URL = "/account/tokens/"
REQUESTS_URL = "/api/v1/requests/"


def _token_from_the_page(client: Client, name: str = "script") -> str:
    response = client.post(TOKENS_URL, {"name": name, "expires": "never"})
    assert response.status_code == 201
    return re.search(r'<code id="new-api-token"[^>]*>([^<]+)</code>', response.content.decode()).group(1)


def _api(text: str, language: str = "en") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}", HTTP_ACCEPT_LANGUAGE=language)
    return client


def _admin_change(admin: Client, user: User, **changes: Any) -> None:
    """Save the user's change form in the admin, as an administrator does, with these changes."""
    user.refresh_from_db()
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on" if user.is_active else "",
        "groups": list(user.groups.values_list("pk", flat=True)),
        "user_permissions": [],
        "preferred_language": user.preferred_language,
        "clearance": user.clearance,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "Desk_members-TOTAL_FORMS": "0",
        "Desk_members-INITIAL_FORMS": "0",
    }
    data.update(changes)
    data = {key: value for key, value in data.items() if value != ""}
    response = admin.post(reverse("admin:accounts_user_change", args=[user.pk]), data)
    errors = response.context["adminform"].form.errors if response.status_code == 200 else None
    assert response.status_code == 302, errors


def _group(role: str) -> int:
    return Group.objects.get_or_create(name=role)[0].pk


@pytest.fixture
def admin_page(administrator: User) -> Client:
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def analyst_page(db: None) -> tuple[User, Client]:
    """An analyst cleared for NATO SECRET, signed in with the password alone (the role needs no code)."""
    user = UserFactory(username="cleared-analyst", roles=[Role.ANALYST], clearance=Marking.NATO_SECRET)
    client = Client()
    force_login_password_only(client, user)
    return user, client


def test_a_token_made_without_a_second_factor_does_not_act_for_a_reviewer(analyst_page, make_request) -> None:
    """The outside test's finding: the role was granted outside the admin (a shell), so no revocation ran;
    the token still may not start a review nor read a NATO SECRET request."""
    user, page = analyst_page
    secret = make_request("submitted", marking=Marking.NATO_SECRET)
    api = _api(_token_from_the_page(page))
    assert api.get(f"{REQUESTS_URL}{secret.pk}/").status_code == 200  # an analyst reads every request

    user.groups.add(Group.objects.get_or_create(name=Role.REVIEWER)[0])

    read = api.get(f"{REQUESTS_URL}{secret.pk}/")
    assert read.status_code == 401
    assert "two-factor" in read.json()["error"]["message"]
    assert api.post(f"{REQUESTS_URL}{secret.pk}/start-review/", **if_match(secret)).status_code == 401
    secret.refresh_from_db()
    assert secret.status == "submitted"


def test_a_token_made_after_the_second_factor_acts_for_a_reviewer(reviewer: User, make_request) -> None:
    page = Client()
    page.force_login(reviewer)  # password and authenticator code (tests/conftest.py)
    submitted = make_request("submitted")
    api = _api(_token_from_the_page(page))
    assert ApiToken.objects.get(user=reviewer).second_factor is True
    assert api.post(f"{REQUESTS_URL}{submitted.pk}/start-review/", **if_match(submitted)).status_code == 200


def test_a_token_made_before_the_second_factor_is_refused_to_a_reviewer(reviewer: User) -> None:
    page = Client()
    force_login_password_only(page, reviewer)
    # The two-factor gate stands before the tokens page itself.
    assert page.post(TOKENS_URL, {"name": "x", "expires": "never"}).status_code == 302
    assert not ApiToken.objects.filter(user=reviewer).exists()


def test_gaining_a_role_that_needs_two_factor_revokes_tokens_and_the_page_says_why(
    analyst_page, admin_page: Client
) -> None:
    user, page = analyst_page
    api = _api(_token_from_the_page(page, "nightly report"))
    assert api.get("/api/v1/partners/").status_code == 200

    _admin_change(admin_page, user, groups=[_group(Role.ANALYST), _group(Role.REVIEWER)])

    token = ApiToken.objects.get(user=user)
    assert (token.revoked_reason, token.revoked_at is not None) == (TokenRevocation.ROLE_GAINED, True)
    refused = api.get("/api/v1/partners/")
    assert refused.status_code == 401
    assert "You were given a role that needs two-factor sign-in." in refused.json()["error"]["message"]
    page.force_login(user)  # now with the code, as the new role needs
    listing = page.get(TOKENS_URL).content.decode()
    assert "nightly report" in listing
    assert "You were given a role that needs two-factor sign-in." in listing
    page.post(reverse("set_language"), {"language": "fr"})
    listing_fr = page.get(TOKENS_URL).content.decode()
    assert "Révoqué par le portail le" in listing_fr
    assert "Un rôle exigeant la connexion en deux étapes vous a été attribué." in listing_fr
    assert "Retirer" in listing_fr


def test_gaining_a_role_that_needs_no_second_factor_keeps_tokens(analyst_page, admin_page: Client) -> None:
    user, page = analyst_page
    api = _api(_token_from_the_page(page))
    _admin_change(admin_page, user, groups=[_group(Role.ANALYST), _group(Role.VIEWER)])
    assert api.get("/api/v1/partners/").status_code == 200
    assert ApiToken.objects.get(user=user).revoked_at is None


def test_losing_a_role_revokes_tokens(analyst_page, admin_page: Client) -> None:
    user, page = analyst_page
    user.groups.add(Group.objects.get_or_create(name=Role.VIEWER)[0])
    api = _api(_token_from_the_page(page))

    _admin_change(admin_page, user, groups=[_group(Role.VIEWER)])

    assert api.get("/api/v1/partners/").status_code == 401
    assert ApiToken.objects.get(user=user).revoked_reason == TokenRevocation.ROLE_LOST
    assert "One of your roles was removed." in page.get(TOKENS_URL).content.decode()


def test_a_password_change_in_the_admin_revokes_tokens(analyst_page, admin_page: Client) -> None:
    user, page = analyst_page
    api = _api(_token_from_the_page(page))

    response = admin_page.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "a-new-long-passphrase-2027", "password2": "a-new-long-passphrase-2027"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-long-passphrase-2027")
    assert api.get("/api/v1/partners/").status_code == 401
    assert ApiToken.objects.get(user=user).revoked_reason == TokenRevocation.PASSWORD_CHANGED


def test_deactivation_revokes_tokens_and_the_calendar_feed_and_reactivation_restores_neither(
    analyst_page, admin_page: Client
) -> None:
    user, page = analyst_page
    api = _api(_token_from_the_page(page))
    feed_url = reverse("calendar-feed", args=[calendar_feed_regenerate(user=user).token])
    assert Client().get(feed_url).status_code == 200

    _admin_change(admin_page, user, is_active="")
    assert api.get("/api/v1/partners/").status_code == 401
    assert Client().get(feed_url).status_code == 404
    assert ApiToken.objects.get(user=user).revoked_reason == TokenRevocation.DEACTIVATED

    _admin_change(admin_page, user, is_active="on")
    user.refresh_from_db()
    assert user.is_active
    assert api.get("/api/v1/partners/").status_code == 401
    assert Client().get(feed_url).status_code == 404
    assert not CalendarFeed.objects.filter(user=user).exists()
    page.force_login(user)
    assert "Your account was deactivated." in page.get(TOKENS_URL).content.decode()


# --- A password change revokes tokens on every way of changing one -------------------------------

NEW_PASSWORD = "a-new-long-passphrase-2027"


def _assert_revoked_for_the_password(user: User, api: APIClient) -> None:
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    refused = api.get("/api/v1/partners/")
    assert refused.status_code == 401
    assert "Your password was changed." in refused.json()["error"]["message"]
    assert ApiToken.objects.get(user=user).revoked_reason == TokenRevocation.PASSWORD_CHANGED


def test_manage_py_changepassword_revokes_tokens(analyst_page, monkeypatch: pytest.MonkeyPatch) -> None:
    """Django's own command, which the portal does not write: the password's save revokes the tokens."""
    user, page = analyst_page
    api = _api(_token_from_the_page(page))
    monkeypatch.setattr("getpass.getpass", lambda prompt="": NEW_PASSWORD)

    call_command("changepassword", user.username, stdout=io.StringIO())

    _assert_revoked_for_the_password(user, api)


def test_an_administrators_own_password_change_in_the_admin_revokes_their_tokens(administrator: User) -> None:
    page = Client()
    page.force_login(administrator)  # with the authenticator code, as the role needs
    api = _api(_token_from_the_page(page))
    assert api.get("/api/v1/partners/").status_code == 200

    response = page.post(
        reverse("admin:password_change"),
        {"old_password": FACTORY_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    _assert_revoked_for_the_password(administrator, api)


def test_a_password_saved_outside_any_form_revokes_tokens_too(analyst_page) -> None:
    """A shell, a data fix: set_password and save, nothing else."""
    user, page = analyst_page
    api = _api(_token_from_the_page(page))

    account = User.objects.get(pk=user.pk)
    account.set_password(NEW_PASSWORD)
    account.save()

    _assert_revoked_for_the_password(user, api)


def test_disabling_the_password_in_the_admin_revokes_tokens(analyst_page, admin_page: Client) -> None:
    user, page = analyst_page
    api = _api(_token_from_the_page(page))

    response = admin_page.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"usable_password": "false", "unset-password": "1"},
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert api.get("/api/v1/partners/").status_code == 401
    assert ApiToken.objects.get(user=user).revoked_reason == TokenRevocation.PASSWORD_CHANGED


def test_saving_the_user_without_a_new_password_keeps_tokens(analyst_page) -> None:
    user, page = analyst_page
    api = _api(_token_from_the_page(page))
    account = User.objects.get(pk=user.pk)
    account.first_name = "Renamed"
    account.save()
    assert api.get("/api/v1/partners/").status_code == 200
    assert ApiToken.objects.get(user=user).revoked_at is None


def test_the_password_forms_say_a_new_password_revokes_tokens(analyst_page, admin_page: Client) -> None:
    user, _page = analyst_page
    form = admin_page.get(reverse("admin:auth_user_password_change", args=[user.pk])).content.decode()
    assert "A new password revokes the account&#x27;s API tokens." in form


# --- The tokens page says which changes revoke tokens -----------------------------------------------


def _revocation_rules(page: Client) -> str:
    """The tokens page's paragraph on what revokes tokens, its white space folded."""
    html = page.get(TOKENS_URL).content.decode()
    found = re.search(r'<p id="token-revocation-rules">(.*?)</p>', html, re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def test_the_tokens_page_says_which_changes_revoke_tokens_in_both_languages(analyst_page) -> None:
    _user, page = analyst_page
    english = _revocation_rules(page)
    for words in (
        "a role that needs two-factor sign-in",
        "one of your roles is removed",
        "your password is changed",
        "your authenticator is removed while one of your roles needs it",
        "your account is deactivated",
        "reactivating the account brings none of them back",
    ):
        assert words in english, english
    page.post(reverse("set_language"), {"language": "fr"})
    french = _revocation_rules(page)
    for words in ("connexion en deux étapes", "mot de passe", "application d’authentification est supprimée"):
        assert words in french, french


def test_removing_a_reviewers_authenticator_in_the_admin_revokes_their_tokens(
    reviewer: User, admin_page: Client, make_request
) -> None:
    """A lost phone: the administrator deletes the reviewer's authenticator. The reviewer no longer meets
    the second-factor rule of their role, so the tokens made with it stop; a new authenticator does not
    bring them back."""
    page = Client()
    page.force_login(reviewer)  # password and authenticator code (tests/conftest.py)
    api = _api(_token_from_the_page(page, "queue export"))
    assert api.get("/api/v1/partners/").status_code == 200
    device = TOTPDevice.objects.get(user=reviewer, confirmed=True)

    response = admin_page.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})

    assert response.status_code == 302
    token = ApiToken.objects.get(user=reviewer)
    assert token.revoked_reason == TokenRevocation.AUTHENTICATOR_REMOVED
    refused = api.get("/api/v1/partners/")
    assert refused.status_code == 401
    assert "Your authenticator was removed" in refused.json()["error"]["message"]
    totp_device_enrol_with_key(user=reviewer)
    assert api.get("/api/v1/partners/").status_code == 401


def test_replacing_an_authenticator_or_removing_one_a_role_does_not_need_keeps_tokens(
    reviewer: User, analyst_page
) -> None:
    page = Client()
    page.force_login(reviewer)
    reviewer_api = _api(_token_from_the_page(page))
    analyst, analyst_page_client = analyst_page
    analyst_api = _api(_token_from_the_page(analyst_page_client))
    totp_device_enrol_with_key(user=analyst)

    totp_device_enrol_with_key(user=reviewer)  # a new phone: the old authenticator goes, a new one stays
    TOTPDevice.objects.filter(user=analyst).delete()  # an analyst's role needs none

    assert reviewer_api.get("/api/v1/partners/").status_code == 200
    assert analyst_api.get("/api/v1/partners/").status_code == 200
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
