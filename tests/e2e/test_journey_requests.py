"""Journeys 2 to 4: an inclusion request from the officer's draft to the North Atlantic Council's approval.

2. Officer: create a request (a first submit without the justification shows the error at the top and at
   the field, and keeps everything typed), attach a file, submit it. Also run wholly in French.
3. Reviewer: find it in the queue, return it with a reason; the officer resubmits; the reviewer recommends.
4. Council secretary: put it on a meeting's decision sheet and record the approval; the officer sees the
   notification and the timeline.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import expect

from tests.e2e.conftest import Visitor
from workprogrammes.catalogue.models import CatalogueItem
from workprogrammes.requests.models import InclusionRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# A one-page PDF: the portal checks an attachment's type from its bytes.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

TEXT = {
    "en": {
        "problem": "There is a problem",
        "justification": "Justification",
        "saved": "saved",
        "submitted": "Submitted",
        "attached": "File attached.",
        "partner_label": "Partner",
        "benefit_label": "Statement of mutual benefit and reciprocity",
    },
    "fr": {
        "problem": "Il y a un problème",
        "justification": "Justification",
        "saved": "enregistré",
        "submitted": "Soumise",
        "attached": "Fichier joint.",
        "partner_label": "Partenaire",
        "benefit_label": "Déclaration d'avantages mutuels et de réciprocité",
    },
}


def _catalogue_item_needing_the_council() -> CatalogueItem:
    return (
        CatalogueItem.objects.filter(needs_council_decision=True, deactivated_on__isnull=True)
        .order_by("code")
        .first()
    )


def _reference(visitor: Visitor) -> str:
    match = re.search(r"/requests/([^/]+)/$", visitor.page.url)
    assert match, visitor.page.url
    return match.group(1)


def officer_creates_and_submits(officer: Visitor, language: str = "en") -> str:
    """Journey 2 in the given language; returns the request's reference."""
    text = TEXT[language]
    page = officer.page
    item = _catalogue_item_needing_the_council()
    starts = timezone.localdate() + datetime.timedelta(days=120)

    officer.tab_to("nav.usa-nav a[href='/requests/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/requests/")
    officer.check("my-requests")

    officer.tab_to("a[href='/requests/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/requests/new/")
    expect(page.locator("label[for='id_partner']")).to_contain_text(text["partner_label"])
    expect(page.locator("label[for='id_mutual_benefit']")).to_contain_text(text["benefit_label"])
    officer.check("new-request-form")

    # Fill everything but the justification, moving through the form with the keyboard.
    officer.tab_to("#id_partner")
    page.select_option("#id_partner", label="Japon" if language == "fr" else "Japan")
    officer.tab_to("#id_catalogue_item")
    page.select_option("#id_catalogue_item", value=str(item.pk))
    officer.tab_to("#id_title")
    page.keyboard.type("Maritime interoperability exercise 2027")
    officer.type_date("id_start_date", starts)
    officer.type_date("id_end_date", starts + datetime.timedelta(days=4))
    officer.tab_to("#id_place")
    page.keyboard.type("Brussels")
    officer.tab_to("#id_mutual_benefit")
    benefit = "Japan's navy brings anti-piracy experience; Allies share procedures. Reciprocal access."
    page.keyboard.type(benefit)
    officer.tab_to(".portal-form__actions button[type=submit]")
    page.keyboard.press("Enter")

    # The error at the top, linking to the field, and at the field; nothing typed is lost.
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text(text["problem"])
    expect(summary.locator("a[href='#id_justification']")).to_contain_text(text["justification"])
    expect(page.locator("#justification-error")).to_be_visible()
    expect(page.locator("#id_mutual_benefit")).to_have_value(benefit)
    expect(page.locator("#id_place")).to_have_value("Brussels")
    expect(page.locator("#id_title")).to_have_value("Maritime interoperability exercise 2027")
    expect(page.locator("#id_catalogue_item")).to_have_value(str(item.pk))
    officer.expect_date("id_start_date", starts)
    expect(summary).to_be_focused()
    officer.check("new-request-missing-justification")

    # From the summary's link straight to the field, then complete it and save.
    officer.tab_to("#error-summary a[href='#id_justification']")
    page.keyboard.press("Enter")
    expect(page.locator("#id_justification")).to_be_focused()
    page.keyboard.type("Japan asked to observe and then take part; it contributes to maritime security.")
    officer.tab_to(".portal-form__actions button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/requests/(?!new/)[^/]+/$"))
    reference = _reference(officer)
    expect(page.locator(".usa-alert--success")).to_contain_text(text["saved"])
    officer.check("draft-saved")

    # Attach a file (the file chooser is the one control typed into by the test itself).
    page.set_input_files(
        "#id_file", files=[{"name": "concept-note.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    officer.tab_to("form[action$='/attachments/'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".usa-alert--success")).to_contain_text(text["attached"])
    expect(page.locator("#attachments table")).to_contain_text("concept-note.pdf")
    officer.check("file-attached")

    officer.tab_to("form[action$='/act/submit/'] button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator(".portal-page-header .portal-status")).to_contain_text(text["submitted"])
    # The activity's dates in the page's language (e.g. "27 mars 2027" on a French page).
    with translation.override(language):
        expect(page.locator("main")).to_contain_text(date_format(starts, "DATE_FORMAT"))
    officer.check("submitted")
    assert InclusionRequest.objects.get(reference=reference).status == InclusionRequest.Status.SUBMITTED
    return reference


def take_action(visitor: Visitor, reference: str, action: str, reason: str = "") -> None:
    """On the request's page, the action's button (or its confirmation page with a reason), by keyboard."""
    page = visitor.page
    # Reloaded: another person may have moved the request on since this page was shown.
    visitor.goto(f"/requests/{reference}/")
    button = f"form[action$='/act/{action}/'] button[type=submit]"
    link = f"a[href*='/act/{action}/']"
    if page.locator(button).count():
        visitor.tab_to(button)
        page.keyboard.press("Enter")
    else:
        visitor.tab_to(link)
        page.keyboard.press("Enter")
        page.wait_for_url(f"**/act/{action}/**")
        if reason:
            visitor.tab_to("#id_reason")
            page.keyboard.type(reason)
        visitor.check(f"confirm-{action}")
        visitor.tab_to("form[action$='/act/" + action + "/'] button[type=submit]")
        page.keyboard.press("Enter")
    page.wait_for_url(f"**/requests/{reference}/")
    expect(page.locator(".usa-alert--success")).to_be_visible()


def _status(reference: str) -> str:
    return InclusionRequest.objects.get(reference=reference).status


def test_officer_creates_a_request_fixes_the_missing_field_attaches_a_file_and_submits(visit) -> None:
    officer = visit("officer", language="en")

    reference = officer_creates_and_submits(officer, "en")

    assert InclusionRequest.objects.get(reference=reference).attachments.count() == 1


def test_officer_journey_in_french(visit) -> None:
    officer = visit("officer", language="fr")
    page = officer.page
    expect(page.locator("nav.usa-nav")).to_contain_text("Mes demandes")

    reference = officer_creates_and_submits(officer, "fr")

    expect(page.locator("h2#actions-title")).to_have_text("Ce que vous pouvez faire maintenant")
    expect(page.locator("#attachments h2")).to_have_text("Pièces jointes")
    # The design system's character count speaks French too (the scripts' catalogue), figures included.
    expect(page.locator("#comments .usa-character-count__status")).to_have_text(
        "4\u00a0000 caractères autorisés"
    )
    expect(page.locator("#attachments .usa-file-input__drag-text")).to_have_text(
        "Faites glisser le fichier ici ou"
    )
    officer.user.refresh_from_db()
    assert officer.user.preferred_language == "fr"
    assert _status(reference) == InclusionRequest.Status.SUBMITTED


def test_review_return_resubmit_recommend_then_council_approval_notifies_the_officer(visit) -> None:
    officer = visit("officer", language="en")
    reference = officer_creates_and_submits(officer, "en")

    # Journey 3: the reviewer finds it in the queue and returns it with a reason.
    reviewer = visit("reviewer", language="en")
    page = reviewer.page
    reviewer.goto("/requests/queue/")
    row = page.locator("tr", has=page.locator(f"a[href='/requests/{reference}/']"))
    expect(row).to_have_count(1)
    reviewer.check("queue")
    reviewer.tab_to(f"tr a[href='/requests/{reference}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/requests/{reference}/")
    reviewer.check("request-submitted")
    take_action(reviewer, reference, "start_review")
    assert _status(reference) == InclusionRequest.Status.UNDER_REVIEW
    take_action(reviewer, reference, "return", reason="Say which maritime units would take part.")
    assert _status(reference) == InclusionRequest.Status.RETURNED
    reviewer.check("request-returned")

    # The officer sees the reason in the timeline and resubmits.
    officer.goto(f"/requests/{reference}/")
    expect(officer.page.locator("main")).to_contain_text("Say which maritime units would take part.")
    officer.check("request-returned")
    take_action(officer, reference, "resubmit")
    assert _status(reference) == InclusionRequest.Status.SUBMITTED

    # The reviewer reviews again and recommends; the recommendation goes to the Council.
    take_action(reviewer, reference, "start_review")
    take_action(reviewer, reference, "recommend")
    assert _status(reference) == InclusionRequest.Status.RECOMMENDED
    take_action(reviewer, reference, "send_to_council")
    assert _status(reference) == InclusionRequest.Status.AWAITING_COUNCIL
    reviewer.check("request-awaiting-council")

    # Journey 4: the council secretary plans a meeting, puts the request on its agenda and records approval.
    secretary = visit("secretary", language="en")
    page = secretary.page
    secretary.tab_to("nav.usa-nav a[href='/council/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/council/")
    secretary.check("meetings")
    # Today: its decision sheet is recorded on (or after) the meeting's date.
    meeting_day = timezone.localdate()
    secretary.type_date("id_date", meeting_day)
    secretary.tab_to("#id_reference")
    page.keyboard.type("C-M(2027)0042")
    secretary.tab_to("section[aria-labelledby='new-meeting-title'] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/council/meetings/\d+/$"))
    secretary.check("meeting")

    secretary.tab_to("a[href$='/agenda/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/agenda/")
    pk = InclusionRequest.objects.get(reference=reference).pk
    secretary.tab_to(f"#agenda-{pk}")
    page.keyboard.press("Space")
    expect(page.locator(f"#agenda-{pk}")).to_be_checked()
    secretary.check("agenda-builder")
    secretary.tab_to("main form button[type=submit].usa-button:not(.usa-button--unstyled)")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/council/meetings/\d+/$"))
    expect(page.locator("main")).to_contain_text(reference)
    secretary.check("meeting-with-agenda")

    secretary.tab_to("a[href$='/sheet/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/sheet/")
    secretary.tab_to("#id_default_outcome")
    page.select_option("#id_default_outcome", value="approved")
    secretary.tab_to("#id_reference")
    page.keyboard.type("PO(2027)0042")
    secretary.check("decision-sheet")
    secretary.tab_to("main form button[type=submit].usa-button:not(.usa-button--unstyled)")
    page.keyboard.press("Enter")
    expect(page.locator(".usa-alert--success")).to_be_visible()
    secretary.check("decisions-recorded")
    assert _status(reference) == InclusionRequest.Status.APPROVED

    # The officer: the bell counts the unread notifications; the notification leads to the request.
    officer.goto("/requests/")
    bell = officer.page.locator("#notification-bell-link [data-unread]")
    expect(bell).to_be_visible()
    assert int(bell.get_attribute("data-unread") or 0) >= 1
    officer.check("bell")
    officer.tab_to("#notification-bell-link")
    officer.page.keyboard.press("Enter")
    officer.page.wait_for_url("**/notifications/")
    notifications = officer.page.locator("main")
    expect(notifications).to_contain_text(reference)
    expect(notifications).to_contain_text("approv")
    officer.check("notifications")

    officer.goto(f"/requests/{reference}/")
    timeline = officer.page.locator(".portal-timeline")
    for status in ("Submitted", "Under review", "Returned for changes", "Recommended", "Approved"):
        expect(timeline.first).to_contain_text(status)
    expect(officer.page.locator("main")).to_contain_text("PO(2027)0042")
    officer.check("timeline-approved")
