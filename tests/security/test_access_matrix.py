"""Role x route matrix: what every role gets on every route of the portal, pages and API, in ONE table.

The routes are walked from the URLconf: a route added later fails `test_every_route_is_in_the_table`
until it is listed here with its expected outcomes. Each row gives one letter per role, in this order:

    anonymous  viewer  officer  other_officer  reviewer  secretary  analyst  administrator

A allowed (2xx/3xx)    V passed the permission check, the empty input refused (400/409/...)
D denied (403)         N not found (404: another desk's record, above one's clearance, not one's own)
L sent to sign in (login redirect, or 401 from the API)    R redirected back with an error message
M method not allowed (405)

The officer's desk holds the partner JP and every record of tests/security/world.py; the other officer's
desk holds another partner. POSTs carry an empty body: a role allowed to act gets a validation error (or
a harmless action), the others a refusal. Every request runs in a savepoint that is rolled back.
The admin site (`admin:*`) has its own uniform rule: only staff, by Django's model permissions.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from portal.core.models import Marking
from tests.security.matrix import ERROR, LOGIN, outcome, request_as, walk
from tests.security.routes import BODIES, URLS
from tests.security.world import ROLES, World, build_world

# Notes on rows that may surprise:
# - the viewer is the officer's delegate today (tests/security/world.py): they draft requests, comment and
#   attach files as the officer may (requests:create, requests:comment, requests:attach and their API).
# - notifications:read (page) answers every role with a redirect, but marks only the user's own
#   notifications (a no-op for others); the API's read answers 404 for another's notification.
# - requests:act (GET) shows the confirmation page to whoever sees the request; the POST refuses (R).
# - requests:edit refuses with a message (R): the request is submitted, so nobody may edit it now.
# - security:otp-setup is open to every role: enrolling is voluntary where it is not required.
# - healthz/readyz are public (load balancers); calendar-feed needs the secret token in its URL.
# fmt: off
EXPECTED: dict[str, dict[str, str]] = {
    "home": {"GET": "LAAAAAAA"},
    "login": {"GET": "AAAAAAAA", "POST": "AAAAAAAA"},
    "logout": {"GET": "LMMMMMMM", "POST": "LLLLLLLL"},
    "set_language": {"GET": "MMMMMMMM", "POST": "AAAAAAAA"},
    "javascript-catalog": {"GET": "AAAAAAAA"},
    "security:otp-setup": {"GET": "LAAAAAAA", "POST": "LAAAAAAA"},
    "security:otp-verify": {"GET": "LAAAAAAA", "POST": "LAAAAAAA"},
    "partners:directory": {"GET": "LAAAAAAA"},
    "partners:profile": {"GET": "LAAAAAAA"},
    "partners:cooperation_edit": {"GET": "LDADDDDA", "POST": "LDVDDDDV"},
    "partners:history": {"GET": "LAAAAAAA"},
    "partners:outcomes": {"GET": "LAAAAAAA"},
    "partners:record_create": {"GET": "LDADDDDA", "POST": "LDVDDDDV"},
    "partners:record_edit": {"GET": "LDADDDDA", "POST": "LDVDDDDV"},
    "operations:list": {"GET": "LAAAAAAA"},
    "operations:detail": {"GET": "LAAAAAAA"},
    "programmes:list": {"GET": "LAAAAAAA"},
    "programmes:detail": {"GET": "LAAAAAAA"},
    "programmes:start": {"GET": "LDAADDDA", "POST": "LDVVDDDV"},
    "programmes:edit": {"GET": "LDADDDDA", "POST": "LDVDDDDV"},
    "programmes:catalogue_menu": {"GET": "LDADDDDA"},
    "programmes:activity_add": {"GET": "LDADDDDA", "POST": "LDVDDDDV"},
    "programmes:step": {"GET": "LDADDDDA", "POST": "LDVDDDDV"},
    "programmes:activity_detail": {"GET": "LAAAAAAA"},
    "programmes:activity_edit": {"GET": "LDADDDDA", "POST": "LDVDDDDV"},
    "programmes:activity_remove": {"GET": "LDADDDDA", "POST": "LDADDDDA"},
    "programmes:activity_step": {"GET": "LDADDDDA", "POST": "LDVDDDDV"},
    "programmes:catalogue_import": {"GET": "LDDDDDDA", "POST": "LDDDDDDV"},
    "programmes:catalogue_import_preview": {"GET": "LDDDDDDA", "POST": "LDDDDDDA"},
    "requests:list": {"GET": "LAAAAAAA"},
    "requests:create": {"GET": "LAAADDDD", "POST": "LVVVDDDD"},
    "requests:queue": {"GET": "LDDDAADA"},
    "requests:queue_bulk": {"GET": "LMMMMMMM", "POST": "LDDDRRDR"},
    "requests:attachment": {"GET": "LAANAAAA"},
    "requests:detail": {"GET": "LAANAAAA"},
    "requests:edit": {"GET": "LRRNRRRR", "POST": "LRRNRRRR"},
    "requests:act": {"GET": "LAANAAAA", "POST": "LRRNARRR"},
    "requests:comment": {"GET": "LMMMMMMM", "POST": "LVVNVVDV"},
    "requests:attach": {"GET": "LMMMMMMM", "POST": "LVVNVVDD"},
    "council:meetings": {"GET": "LDDDDADD", "POST": "LDDDDADD"},
    "council:meeting": {"GET": "LDDDDADD"},
    "council:agenda": {"GET": "LDDDDADD", "POST": "LDDDDADD"},
    "council:sheet": {"GET": "LDDDDADD", "POST": "LDDDDADD"},
    "council:silence": {"GET": "LDDDDADD", "POST": "LDDDDADD"},
    "council:silence_break": {"GET": "LDDDDADD", "POST": "LDDDDADD"},
    "council:print": {"GET": "LDDDDADD"},
    "council:item_move": {"GET": "LMMMMMMM", "POST": "LDDDDRDD"},
    "council:item_remove": {"GET": "LMMMMMMM", "POST": "LDDDDADD"},
    "notifications:list": {"GET": "LAAAAAAA"},
    "notifications:bell": {"GET": "LAAAAAAA"},
    "notifications:read": {"GET": "LMMMMMMM", "POST": "LAAAAAAA"},
    "notifications:read-all": {"GET": "LMMMMMMM", "POST": "LAAAAAAA"},
    "notifications:preferences": {"GET": "LAAAAAAA", "POST": "LAAAAAAA"},
    "notifications:delegation": {"GET": "LAAAAAAA", "POST": "LAAAAAAA"},
    "notifications:delegation-end": {"GET": "LMMMMMMM", "POST": "LAANNNNN"},
    "accounts:api-tokens": {"GET": "LAAAAAAA", "POST": "LAAAAAAA"},
    "accounts:api-token-revoke": {"GET": "LMMMMMMM", "POST": "LRARRRRR"},
    "reports:index": {"GET": "LDDDDDAA"},
    "reports:partner-pdf": {"GET": "LDDDDDAA"},
    "reports:programme-pdf-find": {"GET": "LDDDDDNN"},
    "reports:programme-pdf": {"GET": "LDDDDDAA"},
    "reports:job": {"GET": "LDDDDDAN"},
    "reports:job-progress": {"GET": "LDDDDDAN"},
    "reports:job-download": {"GET": "LDDDDDNN"},
    "reports:calendar": {"GET": "LAAAAAAA"},
    "reports:calendar-regenerate": {"GET": "LMMMMMMM", "POST": "LAAAAAAA"},
    "reports:report": {"GET": "LDDDDDAA"},
    "reports:export": {"GET": "LMMMMMMM", "POST": "LDDDDDVV"},
    "calendar-feed": {"GET": "AAAAAAAA"},
    "healthz": {"GET": "AAAAAAAA"},
    "readyz": {"GET": "AAAAAAAA"},
    "metrics": {"GET": "LDDDDDDA"},
    "api:root": {"GET": "LAAAAAAA"},
    "api:partner-list": {"GET": "LAAAAAAA"},
    "api:partner-detail": {"GET": "LAAAAAAA"},
    "api:region-list": {"GET": "LAAAAAAA"},
    "api:region-detail": {"GET": "LAAAAAAA"},
    "api:area-list": {"GET": "LAAAAAAA"},
    "api:area-detail": {"GET": "LAAAAAAA"},
    "api:framework-list": {"GET": "LAAAAAAA"},
    "api:framework-detail": {"GET": "LAAAAAAA"},
    "api:request-reassign": {"GET": "LMMMMMMM", "POST": "LDDNDDDV"},
    "api:request-bulk": {"GET": "LMMMMMMM", "POST": "LDDDVVDV"},
    "requests:reassign": {"GET": "LDDNDDDA", "POST": "LDDNDDDV"},
    "api:operation-list": {"GET": "LAAAAAAA"},
    "api:operation-detail": {"GET": "LAAAAAAA"},
    "api:contribution-list": {"GET": "LAAAAAAA"},
    "api:catalogue-item-list": {"GET": "LAAAAAAA"},
    "api:catalogue-item-detail": {"GET": "LAAAAAAA"},
    "api:programme-list": {"GET": "LAAAAAAA"},
    "api:programme-detail": {"GET": "LAAAAAAA"},
    "api:activity-list": {"GET": "LAAAAAAA"},
    "api:activity-detail": {"GET": "LAAAAAAA"},
    "api:request-list": {"GET": "LAAAAAAA", "POST": "LVVVVVVV"},
    "api:request-detail": {"GET": "LAANAAAA"},
    "api:request-revisions": {"GET": "LAANAAAA"},
    "api:request-comments": {"GET": "LAANAAAA", "POST": "LVVNVVDV"},
    "api:request-attachments": {"GET": "LAANAAAA", "POST": "LVVNVVDD"},
    "api:attachment-download": {"GET": "LAANAAAA"},
    "api:council-meeting-list": {"GET": "LDDDDADD", "POST": "LDDDDVDD"},
    "api:council-meeting-detail": {"GET": "LDDDDADD"},
    "api:council-agenda": {"GET": "LMMMMMMM", "POST": "LDDDDVDD"},
    "api:council-sheet": {"GET": "LMMMMMMM", "POST": "LDDDDVDD"},
    "api:council-silence": {"GET": "LMMMMMMM", "POST": "LDDDDVDD"},
    "api:council-break-silence": {"GET": "LMMMMMMM", "POST": "LDDDDVDD"},
    "api:council-agenda-candidates": {"GET": "LDDDDADD"},
    "api:notification-list": {"GET": "LAAAAAAA"},
    "api:notification-unread-count": {"GET": "LAAAAAAA"},
    "api:notification-read-all": {"GET": "LMMMMMMM", "POST": "LAAAAAAA"},
    "api:notification-preferences": {"GET": "LAAAAAAA"},
    "api:delegation-list": {"GET": "LAAAAAAA", "POST": "LVVVVVVV"},
    "api:delegation-end": {"GET": "LMMMMMMM", "POST": "LAANNNNN"},
    "api:notification-read": {"GET": "LMMMMMMM", "POST": "LNANNNNN"},
    "api-schema": {"GET": "LAAAAAAA"},
    "api-docs": {"GET": "LAAAAAAA"},
    "api-redoc": {"GET": "LAAAAAAA"},
    "api-unknown": {"GET": "LNNNNNNN", "POST": "LNNNNNNN"},
    # Workflow actions, sent here without If-Match: a role the workflow allows gets 428 (V) after its
    # permission and state checks; tests/api/test_requests_api.py takes each through with If-Match.
    "api:request-submit": {"GET": "LMMMMMMM", "POST": "LDVNDDDD"},
    "api:request-resubmit": {"GET": "LMMMMMMM", "POST": "LDVNDDDD"},
    "api:request-start-review": {"GET": "LMMMMMMM", "POST": "LDDNVDDD"},
    "api:request-return": {"GET": "LMMMMMMM", "POST": "LDDNVDDD"},
    "api:request-recommend": {"GET": "LMMMMMMM", "POST": "LDDNVDDD"},
    "api:request-not-recommend": {"GET": "LMMMMMMM", "POST": "LDDNVDDD"},
    "api:request-close-exempt": {"GET": "LMMMMMMM", "POST": "LDDNVDDD"},
    "api:request-send-to-council": {"GET": "LMMMMMMM", "POST": "LDDNVVDD"},
    "api:request-withdraw": {"GET": "LMMMMMMM", "POST": "LDVNDDDD"},
    "api:request-decision": {"GET": "LMMMMMMM", "POST": "LDDNDVDD"},
    "api:request-reschedule": {"GET": "LMMMMMMM", "POST": "LDDNDVDD"},
    # The API's programme builder, catalogue import, partner records, reports, exports, calendar feed.
    "api:catalogue-imports": {"GET": "LMMMMMMM", "POST": "LDDDDDDV"},
    "api:catalogue-import-detail": {"GET": "LDDDDDDA"},
    "api:catalogue-import-confirm": {"GET": "LMMMMMMM", "POST": "LDDDDDDA"},
    "api:catalogue-import-discard": {"GET": "LMMMMMMM", "POST": "LDDDDDDA"},
    "api:activity-cancel": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:activity-confirm": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:activity-hold": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:activity-outcome": {"GET": "LNNNNNNN", "POST": "LDVDDDDV"},
    "api:calendar-feed-regenerate": {"GET": "LMMMMMMM", "POST": "LAAAAAAA"},
    "api:calendar-feed-url": {"GET": "LAAAAAAA"},
    "api:export-detail": {"GET": "LDDDDDAN"},
    "api:export-download": {"GET": "LDDDDDNN"},
    "api:export-list": {"GET": "LDDDDDAA"},
    "api:partner-contributions": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:partner-contributions-detail": {"GET": "LMMMMMMM", "POST": "LMMMMMMM"},
    "api:partner-cooperation": {"GET": "LMMMMMMM", "POST": "LMMMMMMM"},
    "api:partner-dialogue-meetings": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:partner-dialogue-meetings-detail": {"GET": "LMMMMMMM", "POST": "LMMMMMMM"},
    "api:partner-history": {"GET": "LAAAAAAA"},
    "api:partner-liaison-arrangements": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:partner-liaison-arrangements-detail": {"GET": "LMMMMMMM", "POST": "LMMMMMMM"},
    "api:partner-milestones": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:partner-milestones-detail": {"GET": "LMMMMMMM", "POST": "LMMMMMMM"},
    "api:programme-activate": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:programme-activities": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:programme-agree": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:programme-amendments": {"GET": "LAAAAAAA"},
    "api:programme-close": {"GET": "LMMMMMMM", "POST": "LDVDDDDV"},
    "api:programme-coverage": {"GET": "LAAAAAAA"},
    "api:programme-propose": {"GET": "LMMMMMMM", "POST": "LDVDDDDD"},
    "api:programme-timeline": {"GET": "LAAAAAAA"},
    "api:report-export": {"GET": "LMMMMMMM", "POST": "LDDDDDVV"},
    "api:report-list": {"GET": "LDDDDDAA"},
    "api:report-rows": {"GET": "LDDDDDAA"},
}
# fmt: on


ADMIN_PREFIX = "admin:"
# Data islands (<script type="application/json">, from json_script) are never run, so the CSP allows them.
INLINE_CODE = re.compile(
    rb"<script(?![^>]*\b(?:src=|type=\"application/json\"))[^>]*>|<style\b|\sstyle=|\son[a-z]+=\"",
    re.IGNORECASE,
)
# Vendor pages whose fixed inline blocks are allowed by hash (portal/security/csp.py).
VENDOR_PAGES = {"api-docs", "api-redoc"}


@pytest.fixture(autouse=True)
def _queue_never_stuck_here(settings: Any) -> None:
    """The world's notifications are built once for the module and never sent: on a slow run the module
    outlasts QUEUE_STUCK_AFTER_SECONDS and /readyz would answer 503 for the backlog, not for access."""
    settings.QUEUE_STUCK_AFTER_SECONDS = 24 * 60 * 60


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """Built once for the module, in a transaction rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _clients(world: World, *, raise_request_exception: bool = True) -> dict[str, Client]:
    result = {}
    for role in ROLES:
        client = Client(raise_request_exception=raise_request_exception)
        user = world.users[role]
        if user is not None:
            client.force_login(user)
        result[role] = client
    return result


