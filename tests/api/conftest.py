"""API test fixtures: clients authenticated with a personal token for each named role."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.api.services import api_token_create

# The programme builder's fixtures (catalogue items needing the Council or not, a draft programme).
from tests.workprogrammes.programmes.conftest import council_item, draft, exempt_item  # noqa: F401

# The workflow's fixtures (a desk, its requester, requests in any status), shared with its own tests.
from tests.workprogrammes.requests.conftest import desk, make_request, requester  # noqa: F401


@pytest.fixture(autouse=True)
def _fresh_throttle_counts() -> None:
    # Throttle counters live in the cache, which outlives a test's database transaction.
    cache.clear()


def token_client(user: User, *, language: str | None = None) -> APIClient:
    """A client that authenticates as `user` with a fresh personal API token (and always sends `language`)."""
    _token, text = api_token_create(user=user, name="tests", expires_in_days=None, second_factor=True)
    client = APIClient()
    headers = {"HTTP_AUTHORIZATION": f"Token {text}"}
    if language:
        headers["HTTP_ACCEPT_LANGUAGE"] = language
    client.credentials(**headers)
    return client


@pytest.fixture
def api_client_for() -> Callable[..., APIClient]:
    return token_client


@pytest.fixture
def anonymous_client() -> APIClient:
    return APIClient()
