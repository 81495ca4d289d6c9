"""Every page of the portal, at 1280 px and 390 px, in English and in French: photographed, checked, measured.

`make screenshots` runs this module alone and leaves the pictures in
test-output/screenshots/<language>-<width>/ (one PNG per page, named after it), to be looked at as a
user would. Each page must fit its viewport (no page wider than the screen: wide tables scroll inside
their own box) and pass axe with nothing serious or critical. Each page is opened by the demo user
whose work it is.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from operations.models import Operation
from workprogrammes.council.models import CouncilMeeting
from workprogrammes.programmes.models import WorkProgramme
from workprogrammes.requests.models import InclusionRequest

from .conftest import Visitor

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SHOTS = Path(settings.BASE_DIR) / "test-output" / "screenshots"
WIDTHS = (1280, 390)


def _pages() -> list[tuple[str, str, str]]:
    """(user, name, path) of every page, each opened by the demo user whose work it is."""
    programme = WorkProgramme.objects.filter(partner__iso_code="JP").order_by("-year").first()
    operation = Operation.objects.order_by("code").first()
    meeting = CouncilMeeting.objects.order_by("-date").first()
    decided = InclusionRequest.objects.filter(status="approved").order_by("pk").first()
    assert programme and operation and meeting and decided
    activity = programme.activities.order_by("start_date", "pk").first()
    assert activity
    return [
        ("officer", "dashboard-officer", "/"),
        ("officer", "partners", "/partners/"),
        ("officer", "partner-japan", "/partners/JP/"),
        ("officer", "partner-japan-history", "/partners/JP/history/"),
        ("officer", "milestone-new", "/partners/JP/milestone/new/"),
        ("officer", "contribution-new", "/partners/JP/contribution/new/"),
        ("officer", "cooperation-edit", "/partners/JP/cooperation/"),
        ("officer", "operations", "/operations/"),
        ("officer", "operation", f"/operations/{operation.code}/"),
        ("officer", "programmes", "/programmes/"),
        ("officer", "programme", f"/programmes/{programme.pk}/"),
        ("officer", "programme-new", "/programmes/new/"),
        ("officer", "programme-catalogue", f"/programmes/{programme.pk}/catalogue/"),
        ("officer", "programme-activity", f"/programmes/activities/{activity.pk}/"),
        ("officer", "my-requests", "/requests/"),
        ("officer", "request-new", "/requests/new/"),
        ("officer", "request-decided", f"/requests/{decided.reference}/"),
        ("officer", "notifications", "/notifications/"),
        ("officer", "notification-preferences", "/notifications/preferences/"),
        ("officer", "delegation", "/notifications/delegation/"),
        ("officer", "calendar", "/reports/calendar/"),
        ("reviewer", "dashboard-reviewer", "/"),
        ("reviewer", "review-queue", "/requests/queue/"),
        ("secretary", "dashboard-secretary", "/"),
        ("secretary", "council", "/council/"),
        ("secretary", "council-meeting", f"/council/meetings/{meeting.pk}/"),
        ("secretary", "council-agenda", f"/council/meetings/{meeting.pk}/agenda/"),
        ("secretary", "council-sheet", f"/council/meetings/{meeting.pk}/sheet/"),
        ("secretary", "council-silence", f"/council/meetings/{meeting.pk}/silence/"),
        ("analyst", "dashboard-analyst", "/"),
        ("analyst", "reports", "/reports/"),
        ("analyst", "report-contributions", "/reports/contributions/"),
        ("analyst", "report-activities", "/reports/activities/"),
        ("analyst", "report-pipeline", "/reports/pipeline/"),
        ("analyst", "report-decision-times", "/reports/decision_times/"),
        ("analyst", "report-catalogue-usage", "/reports/catalogue_usage/"),
        ("admin", "api-tokens", "/account/tokens/"),
        ("viewer", "dashboard-viewer", "/"),
        ("viewer", "not-found", "/partners/ZZ/"),
    ]


def _keep(shot: Path, folder: Path, name: str) -> None:
    """The check's own screenshot, kept under the page's name (taking a second one would cost as much)."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shot, folder / f"{name}.png")


# One test per language and width, so that parallel test processes share the pages between them.
@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_page_fits_its_width_and_passes_axe(visit, language: str, width: int) -> None:
    visitors: dict[str, Visitor] = {}
    problems: list[str] = []
    folder = SHOTS / f"{language}-{width}"
    for username, name, path in _pages():
        visitor = visitors.get(username)
        if visitor is None:
            visitor = visitors[username] = visit(username, language=language)
            visitor.page.set_viewport_size({"width": width, "height": 900})
        visitor.goto(path)
        expect(visitor.page.locator("html")).to_have_attribute("lang", language)
        overflow = visitor.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 1:
            problems.append(f"{name} ({path}) at {width} px in {language} is {overflow} px too wide")
        try:
            visitor.check(f"{language}-{width}-{name}")
        except AssertionError as error:
            problems.append(str(error))
        _keep(visitor.shots[-1], folder, re.sub(r"[^a-z0-9-]+", "-", name))
    # The sign-in page, photographed signed out.
    anonymous = visit("viewer", language=language, sign_in=False)
    anonymous.page.set_viewport_size({"width": width, "height": 900})
    anonymous.goto("/accounts/login/")
    _keep(anonymous.screenshot("sign-in"), folder, "sign-in")
    assert not problems, "\n".join(problems)
