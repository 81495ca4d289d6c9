"""The date input in a browser, in French: three boxes typed by keyboard; a date that does not exist is
named in the error summary and at the field, what was typed stays, and the page passes axe."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.models import Delegation, User

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_french_date_typed_as_day_month_year_is_checked_kept_and_saved(visit) -> None:
    officer = visit("officer", language="fr")
    page = officer.page
    page.set_viewport_size({"width": 390, "height": 900})
    officer.goto("/notifications/delegation/")
    start = page.locator("#id_start_date")
    expect(start.locator("legend")).to_have_text("Du")
    expect(start.locator("label")).to_have_text(["Jour", "Mois", "Année"])
    expect(start).to_contain_text("Par exemple, 27\u00a03\u00a02027")
    page.select_option("#id_delegate", value=str(User.objects.get(username="officer2").pk))
    year = timezone.localdate().year + 1
    for index, part in enumerate(("31", "2", str(year))):
        page.fill(f"#id_start_date_{index}", part)
    page.get_by_role("button", name="Désigner ce délégué").click()

    summary = page.locator(".usa-alert--error")
    expect(summary.locator("a[href='#id_start_date_0']")).to_contain_text("doit être une date qui existe")
    expect(start.locator(".usa-error-message")).to_contain_text(
        "«\u00a0Du\u00a0» doit être une date qui existe"
    )
    for index, part in enumerate(("31", "2", str(year))):
        expect(page.locator(f"#id_start_date_{index}")).to_have_value(part)
    officer.check("fr-390-delegation-bad-date")
    assert not Delegation.objects.exists()

    day = timezone.localdate() + datetime.timedelta(days=3)
    page.fill("#id_start_date_0", str(day.day))
    page.fill("#id_start_date_1", str(day.month))
    page.fill("#id_start_date_2", str(day.year))
    end = day + datetime.timedelta(days=4)
    for index, part in enumerate((end.day, end.month, end.year)):
        page.fill(f"#id_end_date_{index}", str(part))
    page.get_by_role("button", name="Désigner ce délégué").click()
    expect(page.locator(".usa-alert--error")).to_have_count(0)
    delegation = Delegation.objects.get()
    assert (delegation.start_date, delegation.end_date) == (day, end)