def observe(world: World, name: str, method: str, *, inline_code: list[str] | None = None) -> str:
    """The row of outcome letters for this route and method; pages with inline code go to `inline_code`."""
    clients = _clients(world)
    path = URLS[name](world)
    body = BODIES[name](world) if name in BODIES and method != "GET" else None
    letters = []
    for role in ROLES:
        response = request_as(clients[role], method, path, body)
        letters.append(outcome(response))
        if (
            inline_code is not None
            and response.status_code == 200
            and response.get("Content-Type", "").startswith("text/html")
            and name not in VENDOR_PAGES
            and INLINE_CODE.search(response.content)
        ):
            inline_code.append(f"{name} as {role}: {INLINE_CODE.search(response.content)}")
    return "".join(letters)


def _explain(expected: str, actual: str) -> str:
    return ", ".join(
        f"{role}: expected {want} got {got}"
        for role, want, got in zip(ROLES, expected, actual, strict=True)
        if want != got
    )


def test_every_route_is_in_the_table() -> None:
    """A route added to the URLconf fails here until its row is written (and one removed, until dropped)."""
    routes = {name for name in walk() if not name.startswith(ADMIN_PREFIX)}
    assert routes - set(EXPECTED) == set(), "routes missing from EXPECTED"
    assert set(EXPECTED) - routes == set(), "rows for routes that no longer exist"
    assert set(EXPECTED) <= set(URLS), "routes without a URL in tests/security/routes.py"
    for name, methods in EXPECTED.items():
        assert "GET" in methods, name
        for row in methods.values():
            assert len(row) == len(ROLES) and set(row) <= set("AVDNLRM"), name


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_role_gets_what_the_table_says(world: World, name: str) -> None:
    inline_code: list[str] = []
    mismatches = {}
    for method, expected in EXPECTED[name].items():
        actual = observe(world, name, method, inline_code=inline_code)
        assert ERROR not in actual, f"{method} {name}: a server error ({actual})"
        if actual != expected:
            mismatches[method] = _explain(expected, actual)
    assert mismatches == {}
    assert inline_code == [], "pages with inline script or style (the CSP blocks them)"


