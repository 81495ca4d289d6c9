"""Every route of the URLconf keeps anonymous visitors out.

The routes are found by walking the resolver, so a route added later is checked without anyone adding
it here. A sample URL is generated from each route's full regular expression (path converters
included), and an anonymous GET must be redirected to the login page or denied with 401/403.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from re import _constants as sre_constants  # the stdlib's regex parser, public as sre_parse before 3.11
from re import _parser as sre_parse
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve

# Routes an anonymous visitor may reach, by URL name. Keep this list minimal: adding to it makes a page
# public.
# "calendar-feed" answers 404 to anyone without the secret token in its URL (tests/reports/test_calendar.py).
# "javascript-catalog" is the translations of the portal's scripts, which the login page loads too.
# "healthz" and "readyz" are the load balancer's probes: status only (tests/deploy/test_health.py).
PUBLIC_ROUTE_NAMES = frozenset(
    {"login", "logout", "set_language", "javascript-catalog", "calendar-feed", "healthz", "readyz"}
)


@dataclass(frozen=True)
class Route:
    name: str  # namespaced URL name, or the regex when the route has none
    regex: str  # the full regular expression, from the root of the URLconf
    sample: str  # a path that matches the regex


def _strip_anchors(regex: str) -> str:
    regex = regex.removeprefix("^")
    for end in (r"\Z", "$"):
        regex = regex.removesuffix(end)
    return regex


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        regex = prefix + _strip_anchors(entry.pattern.regex.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, regex, inner)
        else:
            yield (f"{namespace}{entry.name}" if entry.name else regex), regex


# Characters tried, in order, where a route wants one character of a class: a digit satisfies [0-9] and
# \d (int converters), a letter \w, [^/] and [-a-zA-Z0-9_] (str and slug converters).
_CANDIDATE_CHARACTERS = "1xa-_0yZ"

_CATEGORIES = {
    sre_constants.CATEGORY_DIGIT: r"\d",
    sre_constants.CATEGORY_NOT_DIGIT: r"\D",
    sre_constants.CATEGORY_WORD: r"\w",
    sre_constants.CATEGORY_NOT_WORD: r"\W",
    sre_constants.CATEGORY_SPACE: r"\s",
    sre_constants.CATEGORY_NOT_SPACE: r"\S",
}


def _sample_for(parsed: sre_parse.SubPattern) -> str:
    """A short string matching a parsed regex: first branch, fewest repeats, plain characters."""
    out: list[str] = []
    for op, value in parsed:
        if op is sre_constants.LITERAL:
            out.append(chr(value))
        elif op is sre_constants.SUBPATTERN:
            out.append(_sample_for(value[-1]))
        elif op is sre_constants.BRANCH:
            out.append(_sample_for(value[1][0]))
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
            # The fewest repeats the route allows: optional parts are left out.
            low, _high, item = value
            out.append(_sample_for(item) * low)
        elif op is sre_constants.IN:
            out.append(_one_character(_class_regex(value)))
        elif op is sre_constants.NOT_LITERAL:
            out.append(_one_character(f"[^{re.escape(chr(value))}]"))
        elif op is sre_constants.CATEGORY:
            out.append(_one_character(_CATEGORIES[value]))
        elif op is sre_constants.ANY:
            out.append("x")
        elif op in (sre_constants.AT, sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            continue
        else:  # a construct no route used when this was written: extend the walker rather than skip
            raise AssertionError(f"URL walk cannot generate a sample for regex construct {op}")
    return "".join(out)


def _one_character(character_regex: str) -> str:
    for candidate in _CANDIDATE_CHARACTERS:
        if re.fullmatch(character_regex, candidate):
            return candidate
    for code in range(0x21, 0x7F):  # any other printable character the class admits
        if re.fullmatch(character_regex, chr(code)):
            return chr(code)
    raise AssertionError(f"URL walk cannot pick a character for {character_regex}")


def _class_regex(items: list[tuple[object, object]]) -> str:
    parts = []
    for op, value in items:
        if op is sre_constants.NEGATE:
            parts.append("^")
        elif op is sre_constants.LITERAL:
            parts.append(re.escape(chr(value)))  # type: ignore[arg-type]
        elif op is sre_constants.RANGE:
            low, high = value  # type: ignore[misc]
            parts.append(f"{re.escape(chr(low))}-{re.escape(chr(high))}")
        elif op is sre_constants.CATEGORY:
            parts.append(_CATEGORIES[value])  # type: ignore[index]
        else:
            raise AssertionError(f"URL walk cannot read character class item {op}")
    return "[" + "".join(parts) + "]"


def _routes() -> list[Route]:
    routes = []
    for name, regex in _walk(get_resolver().url_patterns):
        sample = "/" + _sample_for(sre_parse.parse(regex))
        routes.append(Route(name=name, regex=regex, sample=sample))
    return routes


ROUTES = _routes()


def _login_url() -> str:
    return str(resolve_url(settings.LOGIN_URL))


def test_the_walk_finds_the_portal_routes() -> None:
    """Guards the walker itself: it must see the top-level pages, the admin and the nested app routes."""
    names = {route.name for route in ROUTES}
    assert {"home", "login", "logout", "set_language", "admin:index", "partners:directory"} <= names
    assert len(ROUTES) > 20


@pytest.mark.parametrize("route", ROUTES, ids=lambda route: f"{route.name} {route.sample}")
def test_every_sample_path_resolves_to_its_route(route: Route) -> None:
    assert re.fullmatch(route.regex, route.sample.removeprefix("/")), route
    match = resolve(route.sample)  # raises Resolver404 if the sample reaches no view
    if ":" in route.name or route.name.isidentifier():
        assert match.view_name == route.name


@pytest.mark.django_db
@pytest.mark.parametrize(
    "route",
    [route for route in ROUTES if route.name not in PUBLIC_ROUTE_NAMES],
    ids=lambda route: f"{route.name} {route.sample}",
)
def test_anonymous_get_is_redirected_to_login_or_denied(route: Route) -> None:
    response = Client().get(route.sample)

    if response.status_code in (401, 403):
        return
    assert response.status_code == 302, (
        f"{route.sample} ({route.name}) answered {response.status_code} to an anonymous visitor"
    )
    location = urlsplit(response["Location"])
    assert location.path == _login_url(), f"{route.sample} redirects to {response['Location']}"
    assert location.query.startswith("next="), response["Location"]


@pytest.mark.django_db
def test_the_public_routes_are_only_the_sign_in_pages() -> None:
    """The allow-list names real routes, and the login page itself is open."""
    assert {route.name for route in ROUTES} >= PUBLIC_ROUTE_NAMES
    assert Client().get(_login_url()).status_code == 200
