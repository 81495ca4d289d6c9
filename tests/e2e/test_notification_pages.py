"""The notification pages in a real browser: the bell, the list, preferences and delegation.

At a desktop width (1280 px) and a phone width (390 px), in English and in French; each page checked
with axe-core and photographed (test-output/e2e/notification_pages_*). The bell and the list work
without JavaScript: the bell is a link, marking read is a form.
"""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from playwright.sync_api import expect

from portal.accounts.models import User
from portal.notifications.models import Event, Notification
from tests.e2e.conftest import Visitor, keyboard_sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}


def _notify(user: User, count: int) -> None:
    target_type = ContentType.objects.get_for_model(User)
    for n in range(count):
        event = Event.objects.create(kind="request.returned", target_type=target_type, target_id=user.pk)
        Notification.objects.create(
            recipient=user,
            event=event,
            kind=event.kind,
            text=f"Rita Reviewer returned IR-2026-{n:04d} for changes.",
            url="/requests/",
            action_owed=True,
        )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_notification_pages_fit_both_widths_and_languages(visit, language: str) -> None:
    officer = visit("officer", language=language)
    _notify(officer.user, 3)
    page = officer.page
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        for path in ("/notifications/", "/notifications/preferences/", "/notifications/delegation/"):
            officer.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", language)
            overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 1, f"{path} at {width} px ({language}) scrolls sideways by {overflow} px"
            officer.check(f"{label}-{path.strip('/').replace('/', '-')}")


def test_bell_and_marking_read_work_without_javascript(demo_db, browser, live_server) -> None:
    user = User.objects.get(username="officer")
    # The demo's requests already notified the officer; with those read, the bell counts these two.
    Notification.objects.filter(recipient=user).update(read_at=timezone.now())
    _notify(user, 2)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    try:
        visitor = Visitor(
            user=user,
            context=context,
            page=context.new_page(),
            journey="notification_pages_no_js/officer",
            base_url=live_server.url,
        )
        keyboard_sign_in(visitor)
        page = visitor.page
        visitor.goto("/partners/")
        bell = page.locator("#notification-bell-link")
        expect(bell.locator("[data-unread]")).to_have_text("2")
        bell.click()
        page.wait_for_url("**/notifications/")
        page.get_by_role("button", name="Mark read").first.click()
        expect(page.locator("#notification-bell-link [data-unread]")).to_have_text("1")
        visitor.screenshot("after-mark-read")
        page.get_by_role("button", name="Mark 1 unread notification read").click()
        expect(page.locator("#notification-bell-link [data-unread]")).to_have_count(0)
        assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()
    finally:
        context.close()
