"""Reassigning overdue reviews (single and bulk, pages and API), escalation with a link to reassign,
one definition of "overdue", and every bulk action the queue offers working on pages and the API."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import Desk, Role, User
from portal.notifications.models import Notification
from portal.notifications.outbox import reminders_send
from tests.api.conftest import token_client
from tests.factories import UserFactory
from workprogrammes import notifications as notification_selectors
from workprogrammes.requests import reassign_services as services
from workprogrammes.requests.forms import BulkActionForm
from workprogrammes.requests.models import InclusionRequest, StatusChange
from workprogrammes.requests.selectors import inclusion_request_queue
from workprogrammes.requests.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db

MakeRequest = Callable[..., InclusionRequest]
URL = "/api/v1/requests/"
LONG_AGO = datetime.timedelta(days=30)


@pytest.fixture
def head(desk: Desk) -> User:
    """The head of the request's desk: the reviewers' lead for its requests."""
    user = UserFactory(username="head", roles=[Role.OFFICER], first_name="Hana", last_name="Head")
    desk.head = user
    desk.save(update_fields=["head"])
    return user


@pytest.fixture
def second_reviewer(db: None) -> User:
    return UserFactory(username="reviewer2", roles=[Role.REVIEWER], first_name="Rui", last_name="Second")


@pytest.fixture
def overdue(make_request: MakeRequest, reviewer: User) -> InclusionRequest:
    return make_request("under_review", reviewer=reviewer, due_at=timezone.now() - LONG_AGO)


def _page(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _session_api(user: User) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


API_CLIENTS: dict[str, Callable[[User], APIClient]] = {"token": token_client, "session": _session_api}


# --- The service ------------------------------------------------------------------------------------


def test_the_desk_head_reassigns_an_overdue_review_and_both_reviewers_are_told(
    head: User,
    reviewer: User,
    second_reviewer: User,
    overdue: InclusionRequest,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.inclusion_request_reassign(
            actor=head, request=overdue, reviewer=second_reviewer, reason="Reviewer on leave."
        )
    overdue.refresh_from_db()
    assert overdue.reviewer == second_reviewer and overdue.status == "under_review"
    assert overdue.due_at > timezone.now()
    change = StatusChange.objects.get(request=overdue)
    assert (change.actor, change.reviewer_from, change.reviewer_to) == (head, reviewer, second_reviewer)
    assert change.reason == "Reviewer on leave."
    told = set(
        Notification.objects.filter(kind="request.reassigned").values_list("recipient__username", flat=True)
    )
    assert told == {"reviewer2", "reviewer"}
    text = Notification.objects.get(kind="request.reassigned", recipient=second_reviewer).text
    assert "Rui Second" in text and "Reviewer on leave." in text


def test_an_administrator_may_reassign_but_a_reviewer_may_not(
    administrator: User, reviewer: User, second_reviewer: User, overdue: InclusionRequest
) -> None:
    with pytest.raises(PermissionDenied):
        services.inclusion_request_reassign(
            actor=second_reviewer, request=overdue, reviewer=second_reviewer, reason="Mine now."
        )
    services.inclusion_request_reassign(
        actor=administrator, request=overdue, reviewer=second_reviewer, reason="Balance the load."
    )
    assert InclusionRequest.objects.get(pk=overdue.pk).reviewer == second_reviewer


def test_reassignment_refuses_non_reviewers_the_submitter_a_missing_reason_and_closed_requests(
    head: User,
    requester: User,
    second_reviewer: User,
    overdue: InclusionRequest,
    make_request: MakeRequest,
) -> None:
    with pytest.raises(ValidationError) as error:
        services.inclusion_request_reassign(actor=head, request=overdue, reviewer=UserFactory(), reason="x")
    assert "reviewer" in error.value.message_dict
    requester.groups.add(*UserFactory(roles=[Role.REVIEWER]).groups.all())
    requester = User.objects.get(pk=requester.pk)
    with pytest.raises(ValidationError) as error:
        services.inclusion_request_reassign(actor=head, request=overdue, reviewer=requester, reason="x")
    assert "requested or submitted" in " ".join(error.value.message_dict["reviewer"])
    with pytest.raises(ValidationError) as error:
        services.inclusion_request_reassign(actor=head, request=overdue, reviewer=second_reviewer, reason=" ")
    assert "reason" in error.value.message_dict
    with pytest.raises(TransitionNotAllowed):
        services.inclusion_request_reassign(
            actor=head, request=make_request("recommended"), reviewer=second_reviewer, reason="Late."
        )
    assert not StatusChange.objects.exists()


# --- Pages ------------------------------------------------------------------------------------------


def test_the_head_reassigns_on_the_page_and_the_timeline_names_both_reviewers(
    head: User, reviewer: User, second_reviewer: User, overdue: InclusionRequest
) -> None:
    client = _page(head)
    detail = client.get(reverse("requests:detail", args=[overdue.reference])).content.decode()
    assert reverse("requests:reassign", args=[overdue.reference]) in detail
    url = reverse("requests:reassign", args=[overdue.reference])
    assert client.get(url).status_code == 200
    missing = client.post(url, {"reviewer": second_reviewer.pk, "reason": ""})
    assert missing.status_code == 400
    response = client.post(url, {"reviewer": second_reviewer.pk, "reason": "Reviewer on leave."})
    assert response.status_code == 302
    timeline = client.get(reverse("requests:detail", args=[overdue.reference])).content.decode()
    assert "Review reassigned from" in timeline and "Rui Second" in timeline


def test_the_reassign_page_is_refused_to_reviewers_and_hidden_from_other_desks(
    reviewer: User, other_officer: User, overdue: InclusionRequest
) -> None:
    url = reverse("requests:reassign", args=[overdue.reference])
    assert _page(reviewer).get(url).status_code == 403
    assert _page(other_officer).get(url).status_code == 404


def test_the_head_reassigns_in_bulk_from_the_queue_with_one_line_per_request(
    head: User, reviewer: User, second_reviewer: User, make_request: MakeRequest
) -> None:
    late = [
        make_request("under_review", reviewer=reviewer, due_at=timezone.now() - LONG_AGO) for _ in range(2)
    ]
    draft = make_request("draft")
    client = _page(head)
    queue = client.get(reverse("requests:queue"), {"overdue": "1"})
    assert queue.status_code == 200
    response = client.post(
        reverse("requests:queue_bulk"),
        {
            "requests": [r.pk for r in [*late, draft]],
            "action": "reassign",
            "reviewer": second_reviewer.pk,
            "reason": "Reviewer on leave.",
        },
        follow=True,
    )
    lines = [str(m) for m in response.context["messages"]]
    assert len(lines) == 3
    assert [r.reviewer_id for r in InclusionRequest.objects.filter(pk__in=[r.pk for r in late])] == [
        second_reviewer.pk
    ] * 2
    assert any(line.startswith(draft.reference) and "Done" not in line for line in lines)


# --- Every bulk action the queue offers works, on the page and through the API ----------------------

STARTING_STATUS = {
    "start_review": "submitted",
    "recommend": "under_review",
    "not_recommend": "under_review",
    "return": "under_review",
    "reassign": "under_review",
}
EXPECTED_STATUS = {
    "start_review": "under_review",
    "recommend": "recommended",
    "not_recommend": "not_recommended",
    "return": "returned",
    "reassign": "under_review",
}
BULK_CHOICES = [value for value, _label in BulkActionForm.base_fields["action"].choices]  # type: ignore[attr-defined]


def _offered(user: User) -> set[str]:
    page = _page(user).get(reverse("requests:queue")).content.decode()
    return {action for action in BULK_CHOICES if f'<option value="{action}">' in page}


def test_the_queue_offers_exactly_the_actions_that_are_tested(
    reviewer: User, head: User, make_request: MakeRequest
) -> None:
    make_request("submitted")
    assert _offered(reviewer) | _offered(head) == set(BULK_CHOICES) == set(STARTING_STATUS)


def test_the_queue_offers_each_user_only_the_bulk_actions_their_roles_take(
    reviewer: User, head: User, administrator: User, secretary: User, make_request: MakeRequest
) -> None:
    request = make_request("submitted")
    assert _offered(reviewer) == {"start_review", "recommend", "not_recommend", "return"}
    assert _offered(head) == _offered(administrator) == {"reassign"}
    # A secretary reads the queue but has nothing to do in bulk: no checkboxes, no actions.
    page = _page(secretary).get(reverse("requests:queue")).content.decode()
    assert request.reference in page
    assert f'id="pick-{request.pk}"' not in page and 'name="action"' not in page
    reviewer_page = _page(reviewer).get(reverse("requests:queue")).content.decode()
    assert f'id="pick-{request.pk}"' in reviewer_page and 'id="bulk-reviewer"' not in reviewer_page
    # An action not offered is refused as a whole, and nothing changes.
    response = _page(head).post(
        reverse("requests:queue_bulk"), {"requests": [request.pk], "action": "start_review"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert InclusionRequest.objects.get(pk=request.pk).status == "submitted"


def _bulk_actor(action: str, reviewer: User, administrator: User) -> User:
    return administrator if action == "reassign" else reviewer


@pytest.mark.parametrize("action", sorted(STARTING_STATUS))
def test_every_bulk_action_works_on_the_queue_page(
    action: str, reviewer: User, administrator: User, second_reviewer: User, make_request: MakeRequest
) -> None:
    requests = [make_request(STARTING_STATUS[action], reviewer=reviewer) for _ in range(2)]
    response = _page(_bulk_actor(action, reviewer, administrator)).post(
        reverse("requests:queue_bulk"),
        {
            "requests": [r.pk for r in requests],
            "action": action,
            "reason": "Checked.",
            "reviewer": second_reviewer.pk,
        },
        follow=True,
    )
    lines = [str(m) for m in response.context["messages"]]
    assert len(lines) == 2, lines
    assert all("Done" in line for line in lines), lines
    assert [InclusionRequest.objects.get(pk=r.pk).status for r in requests] == [EXPECTED_STATUS[action]] * 2


@pytest.mark.parametrize("surface", sorted(API_CLIENTS))
@pytest.mark.parametrize("action", sorted(STARTING_STATUS))
def test_every_bulk_action_works_through_the_api(
    surface: str,
    action: str,
    reviewer: User,
    administrator: User,
    second_reviewer: User,
    make_request: MakeRequest,
) -> None:
    requests = [make_request(STARTING_STATUS[action], reviewer=reviewer) for _ in range(2)]
    wrong = make_request("draft")
    client = API_CLIENTS[surface](_bulk_actor(action, reviewer, administrator))
    response = client.post(
        f"{URL}bulk/",
        {
            "action": action,
            "requests": [r.pk for r in [*requests, wrong]],
            "reason": "Checked.",
            "reviewer": "reviewer2",
        },
        format="json",
    )
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    assert [row["id"] for row in results] == [r.pk for r in [*requests, wrong]]
    assert [row["done"] for row in results] == [True, True, False]
    assert [row["status"] for row in results[:2]] == [EXPECTED_STATUS[action]] * 2
    assert results[2]["message"]


REASON_NEEDED = "Give the reason; it is recorded on each request."


def test_a_bulk_return_without_a_reason_is_refused_by_field_on_both_surfaces(
    reviewer: User, make_request: MakeRequest
) -> None:
    """The bulk service asks for the reason; the page shows its message, the API answers 400 with it
    on the field, and no request changes."""
    request = make_request("under_review", reviewer=reviewer)
    response = _page(reviewer).post(
        reverse("requests:queue_bulk"), {"requests": [request.pk], "action": "return"}, follow=True
    )
    assert [str(m) for m in response.context["messages"]] == [REASON_NEEDED]
    response = token_client(reviewer).post(
        f"{URL}bulk/", {"action": "return", "requests": [request.pk]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["fields"]["reason"] == [REASON_NEEDED]
    assert InclusionRequest.objects.get(pk=request.pk).status == "under_review"


def test_bulk_api_answers_404_for_a_request_one_may_not_see_and_changes_nothing(
    other_officer: User, reviewer: User, make_request: MakeRequest
) -> None:
    visible = make_request("submitted")
    response = token_client(other_officer).post(
        f"{URL}bulk/", {"action": "start_review", "requests": [visible.pk]}, format="json"
    )
    assert response.status_code == 403
    low = UserFactory(roles=[Role.REVIEWER], clearance=0)
    response = token_client(low).post(
        f"{URL}bulk/", {"action": "start_review", "requests": [visible.pk]}, format="json"
    )
    assert response.status_code == 404
    assert InclusionRequest.objects.get(pk=visible.pk).status == "submitted"


@pytest.mark.parametrize("surface", sorted(API_CLIENTS))
def test_reassign_through_the_api(
    surface: str, head: User, reviewer: User, second_reviewer: User, overdue: InclusionRequest
) -> None:
    client = API_CLIENTS[surface](head)
    refused = API_CLIENTS[surface](reviewer).post(
        f"{URL}{overdue.pk}/reassign/", {"reviewer": "reviewer2", "reason": "Leave."}, format="json"
    )
    assert refused.status_code == 403
    response = client.post(
        f"{URL}{overdue.pk}/reassign/", {"reviewer": "reviewer2", "reason": "Leave."}, format="json"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["reviewer"]["username"] == "reviewer2"
    assert body["timeline"][-1]["reviewer_from"]["username"] == "reviewer"
    assert body["timeline"][-1]["reviewer_to"]["username"] == "reviewer2"


# --- Escalation and the one definition of overdue ---------------------------------------------------


def test_escalation_tells_the_desk_head_with_a_link_to_reassign(
    head: User,
    reviewer: User,
    overdue: InclusionRequest,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ESCALATION_DAYS = 5
    with django_capture_on_commit_callbacks(execute=True):
        counts = reminders_send(now=timezone.now())
    assert counts["reminder.review_escalated"] == 1
    notification = Notification.objects.get(kind="reminder.review_escalated", recipient=head)
    assert notification.url == reverse("requests:reassign", args=[overdue.reference])
    assert _page(head).get(notification.url).status_code == 200
    # The reviewers told of it may not reassign: their link is the request's page, which they may open.
    told_reviewer = Notification.objects.get(kind="reminder.review_escalated", recipient=reviewer)
    assert told_reviewer.url == reverse("requests:detail", args=[overdue.reference])
    assert _page(reviewer).get(told_reviewer.url).status_code == 200


def test_overdue_means_the_same_in_the_queue_the_api_the_dashboard_and_the_reminders(
    reviewer: User, make_request: MakeRequest, settings: Any
) -> None:
    now = timezone.now()
    past_due = make_request("under_review", due_at=now - datetime.timedelta(days=1))
    # Recorded before due times existed: due REVIEW_SERVICE_LEVEL_DAYS after submission.
    legacy = make_request(
        "submitted",
        due_at=None,
        submitted_at=now - datetime.timedelta(days=settings.REVIEW_SERVICE_LEVEL_DAYS + 1),
    )
    make_request("under_review", due_at=now + datetime.timedelta(days=1))
    make_request("recommended", due_at=now - datetime.timedelta(days=1))
    expected = {past_due.pk, legacy.pk}
    assert {r.pk for r in inclusion_request_queue(user=reviewer, overdue=True, now=now)} == expected
    assert {r.pk for r, _due in notification_selectors.requests_review_overdue(now=now)} == expected
    api = token_client(reviewer).get(URL, {"overdue": "true"}).json()["results"]
    assert {row["id"] for row in api} == expected
    from portal.reports.panels import reviewer_panel

    assert reviewer_panel(user=reviewer, now=now).overdue_total == 2
