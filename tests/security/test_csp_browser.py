"""In a real browser (headless Chromium), the portal's pages run under the Content Security Policy without
a single violation: no inline script or style of ours, none injected by the libraries we serve (USWDS,
htmx, Chart.js), and the admin and API docs within their per-page allowances."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page, sync_playwright

from tests.security.otp import FACTORY_PASSWORD, totp_device, totp_token
from tests.security.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
# Records every violation the browser reports, from the first script on.
LISTEN = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"], headless=True
        )
        yield browser
        browser.close()


@pytest.fixture
def world(transactional_db: None, live_server: Any) -> World:
    return build_world()


def _signed_in_page(browser: Browser, base: str, user: Any) -> Page:
    context = browser.new_context()
    context.add_init_script(LISTEN)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.messages = messages  # type: ignore[attr-defined]
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", FACTORY_PASSWORD)
    page.click("form[action$='/accounts/login/'] input[type=submit]")
    if "/two-factor/verify/" in page.url:
        page.fill("#id_token", totp_token(user))
        page.click("form:has(#id_token) button[type=submit]")
    return page


def _violations(page: Page) -> list[str]:
    found = list(page.evaluate("window.__cspViolations || []"))
    found += [text for text in page.messages if "Content Security Policy" in text]  # type: ignore[attr-defined]
    return found


def test_pages_run_without_a_policy_violation(browser: Browser, live_server: Any, world: World) -> None:
    base = live_server.url
    totp_device(world.users["administrator"])
    visits = {
        "viewer": [
            "/",
            "/partners/",
            f"/partners/{world.partner.iso_code}/",
            "/operations/",
            "/programmes/",
            f"/programmes/{world.programme.pk}/",
            f"/requests/{world.request.reference}/",
            "/notifications/",
            reverse("security:otp-setup"),
            "/api/docs/",
        ],
        "administrator": [
            "/",
            "/reports/",
            "/admin/",
            "/admin/partners/partner/",
            f"/admin/partners/partner/{world.partner.pk}/change/",
            "/admin/axes/accessattempt/",
        ],
    }
    found = {}
    for role, paths in visits.items():
        page = _signed_in_page(browser, base, world.users[role])
        # The listener works: an inline script, as an attacker's injected markup would be, is reported.
        page.goto(f"{base}/partners/")
        page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"window.ran=1\">')")
        page.wait_for_timeout(300)
        assert _violations(page), "the browser reported no violation for an inline event handler"
        assert page.evaluate("window.ran === undefined")
        page.evaluate("window.__cspViolations = []")
        page.messages.clear()  # type: ignore[attr-defined]
        for path in paths:
            page.goto(f"{base}{path}")
            page.wait_for_load_state("load")
            assert page.url.startswith(f"{base}{path.split('?')[0]}") or path == reverse(
                "security:otp-setup"
            ), page.url
            violations = _violations(page)
            if violations:
                found[f"{role} {path}"] = violations
            page.evaluate("window.__cspViolations = []")
            page.messages.clear()  # type: ignore[attr-defined]
        page.context.close()
    assert found == {}
