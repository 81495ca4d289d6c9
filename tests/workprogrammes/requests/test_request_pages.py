"""The request pages: my requests, the form, the request page and its actions, the review queue."""

import datetime
import re
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from portal.core.models import Marking
from tests.factories import CatalogueItemFactory, PartnerFactory, UserFactory
from tests.workprogrammes.request_factories import CommentFactory, StatusChangeFactory
from workprogrammes.requests import services
from workprogrammes.requests.discussion_models import Attachment
from workprogrammes.requests.models import InclusionRequest, RequestRevision, StatusChange
from workprogrammes.workflow_steps import RequestStep, request_step

pytestmark = pytest.mark.django_db

MakeRequest = Callable[..., InclusionRequest]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _detail(inclusion_request: InclusionRequest) -> str:
    return reverse("requests:detail", args=[inclusion_request.reference])


def _act(inclusion_request: InclusionRequest, action: str) -> str:
    return reverse("requests:act", args=[inclusion_request.reference, action])


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- My requests --------------------------------------------------------------------------------


def test_my_requests_lists_the_desks_requests_only(
    officer: User, make_request: MakeRequest, other_officer: User
) -> None:
    mine = make_request("submitted")
    other_partner = other_officer.desks.get().partners.get()
    theirs = make_request("submitted", partner=other_partner, desk=other_officer.desks.get())
    response = _client(officer).get(reverse("requests:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert mine.reference in body
    assert theirs.reference not in body


def test_my_requests_filters_by_status(officer: User, make_request: MakeRequest) -> None:
    draft, submitted = make_request("draft"), make_request("submitted")
    body = _client(officer).get(reverse("requests:list"), {"status": "draft"}).content.decode()
    assert draft.reference in body
    assert submitted.reference not in body


def test_my_requests_query_count_is_the_same_at_1_and_50_rows(
    officer: User, make_request: MakeRequest, django_assert_num_queries
) -> None:
    client = _client(officer)
    make_request("submitted")
    expected = _count_queries(client, reverse("requests:list"))
    for _ in range(49):
        make_request("submitted", catalogue_item=CatalogueItemFactory())
    with django_assert_num_queries(expected):
        client.get(reverse("requests:list"))


# --- The form -----------------------------------------------------------------------------------


def test_form_offers_only_the_officers_desk_partners(officer: User, partner) -> None:
    outsider = PartnerFactory(name_en="Outerland")
    response = _client(officer).get(reverse("requests:create"))
    assert response.status_code == 200
    partners = list(response.context["form"].fields["partner"].queryset)
    assert partners == [partner]
    assert "Outerland" not in response.content.decode()
    assert outsider not in partners


def test_form_error_keeps_the_input_and_links_each_error(officer: User, partner) -> None:
    item = CatalogueItemFactory()
    data = {
        "partner": partner.pk,
        "catalogue_item": item.pk,
        "title": "Steadfast Jupiter",
        "start_date": "2027-05-03",
        "end_date": "2027-05-01",
        "justification": "The partner's staff officers train with JFC Naples.",
        "mutual_benefit": "",
        "marking": Marking.NATO_UNCLASSIFIED,
    }
    response = _client(officer).post(reverse("requests:create"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_mutual_benefit"' in body
    assert 'href="#id_end_date_0"' in body  # the date's first box, the day
    assert "The partner&#x27;s staff officers train with JFC Naples." in body
    assert 'value="Steadfast Jupiter"' in body
    assert 'aria-invalid="true"' in body
    assert not InclusionRequest.objects.exists()


def test_form_creates_a_draft_and_goes_to_its_page(officer: User, partner) -> None:
    item = CatalogueItemFactory()
    data = {
        "partner": partner.pk,
        "catalogue_item": item.pk,
        "start_date": "2027-05-03",
        "end_date": "2027-05-14",
        "place": "Oberammergau",
        "justification": "Trains the partner's staff for operations.",
        "mutual_benefit": "Lessons from the partner's deployments in return.",
        "marking": Marking.NATO_UNCLASSIFIED,
    }
    response = _client(officer).post(reverse("requests:create"), data)
    created = InclusionRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _detail(created)
    assert (created.status, created.requested_by, created.catalogue_item) == ("draft", officer, item)


def test_only_officers_with_a_desk_get_the_form(reviewer: User) -> None:
    assert _client(reviewer).get(reverse("requests:create")).status_code == 403


def test_edit_a_returned_request_then_resubmit(officer: User, make_request: MakeRequest) -> None:
    returned = make_request("returned")
    client = _client(officer)
    form = client.get(reverse("requests:edit", args=[returned.reference])).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["place"] = "Naples"
    response = client.post(reverse("requests:edit", args=[returned.reference]), data)
    assert response.status_code == 302
    client.post(_act(returned, "resubmit"))
    returned.refresh_from_db()
    assert (returned.status, returned.place, returned.revision) == ("submitted", "Naples", 2)


def test_a_submitted_request_cannot_be_edited(officer: User, make_request: MakeRequest) -> None:
    submitted = make_request("submitted")
    response = _client(officer).get(reverse("requests:edit", args=[submitted.reference]), follow=True)
    assert "This request cannot be changed now." in _messages(response)


# --- The request page ---------------------------------------------------------------------------


def test_officer_of_another_desk_gets_404(other_officer: User, make_request: MakeRequest) -> None:
    inclusion_request = make_request("submitted")
    client = _client(other_officer)
    assert client.get(_detail(inclusion_request)).status_code == 404
    assert client.post(_act(inclusion_request, "withdraw"), {"reason": "x"}).status_code == 404
    assert client.get(reverse("requests:edit", args=[inclusion_request.reference])).status_code == 404
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).status == "submitted"


def test_record_above_the_users_clearance_is_not_found(viewer: User, make_request: MakeRequest) -> None:
    secret = make_request("submitted", marking=Marking.NATO_SECRET)
    assert _client(viewer).get(_detail(secret)).status_code == 404


def test_page_shows_the_step_timeline_and_marking(
    officer: User, reviewer: User, make_request: MakeRequest
) -> None:
    inclusion_request = make_request(
        "draft", marking=Marking.NATO_RESTRICTED, releasability="Releasable to Japan"
    )
    officer.clearance = Marking.NATO_RESTRICTED
    officer.save(update_fields=["clearance"])
    request_step(request=inclusion_request, step=RequestStep(actor=officer, action="submit"))
    reviewer.clearance = Marking.NATO_RESTRICTED
    reviewer.save(update_fields=["clearance"])
    request_step(request=inclusion_request, step=RequestStep(actor=reviewer, action="start_review"))
    request_step(
        request=inclusion_request,
        step=RequestStep(actor=reviewer, action="return", reason="Name the lead nation."),
    )
    response = _client(officer).get(_detail(inclusion_request))
    body = response.content.decode()
    assert 'usa-step-indicator__segment--current" aria-current="true"' in body
    assert "Name the lead nation." in body
    assert 'data-marking="20"' in body
    assert "Releasable to Japan" in body
    assert body.count('data-to-status="') == 3


def test_page_offers_only_the_actions_this_user_may_take_now(
    officer: User, reviewer: User, viewer: User, make_request: MakeRequest
) -> None:
    inclusion_request = make_request("submitted")
    reviewer_page = _client(reviewer).get(_detail(inclusion_request))
    assert [a["transition"].action for a in reviewer_page.context["actions"]] == ["start_review"]
    assert _act(inclusion_request, "start_review") in reviewer_page.content.decode()
    officer_page = _client(officer).get(_detail(inclusion_request))
    assert [a["transition"].action for a in officer_page.context["actions"]] == ["withdraw"]
    assert _act(inclusion_request, "start_review") not in officer_page.content.decode()
    viewer_page = _client(viewer).get(_detail(inclusion_request))
    assert viewer_page.context["actions"] == []
    assert viewer_page.context["comment_form"] is None
    assert viewer_page.context["attachment_form"] is None


def test_page_shows_what_changed_between_revisions(officer: User, make_request: MakeRequest) -> None:
    inclusion_request = make_request("submitted")
    RequestRevision.objects.create(
        request=inclusion_request,
        number=1,
        snapshot={"place": "Mons", "justification": "Trains staff officers."},
        created_by=officer,
    )
    RequestRevision.objects.create(
        request=inclusion_request,
        number=2,
        snapshot={"place": "Naples", "justification": "Trains staff officers and liaison officers."},
        created_by=officer,
    )
    body = _client(officer).get(_detail(inclusion_request)).content.decode()
    assert "Revision 1 → 2" in body
    assert "Mons</del>" in body
    assert "Naples</ins>" in body
    assert re.search(r"<ins>(?:(?!</ins>).)*liaison(?:(?!</ins>).)*</ins>", body)
    assert "Trains staff" in body  # unchanged words are shown as they are


def test_detail_query_count_is_the_same_at_1_and_50_rows(
    officer: User, make_request: MakeRequest, django_assert_num_queries
) -> None:
    inclusion_request = make_request("under_review")
    client = _client(officer)

    def add_rows(count: int) -> None:
        for number in range(count):
            StatusChangeFactory(request=inclusion_request, actor=officer, acting_for=officer)
            CommentFactory(request=inclusion_request, author=officer)
            Attachment.objects.create(
                request=inclusion_request,
                file=f"private/requests/x/{number}",
                original_name=f"note-{number}.pdf",
                content_type="application/pdf",
                size=10,
                sha256="0" * 64,
                uploaded_by=officer,
            )
            RequestRevision.objects.create(
                request=inclusion_request,
                number=RequestRevision.objects.filter(request=inclusion_request).count() + 1,
                snapshot={"place": f"Place {number}"},
                created_by=officer,
            )

    add_rows(1)
    expected = _count_queries(client, _detail(inclusion_request))
    add_rows(49)
    with django_assert_num_queries(expected):
        response = client.get(_detail(inclusion_request))
    assert response.content.decode().count('data-to-status="') == 50


# --- Actions ------------------------------------------------------------------------------------


def test_action_button_moves_the_request_on(reviewer: User, make_request: MakeRequest) -> None:
    inclusion_request = make_request("submitted")
    response = _client(reviewer).post(_act(inclusion_request, "start_review"), follow=True)
    assert response.status_code == 200
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).status == "under_review"
    assert any(
        f"You are now reviewing request {inclusion_request.reference}." in m for m in _messages(response)
    )


def test_stale_action_is_a_message_not_an_error_page(reviewer: User, make_request: MakeRequest) -> None:
    inclusion_request = make_request("submitted")
    client = _client(reviewer)
    client.post(_act(inclusion_request, "start_review"))
    response = client.post(_act(inclusion_request, "start_review"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == _detail(inclusion_request)
    assert any("cannot be taken under review now" in m for m in _messages(response))
    assert StatusChange.objects.filter(request=inclusion_request).count() == 1


def test_action_not_allowed_for_the_role_is_a_message(officer: User, make_request: MakeRequest) -> None:
    inclusion_request = make_request("submitted")
    response = _client(officer).post(_act(inclusion_request, "start_review"), follow=True)
    assert response.status_code == 200
    assert any("role does not allow" in m for m in _messages(response))


def test_dangerous_action_asks_for_a_reason_and_confirmation(
    reviewer: User, make_request: MakeRequest
) -> None:
    inclusion_request = make_request("under_review")
    client = _client(reviewer)
    confirm = client.get(_act(inclusion_request, "return"))
    assert confirm.status_code == 200
    assert "Confirm: Return for changes" in confirm.content.decode()
    missing = client.post(_act(inclusion_request, "return"), {"reason": " "})
    assert missing.status_code == 400
    assert 'href="#id_reason"' in missing.content.decode()
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).status == "under_review"
    client.post(_act(inclusion_request, "return"), {"reason": "Add the lead nation."})
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).status == "returned"


def test_secretary_records_a_decision_from_the_request_page(
    secretary: User, make_request: MakeRequest
) -> None:
    inclusion_request = make_request("awaiting_council")
    client = _client(secretary)
    without_reason = client.post(
        _act(inclusion_request, "approve"), {"reference": "PO(2027)0077", "conditions": "Observers only."}
    )
    # No meeting chosen: the reason is required, and what was typed is kept.
    assert without_reason.status_code == 400
    assert 'href="#id_reason"' in without_reason.content.decode()
    assert "PO(2027)0077" in without_reason.content.decode()
    response = client.post(
        _act(inclusion_request, "approve"),
        {
            "reference": "PO(2027)0077",
            "conditions": "Observers only.",
            "reason": "Written procedure: the activity starts before the next meeting.",
        },
    )
    assert response.status_code == 302
    inclusion_request.refresh_from_db()
    assert inclusion_request.status == "approved"
    decision = inclusion_request.decisions.get()
    assert (decision.reference, decision.conditions) == ("PO(2027)0077", "Observers only.")
    assert decision.outside_meeting
    page = client.get(reverse("requests:detail", args=[inclusion_request.reference])).content.decode()
    assert "Outside a Council meeting" in page
    assert "Written procedure: the activity starts before the next meeting." in page


def test_unknown_action_is_404(reviewer: User, make_request: MakeRequest) -> None:
    assert _client(reviewer).post(_act(make_request("submitted"), "teleport")).status_code == 404


# --- Comments and attachments on the page -------------------------------------------------------


def test_comment_error_keeps_what_was_typed(officer: User, make_request: MakeRequest) -> None:
    inclusion_request = make_request("under_review")
    response = _client(officer).post(
        reverse("requests:comment", args=[inclusion_request.reference]),
        {"body": "Dates confirmed with the school.", "visibility": "internal", "marking": 10},
    )
    assert response.status_code == 400
    assert "Dates confirmed with the school." in response.content.decode()
    assert not inclusion_request.comments.exists()


def test_attachment_upload_refuses_a_renamed_program(officer: User, make_request: MakeRequest) -> None:
    inclusion_request = make_request("draft")
    client = _client(officer)
    url = reverse("requests:attach", args=[inclusion_request.reference])
    refused = client.post(
        url, {"file": SimpleUploadedFile("invoice.pdf", b"MZ\x90\x00" + b"\x00" * 80), "marking": 10}
    )
    assert refused.status_code == 400
    assert "This type of file cannot be attached." in refused.content.decode()
    accepted = client.post(url, {"file": SimpleUploadedFile("agenda.pdf", PDF), "marking": 10})
    assert accepted.status_code == 302
    assert inclusion_request.attachments.get().content_type == "application/pdf"


def test_download_is_an_attachment_for_allowed_users_only(
    officer: User, other_officer: User, viewer: User, make_request: MakeRequest
) -> None:
    inclusion_request = make_request("draft")
    attachment = services.attachment_add(
        actor=officer, request=inclusion_request, upload=SimpleUploadedFile("agenda.pdf", PDF)
    )
    url = reverse("requests:attachment", args=[attachment.pk])
    assert _client(other_officer).get(url).status_code == 404
    for user in (officer, viewer):
        response = _client(user).get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith("attachment;")
        assert 'filename="agenda.pdf"' in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == PDF


# --- The review queue ---------------------------------------------------------------------------


def test_queue_is_for_reviewers(officer: User, reviewer: User) -> None:
    assert _client(officer).get(reverse("requests:queue")).status_code == 403
    assert _client(reviewer).get(reverse("requests:queue")).status_code == 200


def test_queue_filters_overdue_requests(reviewer: User, make_request: MakeRequest) -> None:
    late = make_request("submitted", due_at=timezone.now() - datetime.timedelta(days=1))
    on_time = make_request("submitted", due_at=timezone.now() + datetime.timedelta(days=5))
    draft = make_request("draft")
    client = _client(reviewer)
    everything = client.get(reverse("requests:queue")).content.decode()
    assert late.reference in everything
    assert on_time.reference in everything
    assert draft.reference not in everything
    overdue = client.get(reverse("requests:queue"), {"overdue": "1"}).content.decode()
    assert late.reference in overdue
    assert on_time.reference not in overdue


def test_queue_query_count_is_the_same_at_1_and_50_rows(
    reviewer: User, make_request: MakeRequest, django_assert_num_queries
) -> None:
    client = _client(reviewer)
    make_request("submitted")
    expected = _count_queries(client, reverse("requests:queue"))
    for _ in range(49):
        make_request("under_review", catalogue_item=CatalogueItemFactory())
    with django_assert_num_queries(expected):
        client.get(reverse("requests:queue"))


def test_bulk_action_runs_each_request_through_the_service_and_reports_failures(
    reviewer: User, make_request: MakeRequest
) -> None:
    under_review = [make_request("under_review") for _ in range(2)]
    still_submitted = make_request("submitted")
    response = _client(reviewer).post(
        reverse("requests:queue_bulk"),
        {
            "requests": [r.pk for r in [*under_review, still_submitted]],
            "action": "recommend",
            "next": "/requests/queue/",
        },
        follow=True,
    )
    assert response.status_code == 200
    statuses = [InclusionRequest.objects.get(pk=r.pk).status for r in [*under_review, still_submitted]]
    assert statuses == ["recommended", "recommended", "submitted"]
    texts = _messages(response)
    assert len(texts) == 3  # one line per request
    assert any(m.startswith(still_submitted.reference) for m in texts)
    assert sum("Done; it is now recommended" in m for m in texts) == 2


def test_bulk_return_needs_a_reason(reviewer: User, make_request: MakeRequest) -> None:
    inclusion_request = make_request("under_review")
    response = _client(reviewer).post(
        reverse("requests:queue_bulk"), {"requests": [inclusion_request.pk], "action": "return"}, follow=True
    )
    assert any("Give the reason" in m for m in _messages(response))
    assert InclusionRequest.objects.get(pk=inclusion_request.pk).status == "under_review"


def test_bulk_actions_cannot_reach_requests_the_reviewer_cannot_see(make_request: MakeRequest) -> None:
    low_clearance_reviewer = UserFactory(roles=["reviewer"], clearance=Marking.PUBLIC)
    hidden = make_request("under_review")
    response = _client(low_clearance_reviewer).post(
        reverse("requests:queue_bulk"), {"requests": [hidden.pk], "action": "recommend"}, follow=True
    )
    assert response.status_code == 200
    assert InclusionRequest.objects.get(pk=hidden.pk).status == "under_review"


def test_queue_marks_each_overdue_review(reviewer: User, make_request: MakeRequest) -> None:
    late = make_request("submitted", due_at=timezone.now() - datetime.timedelta(days=1))
    on_time = make_request("submitted", due_at=timezone.now() + datetime.timedelta(days=5))
    html = _client(reviewer).get(reverse("requests:queue")).content.decode()
    rows = {
        reference: row
        for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
        for reference in (late.reference, on_time.reference)
        if reference in row
    }
    assert "portal-tag--overdue" in rows[late.reference]
    assert "portal-tag--overdue" not in rows[on_time.reference]
