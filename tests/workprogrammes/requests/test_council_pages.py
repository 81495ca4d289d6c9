"""The council secretaries' pages: meetings, agenda builder, decision sheet, silence procedure."""

import datetime
from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from tests.workprogrammes.request_factories import CouncilMeetingFactory
from workprogrammes.council import services
from workprogrammes.council.models import AgendaItem, CouncilMeeting
from workprogrammes.requests.models import InclusionRequest

pytestmark = pytest.mark.django_db

MakeRequest = Callable[..., InclusionRequest]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _statuses(requests: list[InclusionRequest]) -> list[str]:
    return [InclusionRequest.objects.get(pk=r.pk).status for r in requests]


@pytest.mark.parametrize("name", ["reviewer", "officer", "viewer", "administrator"])
def test_council_pages_are_for_secretaries_only(request: pytest.FixtureRequest, name: str) -> None:
    meeting = CouncilMeetingFactory()
    client = _client(request.getfixturevalue(name))
    for url in (
        reverse("council:meetings"),
        reverse("council:meeting", args=[meeting.pk]),
        reverse("council:agenda", args=[meeting.pk]),
        reverse("council:sheet", args=[meeting.pk]),
        reverse("council:silence", args=[meeting.pk]),
    ):
        assert client.get(url).status_code == 403, url


def test_secretary_plans_a_meeting_and_a_duplicate_is_a_field_error(secretary: User) -> None:
    client = _client(secretary)
    data = {"date": "2027-02-03", "reference": "C-M(2027)0004", "kind": "regular", "notes": ""}
    response = client.post(reverse("council:meetings"), data)
    meeting = CouncilMeeting.objects.get()
    assert response["Location"] == reverse("council:meeting", args=[meeting.pk])
    again = client.post(reverse("council:meetings"), data)
    assert again.status_code == 400
    assert 'href="#id_reference"' in again.content.decode()
    assert CouncilMeeting.objects.count() == 1


def test_meetings_list_query_count_is_constant(secretary: User, django_assert_num_queries) -> None:
    client = _client(secretary)
    CouncilMeetingFactory()
    with CaptureQueriesContext(connection) as captured:
        client.get(reverse("council:meetings"))
    for _ in range(49):
        CouncilMeetingFactory()
    with django_assert_num_queries(len(captured)):
        client.get(reverse("council:meetings"))


def test_agenda_builder_adds_the_ticked_requests(secretary: User, make_request: MakeRequest) -> None:
    meeting = CouncilMeetingFactory()
    waiting = [make_request("awaiting_council") for _ in range(3)]
    under_review = make_request("under_review")
    client = _client(secretary)
    page = client.get(reverse("council:agenda", args=[meeting.pk])).content.decode()
    assert all(r.reference in page for r in waiting)
    assert under_review.reference not in page
    response = client.post(
        reverse("council:agenda", args=[meeting.pk]), {"requests": [waiting[0].pk, waiting[2].pk]}
    )
    assert response.status_code == 302
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("request_id", "position")) == [
        (waiting[0].pk, 1),
        (waiting[2].pk, 2),
    ]


def test_decision_sheet_approves_all_except_item_3(secretary: User, make_request: MakeRequest) -> None:
    meeting = CouncilMeetingFactory(date=timezone.localdate())
    requests = [make_request("awaiting_council") for _ in range(4)]
    items = services.agenda_build(actor=secretary, meeting=meeting, requests=requests)
    item_3 = next(item for item in items if item.position == 3)
    client = _client(secretary)
    form_page = client.get(reverse("council:sheet", args=[meeting.pk]))
    assert form_page.status_code == 200
    assert f'name="outcome_{item_3.pk}"' in form_page.content.decode()
    response = client.post(
        reverse("council:sheet", args=[meeting.pk]),
        {
            "default_outcome": "approved",
            "reference": "PO(2027)0031",
            "conditions": "",
            f"outcome_{item_3.pk}": "deferred",
            f"conditions_{item_3.pk}": "Pending the partner's reply.",
        },
    )
    assert response.status_code == 302
    assert _statuses(requests) == ["approved", "approved", "deferred", "approved"]
    assert requests[2].decisions.get().conditions == "Pending the partner's reply."


def test_decision_sheet_without_reference_keeps_the_choices(
    secretary: User, make_request: MakeRequest
) -> None:
    meeting = CouncilMeetingFactory()
    items = services.agenda_build(
        actor=secretary, meeting=meeting, requests=[make_request("awaiting_council") for _ in range(2)]
    )
    response = _client(secretary).post(
        reverse("council:sheet", args=[meeting.pk]),
        {"default_outcome": "rejected", "reference": "", f"outcome_{items[1].pk}": "deferred"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_reference"' in body
    assert '<option value="deferred" selected>' in body
    assert not InclusionRequest.objects.filter(status__in=["rejected", "deferred"]).exists()


def test_silence_pages_start_and_break_silence(secretary: User, make_request: MakeRequest) -> None:
    meeting = CouncilMeetingFactory(kind="silence")
    requests = [make_request("awaiting_council") for _ in range(2)]
    items = services.agenda_build(actor=secretary, meeting=meeting, requests=requests)
    client = _client(secretary)
    deadline = timezone.localtime() + datetime.timedelta(days=2)
    response = client.post(
        reverse("council:silence", args=[meeting.pk]),
        {"items": [item.pk for item in items], "deadline": deadline.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    assert set(AgendaItem.objects.filter(meeting=meeting).values_list("status", flat=True)) == {
        "under_silence"
    }
    page = client.get(reverse("council:silence", args=[meeting.pk])).content.decode()
    assert reverse("council:silence_break", args=[items[0].pk]) in page

    missing = client.post(
        reverse("council:silence_break", args=[items[0].pk]), {"delegation": "", "reason": "x"}
    )
    assert missing.status_code == 400
    assert 'href="#id_delegation"' in missing.content.decode()
    client.post(
        reverse("council:silence_break", args=[items[0].pk]),
        {"delegation": "Delegation of Ruritania", "reason": "Wants a discussion."},
    )
    broken = AgendaItem.objects.get(pk=items[0].pk)
    assert (broken.status, broken.silence_broken_by) == ("silence_broken", "Delegation of Ruritania")


def test_meeting_page_lists_the_agenda(secretary: User, make_request: MakeRequest) -> None:
    meeting = CouncilMeetingFactory()
    inclusion_request = make_request("awaiting_council")
    services.agenda_build(actor=secretary, meeting=meeting, requests=[inclusion_request])
    body = _client(secretary).get(reverse("council:meeting", args=[meeting.pk])).content.decode()
    assert inclusion_request.reference in body
    assert reverse("council:sheet", args=[meeting.pk]) in body