@pytest.mark.django_db
def test_every_other_method_is_refused_to_the_anonymous(world: World) -> None:
    """Methods not in the table (PUT, PATCH, DELETE) never reach a view for a visitor who is not signed in."""
    client = Client()
    for name in [name for name, methods in EXPECTED.items() if methods["GET"][0] == LOGIN]:
        path = URLS[name](world)
        for method in ("PUT", "PATCH", "DELETE"):
            letter = outcome(request_as(client, method, path))
            assert letter in (LOGIN, "M", "N"), f"{method} {name}: {letter}"


# --- The admin site ------------------------------------------------------------------------------------


VENDOR_ADMIN_PAGES_WITHOUT_404 = {"admin:otp_totp_totpdevice_config", "admin:otp_totp_totpdevice_qrcode"}


def _admin_samples() -> list[tuple[str, str]]:
    from tests.test_url_walk import ROUTES

    return [
        (route.name, route.sample)
        for route in ROUTES
        if route.name.startswith(ADMIN_PREFIX) or route.sample.startswith("/admin/")
    ]


@pytest.mark.django_db
def test_the_admin_site_is_for_staff_only(world: World) -> None:
    """Every admin route: non-staff roles go to the admin login; the administrator never gets a 5xx."""
    clients = _clients(world, raise_request_exception=False)
    samples = _admin_samples()
    assert len(samples) > 50
    wrong = []
    for name, sample in samples:
        if name in ("admin:login", "admin:logout"):  # the admin's own sign-in pages
            continue
        for role in ROLES:
            letter = outcome(request_as(clients[role], "GET", sample))
            # The walk's sample names object "x" (or 1), which some vendor admin views do not expect:
            # django-otp's device pages answer a missing device with a 500.
            lenient = "/x/" in sample or name in VENDOR_ADMIN_PAGES_WITHOUT_404
            expected_ok = (letter != ERROR or lenient) if role == "administrator" else letter == LOGIN
            if not expected_ok:
                wrong.append(f"{name} {sample} as {role}: {letter}")
    assert wrong == []


