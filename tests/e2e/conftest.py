"""End-to-end journeys in headless Chromium (Debian's /usr/bin/chromium) against a live server.

Each journey runs on the real PostgreSQL test database, filled by `load_demo` (the source text's facts and
one user per role), through pytest-django's `live_server`. Every user signs in in a browser context of
their own, by keyboard, with the second factor where their role needs it. Every page a journey visits is
checked with axe-core (the copy bundled in axe-playwright-python: no network) and photographed under
test-output/e2e/<journey>/.
"""

from __future__ import annotations

import datetime
import io
import os
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from portal.accounts.models import User
from portal.ops.db_roles import as_owner
from portal.security.selectors import two_factor_required
from tests.security.otp import totp_device, totp_token

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DEMO_PASSWORD = "portal-demo-2026"
SHOTS = Path(settings.BASE_DIR) / "test-output" / "e2e"
# axe impacts that fail a journey (WCAG 2.2 AA and best practices tagged serious or critical).
BLOCKING_IMPACTS = frozenset({"serious", "critical"})
AXE_OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
}

_axe = Axe()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API runs an event loop in this thread, and Django's ORM then refuses to run in
    # it (the journeys read and write the database between browser steps): allowed while a browser runs.
    # Per module, so that the loop and the permission end with the journeys, before other tests run.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# The demo data as `load_demo` left it in this process's test database: (table, COPY text) of every
# table it filled. The first journey loads it; the others copy it back in (a second instead of a minute).
_demo_rows: list[tuple[str, bytes]] = []


def _demo_snapshot() -> None:
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            buffer = io.BytesIO()
            cursor.cursor.copy_expert(f'COPY "{table}" TO STDOUT', buffer)
            if buffer.tell():
                _demo_rows.append((table, buffer.getvalue()))


def _demo_restore() -> None:
    """Back into the tables the last journey's flush emptied, as their owner, in one transaction: the
    tables' own triggers (history, protection) stay off while the rows go in, as they were when first
    written; foreign keys are checked once every table is in (Django declares them deferrable)."""
    with as_owner(), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        # What the flush's post_migrate wrote again (content types, permissions) makes way for the copy.
        cursor.execute("TRUNCATE " + ", ".join(f'"{table}"' for table, _rows in _demo_rows) + " CASCADE")
        for table, _rows in _demo_rows:
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        for table, rows in _demo_rows:
            cursor.cursor.copy_expert(f'COPY "{table}" FROM STDIN', io.BytesIO(rows))
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # foreign keys checked before the triggers return
        for table, _rows in _demo_rows:
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')
    ContentType.objects.clear_cache()


@pytest.fixture
def demo_db(transactional_db: None, live_server: Any) -> None:
    """The demo data set, committed, so the live server's thread sees it.

    knox's migrations create `knox_authtoken` although the portal swaps that model out (KNOX_TOKEN_MODEL):
    Django's flush then leaves it out and PostgreSQL refuses to truncate the users it refers to.
    """
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS knox_authtoken")
    if _demo_rows:
        _demo_restore()
        return
    call_command("load_demo", verbosity=0)
    _demo_snapshot()


