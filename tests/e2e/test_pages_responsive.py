"""The main pages at a desktop width (1280 px) and a phone width (390 px), in English and in French.

French strings run longer: each page is photographed (test-output/e2e/pages_*), checked with axe-core,
and must not scroll sideways as a whole (wide tables scroll inside their own box instead).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from operations.models import Operation
from workprogrammes.models import CouncilMeeting, WorkProgramme

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}


@pytest.mark.parametrize("language", ["en", "fr"])
def test_main_pages_fit_desktop_and_phone_widths_in_both_languages(visit, language: str) -> None:
    officer = visit("officer", language=language)
    page = officer.page
    programme = WorkProgramme.objects.filter(partner__iso_code="JP").order_by("-year").first()
    operation = Operation.objects.order_by("code").first()
    activity = programme.activities.order_by("start_date", "pk").first()
    paths = [
        "/",
        "/partners/",
        "/partners/JP/",
        "/operations/",
        f"/operations/{operation.code}/",
        "/programmes/",
        f"/programmes/{programme.pk}/",
        "/requests/",
        "/requests/new/",
        "/notifications/",
        # Forms that take record text in both languages, and the programme builder's pages.
        "/partners/JP/milestone/new/",
        "/partners/JP/contribution/new/",
        "/partners/JP/cooperation/",
        "/programmes/new/",
        f"/programmes/{programme.pk}/catalogue/",
        f"/programmes/activities/{activity.pk}/",
    ]
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            officer.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", language)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} at {width} px ({language}) scrolls sideways by {overflow} px"
            officer.check(f"{label}-{path.strip('/').replace('/', '-') or 'home'}")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_council_and_report_pages_fit_both_widths_in_both_languages(visit, language: str) -> None:
    secretary = visit("secretary", language=language)
    analyst = visit("analyst", language=language)
    meeting = CouncilMeeting.objects.order_by("-date").first()
    pages = [(secretary, "/council/"), (secretary, "/requests/queue/"), (analyst, "/reports/")]
    if meeting is not None:
        pages.append((secretary, f"/council/meetings/{meeting.pk}/"))
    pages += [(analyst, f"/reports/{slug}/") for slug in ("contributions", "activities", "pipeline")]
    for label, width in WIDTHS.items():
        for visitor, path in pages:
            visitor.page.set_viewport_size({"width": width, "height": 900})
            visitor.goto(path)
            expect(visitor.page.locator("html")).to_have_attribute("lang", language)
            overflow = visitor.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} at {width} px ({language}) scrolls sideways by {overflow} px"
            visitor.check(f"{label}-{path.strip('/').replace('/', '-')}")