# The apps whose admin the administrator role works in (portal/accounts/services.py gives it their
# permissions); Django's groups and the Celery schedules stay with superusers.
PORTAL_ADMIN_APPS = ("accounts", "partners", "operations", "workprogrammes", "pghistory", "axes", "otp")


@pytest.mark.django_db
def test_the_administrator_opens_every_admin_list(world: World) -> None:
    client = _clients(world)["administrator"]
    lists = [
        sample
        for name, sample in _admin_samples()
        if name.endswith("_changelist") and name.split(":")[1].split("_")[0] in PORTAL_ADMIN_APPS
    ]
    assert len(lists) > 20
    refused = [sample for sample in lists if outcome(request_as(client, "GET", sample)) != "A"]
    assert refused == []


# --- Records above one's clearance ----------------------------------------------------------------------

# Object routes naming a record that carries a marking (the request, its attachment, the programme and
# its activity): nobody whose clearance is below the marking may learn that it exists.
MARKED_ROUTES = [
    name
    for name in EXPECTED
    if name.startswith(("requests:", "api:request-", "api:attachment", "programmes:", "api:programme-detail"))
    or name in ("api:activity-detail", "reports:programme-pdf")
]
MARKED_ROUTES = [
    name
    for name in MARKED_ROUTES
    if name
    not in (
        "requests:list",
        "requests:create",
        "requests:queue",
        "requests:queue_bulk",
        "api:request-list",
        "api:request-bulk",
        "programmes:list",
        "programmes:start",
        "programmes:catalogue_import",
        "programmes:catalogue_import_preview",
    )
]


