"""Journeys: a delegate on another desk acts for a colleague; a desk head reassigns an overdue review.

1. The Asia-Pacific officer names the Latin America officer (officer2) as delegate on the delegation page.
   officer2 opens the officer's Japan draft, which their own desk would hide, submits it "for" the
   officer, and the timeline names both; then drafts a new Japan request for the officer, offered as
   "Japan (for James Whitaker)", and adds a shared comment to it.
2. The head of the Asia-Pacific desk (the demo's officer) finds an overdue review in the review queue,
   gives it to another reviewer in bulk with a reason, and the request's timeline names both reviewers.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from partners.models import Partner
from portal.accounts.models import Desk, Role, User
from tests.factories import UserFactory
from workprogrammes.catalogue.models import CatalogueItem
from workprogrammes.requests.models import InclusionRequest

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _japan_request(status: str, **fields: Any) -> InclusionRequest:
    officer = User.objects.get(username="officer")
    item = CatalogueItem.objects.filter(deactivated_on__isnull=True).order_by("code").first()
    starts = timezone.localdate() + datetime.timedelta(days=90)
    return InclusionRequest.objects.create(
        reference=f"IR-E2E-{InclusionRequest.objects.count() + 1:04d}",
        partner=Partner.objects.get(iso_code="JP"),
        desk=Desk.objects.get(code="asia-pacific"),
        catalogue_item=item,
        title="Exercise Steadfast Jazz",
        start_date=starts,
        end_date=starts + datetime.timedelta(days=5),
        place="Oberammergau",
        justification="Interoperability with a partner that contributes to operations.",
        mutual_benefit="Lessons from deployments in return for training places.",
        requested_by=officer,
        status=status,
        **fields,
    )


def test_a_delegate_on_another_desk_submits_for_a_colleague(visit: Any) -> None:
    draft = _japan_request("draft")
    officer = visit("officer")
    page = officer.page
    officer.goto("/notifications/delegation/")
    officer.check("delegation-page")
    page.select_option("#id_delegate", value=str(User.objects.get(username="officer2").pk))
    today = timezone.localdate()
    # The form starts with today and a week from today; the officer types them again over those.
    for field_id, day in (("id_start_date", today), ("id_end_date", today + datetime.timedelta(days=7))):
        for index, part in enumerate((day.day, day.month, day.year)):
            page.fill(f"#{field_id}_{index}", str(part))
    page.get_by_role("button", name="Name this delegate").click()
    expect(page.locator("body")).to_contain_text("Your delegate is named.")
    officer.check("delegate-named")

    delegate = visit("officer2")
    delegate.goto(f"/requests/{draft.reference}/")
    expect(delegate.page.locator("h1")).to_contain_text(draft.reference)
    delegate.check("principals-request")
    delegate.page.get_by_role("button", name="Submit").first.click()
    expect(delegate.page.locator("body")).to_contain_text("has been submitted")
    timeline = delegate.page.locator(".portal-timeline")
    expect(timeline).to_contain_text("acting for")
    delegate.check("submitted-for-principal")
    draft.refresh_from_db()
    assert draft.status == "submitted"
    change = draft.status_changes.get()
    assert (change.actor.username, change.acting_for.username) == ("officer2", "officer")

    # A new request for the principal's partner, drafted on the page by the delegate.
    page = delegate.page
    delegate.goto("/requests/new/")
    expect(page.locator("#id_partner")).to_contain_text("Japan (for James Whitaker)")
    delegate.check("new-request-for-principal")
    item = CatalogueItem.objects.filter(deactivated_on__isnull=True).order_by("code").first()
    assert item is not None
    starts = timezone.localdate() + datetime.timedelta(days=100)
    page.select_option("#id_partner", label="Japan (for James Whitaker)")
    page.select_option("#id_catalogue_item", value=str(item.pk))
    delegate.type_date("id_start_date", starts)
    delegate.type_date("id_end_date", starts + datetime.timedelta(days=3))
    page.fill("#id_justification", "Japan asked to take part; it contributes liaison officers to ISAF.")
    page.fill("#id_mutual_benefit", "Lessons from deployments in return for places on the course.")
    page.locator(".portal-form__actions button[type=submit]").click()
    expect(page.locator(".usa-alert--success")).to_be_visible()
    created = InclusionRequest.objects.latest("pk")
    assert (created.partner.iso_code, created.requested_by.username) == ("JP", "officer")
    expect(page.locator("h1")).to_contain_text(created.reference)
    page.fill("#id_body", "Drafted for James while he is away; the dates come from the course calendar.")
    page.locator("form[action$='/comments/'] button[type=submit]").click()
    expect(page.locator("#comments")).to_contain_text("Drafted for James while he is away")
    delegate.check("comment-for-principal")


def test_the_desk_head_reassigns_an_overdue_review_from_the_queue(visit: Any) -> None:
    reviewer = User.objects.get(username="reviewer")
    UserFactory(username="reviewer2", roles=[Role.REVIEWER], first_name="Rui", last_name="Second")
    late = _japan_request(
        "under_review",
        reviewer=reviewer,
        needs_council_decision=True,
        submitted_at=timezone.now() - datetime.timedelta(days=30),
        due_at=timezone.now() - datetime.timedelta(days=20),
    )
    head = visit("officer")
    page = head.page
    head.goto("/requests/queue/?overdue=1")
    head.check("overdue-queue")
    # By keyboard, as the queue's keyboard users tick a request.
    page.locator(f"#pick-{late.pk}").focus()
    page.keyboard.press("Space")
    expect(page.locator(f"#pick-{late.pk}")).to_be_checked()
    page.select_option("#bulk-action", value="reassign")
    page.select_option("#bulk-reviewer", label="Rui Second (reviewer2)")
    page.fill("#bulk-reason", "The reviewer is on leave until next month.")
    page.get_by_role("button", name="Apply to the selected requests").click()
    expect(page.locator("body")).to_contain_text(f"{late.reference}: Done")
    head.check("reassigned")
    head.goto(f"/requests/{late.reference}/")
    expect(page.locator(".portal-timeline")).to_contain_text("Review reassigned from")
    expect(page.locator(".portal-timeline")).to_contain_text("Rui Second")
    head.check("timeline-names-both")
    late.refresh_from_db()
    assert late.reviewer is not None and late.reviewer.username == "reviewer2"
