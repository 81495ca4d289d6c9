"""The account page where a user creates, lists and revokes their personal API tokens."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.api.models import ApiToken
from portal.api.services import api_token_create

pytestmark = pytest.mark.django_db

TOKENS_URL = "/account/tokens/"


@pytest.fixture
def viewer_page(viewer: User) -> Client:
    client = Client()
    client.force_login(viewer)
    return client


def test_tokens_page_requires_login() -> None:
    response = Client().get(TOKENS_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_created_token_is_shown_once_and_works_on_the_api(viewer_page: Client, viewer: User) -> None:
    response = viewer_page.post(TOKENS_URL, {"name": "reporting script", "expires": "90"})
    assert response.status_code == 201
    text = re.search(r'<code id="new-api-token"[^>]*>([^<]+)</code>', response.content.decode()).group(1)
    token = ApiToken.objects.get(user=viewer)
    assert token.name == "reporting script"
    assert token.expiry is not None
    assert text not in token.digest  # only the digest is stored

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    assert client.get("/api/v1/partners/").status_code == 200

    listing = viewer_page.get(TOKENS_URL)
    assert "reporting script" in listing.content.decode()
    assert text not in listing.content.decode()


def test_token_without_expiry(viewer_page: Client, viewer: User) -> None:
    viewer_page.post(TOKENS_URL, {"name": "nightly sync", "expires": "never"})
    assert ApiToken.objects.get(user=viewer).expiry is None


def test_form_error_keeps_what_was_typed(viewer_page: Client, viewer: User) -> None:
    response = viewer_page.post(TOKENS_URL, {"name": "   ", "expires": "365"})
    assert response.status_code == 200
    assert "usa-error-message" in response.content.decode()
    assert not ApiToken.objects.filter(user=viewer).exists()
    response = viewer_page.post(TOKENS_URL, {"name": "kept name", "expires": "forever"})
    assert 'value="kept name"' in response.content.decode()
    assert not ApiToken.objects.filter(user=viewer).exists()


def test_user_sees_only_their_own_tokens(viewer_page: Client, analyst: User) -> None:
    api_token_create(user=analyst, name="analyst secret job", expires_in_days=None)
    assert "analyst secret job" not in viewer_page.get(TOKENS_URL).content.decode()


def test_revoking_a_token_stops_it_at_once(viewer_page: Client, viewer: User) -> None:
    token, text = api_token_create(user=viewer, name="old script", expires_in_days=None)
    response = viewer_page.post(reverse("accounts:api-token-revoke", args=[token.digest]), follow=True)
    assert "The token was revoked." in response.content.decode()
    assert not ApiToken.objects.filter(user=viewer).exists()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    assert client.get("/api/v1/partners/").status_code == 401


def test_cannot_revoke_someone_elses_token(viewer_page: Client, analyst: User) -> None:
    token, _text = api_token_create(user=analyst, name="analyst job", expires_in_days=None)
    response = viewer_page.post(reverse("accounts:api-token-revoke", args=[token.digest]), follow=True)
    assert "does not exist" in response.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_revoke_needs_post(viewer_page: Client, viewer: User) -> None:
    token, _text = api_token_create(user=viewer, name="script", expires_in_days=None)
    assert viewer_page.get(reverse("accounts:api-token-revoke", args=[token.digest])).status_code == 405
    assert ApiToken.objects.filter(pk=token.pk).exists()