@pytest.mark.django_db
def test_records_above_ones_clearance_are_not_found(world: World) -> None:
    for model_record in (world.programme, world.activity, world.request, world.attachment):
        type(model_record).objects.filter(pk=model_record.pk).update(marking=Marking.NATO_SECRET)
    assert all(user is None or user.clearance < Marking.NATO_SECRET for user in world.users.values())
    assert len(MARKED_ROUTES) > 20

    wrong = {}
    for name in MARKED_ROUTES:
        for method in EXPECTED[name]:
            actual = observe(world, name, method)
            unmarked = EXPECTED[name][method]
            # Signed-in roles: 404 (or 405 where the method does not exist, or 403 where the role is
            # refused the route whatever the record); visitors: the login.
            fine = actual[0] == LOGIN and all(
                got in ("N", "M") or (got == "D" and usual == "D")
                for got, usual in zip(actual[1:], unmarked[1:], strict=True)
            )
            if not fine:
                wrong[f"{method} {name}"] = actual
    assert wrong == {}


@pytest.mark.django_db
def test_another_desks_officer_never_sees_the_first_desks_requests(world: World) -> None:
    """IDOR: every route naming one of the first desk's requests answers 404 to the other desk's officer."""
    object_routes = [
        name for name in MARKED_ROUTES if name.startswith(("requests:", "api:request-", "api:attachment"))
    ]
    assert len(object_routes) > 15
    for name in object_routes:
        for method, row in EXPECTED[name].items():
            other_officer = row[ROLES.index("other_officer")]
            assert other_officer in ("N", "M"), f"{method} {name}: {other_officer}"


