"""Machinery of the role x route matrix (tests/security/test_access_matrix.py): the routes of the URLconf,
the URL of each for the world's records, and how a response is read as an outcome."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.security.world import ROLES, World

# Outcome letters, one per role in ROLES order: anonymous, viewer, officer, other_officer, reviewer,
# secretary, analyst, administrator.
ALLOW = "A"  # 2xx/3xx: the page or action went through
VALIDATION = "V"  # 400/409/412/415/422: the permission check passed, the (empty) input was refused
DENY = "D"  # 403
NOT_FOUND = "N"  # 404: the record does not exist for this user (desk, marking, ownership)
LOGIN = "L"  # a redirect to the login page (pages) or 401 (API)
REFUSED = "R"  # a redirect back with an error message (pages whose refusals are messages)
METHOD = "M"  # 405
ERROR = "E"  # 5xx: never expected

ADMIN_LOGIN = "/admin/login/"


def walk(patterns: list[URLPattern | URLResolver] | None = None, namespace: str = "") -> list[str]:
    """Every named route of the URLconf, namespaced; unnamed routes by their regex."""
    names: list[str] = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            names.extend(walk(entry.url_patterns, inner))
        else:
            names.append(f"{namespace}{entry.name}" if entry.name else f"{namespace}{entry.pattern}")
    return names


def _error_message_added(response: HttpResponse) -> bool:
    storage = getattr(response.wsgi_request, "_messages", None)  # type: ignore[attr-defined]
    if storage is None:
        return False
    queued = list(getattr(storage, "_queued_messages", []))
    return any(message.level >= message_levels.ERROR for message in queued)


def outcome(response: HttpResponse) -> str:
    status = response.status_code
    if status >= 500:
        return ERROR
    if status == 401:
        return LOGIN
    if status == 403:
        return DENY
    if status == 404:
        return NOT_FOUND
    if status == 405:
        return METHOD
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response["Location"]).path
        if target in (str(resolve_url(settings.LOGIN_URL)), ADMIN_LOGIN):
            return LOGIN
        if _error_message_added(response):
            return REFUSED
        return ALLOW
    if 400 <= status < 500:
        return VALIDATION
    return ALLOW


def request_as(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> HttpResponse:
    """One request, in a savepoint rolled back afterwards, so that no request changes what the next sees."""
    with transaction.atomic():
        if method == "GET":
            response = client.get(url)
        elif url.startswith("/api/"):
            response = client.generic(method, url, json.dumps(body or {}), content_type="application/json")
        else:
            response = client.generic(method, url, "", content_type="application/x-www-form-urlencoded")
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)  # type: ignore[attr-defined]
        transaction.set_rollback(True)
    return response


def clients(world: World) -> dict[str, Client]:
    signed_in = {}
    for role in ROLES:
        client = Client()
        user = world.users[role]
        if user is not None:
            client.force_login(user)
        signed_in[role] = client
    return signed_in


UrlFor = Callable[[World], str]


def url(name: str, **kwargs: Callable[[World], Any]) -> UrlFor:
    """The route's URL with its arguments taken from the world's records."""

    def build(world: World) -> str:
        return reverse(name, kwargs={key: value(world) for key, value in kwargs.items()})

    return build


def with_query(build: UrlFor, query: Callable[[World], str]) -> UrlFor:
    return lambda world: f"{build(world)}?{query(world)}"
