"""Journey 1: a member of staff finds Japan in the directory and reads its profile."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_finds_japan_and_reads_its_dialogue_and_contributions(visit) -> None:
    staff = visit("viewer")
    page = staff.page
    staff.check("home")

    # The main navigation by keyboard: Tab to "Partners", Enter.
    staff.tab_to("nav.usa-nav a[href='/partners/']")
    assert staff.focused_outline().split()[0] != "none", "keyboard focus is not visible"
    page.keyboard.press("Enter")
    page.wait_for_url("**/partners/")
    staff.check("directory")

    # Search by name: type into the search field and submit with Enter.
    staff.tab_to("#partner-q")
    page.keyboard.type("Japan")
    page.keyboard.press("Enter")
    results = page.locator("#partner-results tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Japan")
    staff.check("directory-search-japan")

    # Open the profile from the result row, by keyboard.
    staff.tab_to("#partner-results a[href='/partners/JP/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/partners/JP/")
    expect(page.locator("h1")).to_contain_text("Japan")
    overview = page.locator("#overview")
    expect(overview.locator("dt", has_text="Political dialogue since")).to_be_visible()
    expect(overview.locator("dd").filter(has_text="1990")).to_have_count(1)
    milestones = page.locator("#milestones")
    expect(milestones).to_contain_text("1990")
    contributions = page.locator("#contributions")
    expect(contributions.locator("h3").first).to_be_visible()
    expect(contributions.locator("table").first).to_be_visible()
    staff.check("profile-japan")

    # The side navigation jumps to the contributions section.
    staff.tab_to(".portal-sidenav a[href='#contributions']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/partners/JP/#contributions")
    staff.screenshot("profile-japan-contributions")

    # The outcomes and the history load when their sections come into view: the portal's answer replaces
    # the placeholder that asked for it.
    for section in ("outcomes", "history"):
        staff.tab_to(f".portal-sidenav a[href='#{section}']")
        page.keyboard.press("Enter")
        body = page.locator(f"#{section}-body")
        expect(body).not_to_have_attribute("hx-get", f"/partners/JP/{section}/")
        expect(body.locator("table, p").first).to_be_visible()