# --- Pages and API: one rule ------------------------------------------------------------------------

# A page and the API operation that shows or does the same thing. Both ask the same predicates
# (django-rules, the selectors' visibility), so their rows agree: same roles allowed, refused, not found.
SAME_RULE_GET = [
    ("partners:profile", "api:partner-detail"),
    ("partners:history", "api:partner-history"),
    ("operations:detail", "api:operation-detail"),
    ("programmes:detail", "api:programme-detail"),
    ("programmes:activity_detail", "api:activity-detail"),
    ("programmes:catalogue_import_preview", "api:catalogue-import-detail"),
    ("requests:list", "api:request-list"),
    ("requests:detail", "api:request-detail"),
    ("requests:attachment", "api:attachment-download"),
    ("council:meetings", "api:council-meeting-list"),
    ("council:meeting", "api:council-meeting-detail"),
    ("notifications:list", "api:notification-list"),
    ("notifications:delegation", "api:delegation-list"),
    ("reports:index", "api:report-list"),
    ("reports:report", "api:report-rows"),
    ("reports:job", "api:export-detail"),
    ("reports:job-download", "api:export-download"),
    ("reports:calendar", "api:calendar-feed-url"),
]
# Writes: the same roles are refused (a page may answer a valid empty form where the API says 400).
SAME_RULE_POST = [
    ("requests:comment", "api:request-comments"),
    ("requests:attach", "api:request-attachments"),
    ("programmes:catalogue_import", "api:catalogue-imports"),
]


def _refusals(row: str) -> str:
    return "".join(letter if letter in "DNL" else "." for letter in row)


@pytest.mark.parametrize(("page", "api"), SAME_RULE_GET, ids=lambda name: name)
def test_a_page_and_its_api_operation_let_in_the_same_roles(page: str, api: str) -> None:
    assert EXPECTED[page]["GET"] == EXPECTED[api]["GET"]


@pytest.mark.parametrize(("page", "api"), SAME_RULE_POST, ids=lambda name: name)
def test_a_page_and_its_api_operation_refuse_the_same_writers(page: str, api: str) -> None:
    assert _refusals(EXPECTED[page]["POST"]) == _refusals(EXPECTED[api]["POST"])