@dataclass
class Visitor:
    """One signed-in person: their browser context and page, and what their journey recorded."""

    user: User
    context: BrowserContext
    page: Page
    journey: str
    base_url: str
    shots: list[Path] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def goto(self, path: str) -> None:
        self.page.goto(self.url(path))

    def check(self, name: str) -> None:
        """axe on the page as it is now (no serious or critical violation), then a screenshot."""
        self.page.wait_for_load_state("networkidle")
        results = _axe.run(self.page, options=AXE_OPTIONS)
        blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
        self.screenshot(name)
        self.checked.append(self.page.url)
        assert not blocking, f"{name} ({self.page.url}): " + "; ".join(
            f"{v['id']} ({v['impact']}): {v['help']} – "
            + ", ".join(str(node["target"]) for node in v["nodes"][:5])
            for v in blocking
        )

    def screenshot(self, name: str) -> Path:
        folder = SHOTS / self.journey
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{len(self.shots) + 1:02d}-{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')}.png"
        self.page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)
        return path

    def press(self, key: str, times: int = 1) -> None:
        for _ in range(times):
            self.page.keyboard.press(key)

    def tab_to(self, selector: str, limit: int = 80) -> None:
        """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
        target = self.page.locator(selector).first
        expect(target).to_be_visible()
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            if target.evaluate("element => element === document.activeElement"):
                return
        raise AssertionError(f"Tab never reached {selector} on {self.page.url}")

    def type_date(self, field_id: str, day: datetime.date) -> None:
        """A date in the portal's date input (day, month, year boxes), by keyboard: Tab to the day box,
        type, Tab to the month, type, Tab to the year, type."""
        for index, part in enumerate((day.day, day.month, day.year)):
            self.tab_to(f"#{field_id}_{index}")
            self.page.keyboard.type(str(part))

    def expect_date(self, field_id: str, day: datetime.date) -> None:
        """The date input shows this date (day, month and year in their boxes)."""
        for index, part in enumerate((day.day, day.month, day.year)):
            expect(self.page.locator(f"#{field_id}_{index}")).to_have_value(str(part))

    def focused_outline(self) -> str:
        """The computed outline of the focused element: keyboard focus must be visible."""
        return str(
            self.page.evaluate(
                "() => { const s = getComputedStyle(document.activeElement);"
                " return s.outlineStyle + ' ' + s.outlineWidth; }"
            )
        )


def keyboard_sign_in(visitor: Visitor, password: str = DEMO_PASSWORD) -> None:
    """The login page by keyboard: Tab to the username, type, Tab to the password, type, Enter."""
    page = visitor.page
    visitor.goto("/accounts/login/")
    visitor.tab_to("#id_username")
    page.keyboard.type(visitor.user.get_username())
    visitor.tab_to("#id_password")
    page.keyboard.type(password)
    page.keyboard.press("Enter")
    if two_factor_required(user=visitor.user):
        page.wait_for_url("**/account/two-factor/verify/**")
        page.locator("#id_token").focus()
        page.keyboard.type(totp_token(visitor.user))
        page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/accounts/login/" not in url and "/two-factor/" not in url)


def switch_language(visitor: Visitor, language: str) -> None:
    """The header's language switch, by keyboard, unless the page is in that language already."""
    page = visitor.page
    if page.locator("html").get_attribute("lang") == language:
        return
    visitor.tab_to(f".portal-language button[value='{language}']")
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", language)


@pytest.fixture
def visit(
    demo_db: None, browser: Browser, live_server: Any, request: pytest.FixtureRequest
) -> Iterator[Callable[..., Visitor]]:
    """`visit("officer")`: a new browser context for that demo user, signed in by keyboard."""
    contexts: list[BrowserContext] = []
    journey = request.node.name.removeprefix("test_")

    def open_as(username: str, *, language: str = "en", sign_in: bool = True) -> Visitor:
        user = User.objects.get(username=username)
        if two_factor_required(user=user):
            totp_device(user)
        context = browser.new_context(
            viewport={"width": 1280, "height": 900},
            locale="fr-FR" if language == "fr" else "en-GB",
            accept_downloads=True,
        )
        # Generous: the machine running the suite may be busy with other work.
        context.set_default_timeout(30_000)
        context.set_default_navigation_timeout(60_000)
        contexts.append(context)
        page = context.new_page()
        visitor = Visitor(
            user=user, context=context, page=page, journey=f"{journey}/{username}", base_url=live_server.url
        )
        # This run's screenshots only.
        shutil.rmtree(SHOTS / visitor.journey, ignore_errors=True)
        if sign_in:
            keyboard_sign_in(visitor)
            switch_language(visitor, language)
        return visitor

    yield open_as
    for context in contexts:
        context.close()
