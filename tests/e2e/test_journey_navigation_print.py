"""Journeys through the header's menus (each role sees only what opens for it) and a printed profile.

The menus: every demo user signs in in a browser, follows each link of their menus, and lands on a page
(never a refusal); a reviewer sees no menu and no unread count on the code page before entering the
code. The printout: a partner's profile printed to PDF carries its marking at the top and bottom of
every page and none of the editing buttons or links.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.security.selectors import two_factor_required

from .conftest import SHOTS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

DEMO_USERS = ("viewer", "officer", "reviewer", "secretary", "analyst", "admin")
MENU_LINKS = ".usa-nav__primary a.usa-nav-link, a.portal-user__link"


@pytest.mark.parametrize("username", DEMO_USERS)
def test_every_menu_link_opens_a_page_for_each_demo_user(visit, username: str) -> None:
    visitor = visit(username)
    page = visitor.page
    visitor.goto("/")
    links = page.eval_on_selector_all(MENU_LINKS, "links => links.map(a => a.getAttribute('href'))")
    assert "/partners/" in links
    if username == "viewer":
        assert "/council/" not in links and "/requests/" not in links
    for link in links:
        response = page.goto(visitor.url(link))
        assert response is not None and response.status == 200, (
            f"{username}: {link} answered {response.status}"
        )
    visitor.check(f"{username}-menu")


def test_no_menu_or_unread_count_before_the_second_factor(visit) -> None:
    visitor = visit("reviewer", sign_in=False)
    assert two_factor_required(user=visitor.user)
    page = visitor.page
    visitor.goto("/accounts/login/")
    page.fill("#id_username", "reviewer")
    page.fill("#id_password", "portal-demo-2026")
    page.keyboard.press("Enter")
    page.wait_for_url("**/account/two-factor/verify/**")
    expect(page.locator(".usa-nav__primary")).to_have_count(0)
    expect(page.locator("#notification-bell")).to_have_count(0)
    expect(page.locator(".portal-user__roles")).to_have_count(0)
    visitor.check("code-page-without-menus")


def test_a_printed_profile_repeats_its_marking_on_every_page_without_editing_buttons(visit) -> None:
    visitor = visit("officer")
    visitor.goto("/partners/JP/")
    expect(visitor.page.get_by_role("link", name="Add a milestone")).to_be_visible()
    folder = SHOTS / "print"
    folder.mkdir(parents=True, exist_ok=True)
    pdf = folder / "partner-japan.pdf"
    visitor.page.pdf(path=str(pdf), format="A4")
    pages = _pdf_pages(pdf)
    assert len(pages) >= 2, "the profile should print on several pages"
    for number, text in enumerate(pages, start=1):
        assert text.count("NATO UNCLASSIFIED") >= 2, f"page {number} lacks its top or bottom marking"
        for editing in ("Add a milestone", "Add a contribution", "Change areas", "Print"):
            assert editing not in text, f"page {number} prints {editing!r}"


def _pdf_pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True)
    return [page for page in text.stdout.split("\f") if page.strip()]
