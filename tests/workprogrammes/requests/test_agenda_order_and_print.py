"""The secretary reorders and removes agenda items of a planned meeting, and prints agenda and decisions."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from tests.workprogrammes.request_factories import CouncilMeetingFactory
from workprogrammes.council import decision_services
from workprogrammes.council import services as council_services
from workprogrammes.council.models import AgendaItem, CouncilMeeting
from workprogrammes.requests.models import InclusionRequest
from workprogrammes.requests.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db

MakeRequest = Callable[..., InclusionRequest]


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _order(meeting: CouncilMeeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("request__reference", flat=True))


def _agenda(
    secretary: User, make_request: MakeRequest, count: int = 3
) -> tuple[CouncilMeeting, list[AgendaItem]]:
    meeting = CouncilMeetingFactory()
    requests = [make_request("awaiting_council") for _ in range(count)]
    return meeting, council_services.agenda_build(actor=secretary, meeting=meeting, requests=requests)


def _meets_today(meeting: CouncilMeeting) -> None:
    """The meeting takes place today: its decisions can be recorded (not before its date)."""
    CouncilMeeting.objects.filter(pk=meeting.pk).update(date=timezone.localdate())
    meeting.refresh_from_db()


def test_moving_an_item_up_swaps_it_with_the_one_above(secretary: User, make_request: MakeRequest) -> None:
    meeting, items = _agenda(secretary, make_request)
    first, second, third = (item.request.reference for item in items)
    response = _client(secretary).post(reverse("council:item_move", args=[items[2].pk]), {"direction": "up"})
    assert response.status_code == 302
    assert _order(meeting) == [first, third, second]
    assert list(meeting.agenda_items.order_by("position").values_list("position", flat=True)) == [1, 2, 3]


def test_moving_the_first_item_up_changes_nothing(secretary: User, make_request: MakeRequest) -> None:
    meeting, items = _agenda(secretary, make_request)
    before = _order(meeting)
    council_services.agenda_item_move(actor=secretary, item=items[0], direction="up")
    assert _order(meeting) == before


def test_removing_an_item_renumbers_the_agenda_and_the_request_still_awaits(
    secretary: User, make_request: MakeRequest
) -> None:
    meeting, items = _agenda(secretary, make_request)
    client = _client(secretary)
    response = client.post(reverse("council:item_remove", args=[items[0].pk]), follow=True)
    assert response.status_code == 200
    assert f"{items[0].request.reference} is off the agenda" in response.content.decode()
    assert _order(meeting) == [items[1].request.reference, items[2].request.reference]
    assert list(meeting.agenda_items.values_list("position", flat=True).order_by("position")) == [1, 2]
    assert InclusionRequest.objects.get(pk=items[0].request.pk).status == "awaiting_council"
    # It can be put on the agenda again.
    council_services.agenda_build(actor=secretary, meeting=meeting, requests=[items[0].request])


def test_a_held_meetings_agenda_cannot_be_changed(secretary: User, make_request: MakeRequest) -> None:
    meeting, items = _agenda(secretary, make_request)
    CouncilMeeting.objects.filter(pk=meeting.pk).update(status="held")
    with pytest.raises(TransitionNotAllowed):
        council_services.agenda_item_remove(actor=secretary, item=items[0])
    with pytest.raises(TransitionNotAllowed):
        council_services.agenda_item_move(actor=secretary, item=items[1], direction="up")
    assert len(_order(meeting)) == 3


def test_only_secretaries_reorder_or_remove(
    reviewer: User, secretary: User, make_request: MakeRequest
) -> None:
    meeting, items = _agenda(secretary, make_request)
    client = _client(reviewer)
    assert client.post(reverse("council:item_remove", args=[items[0].pk])).status_code == 403
    assert (
        client.post(reverse("council:item_move", args=[items[1].pk]), {"direction": "up"}).status_code == 403
    )
    assert len(_order(meeting)) == 3


def test_the_meeting_page_offers_up_down_and_remove_while_planned(
    secretary: User, make_request: MakeRequest
) -> None:
    meeting, items = _agenda(secretary, make_request)
    html = _client(secretary).get(reverse("council:meeting", args=[meeting.pk])).content.decode()
    assert reverse("council:item_move", args=[items[1].pk]) in html
    assert reverse("council:item_remove", args=[items[1].pk]) in html
    assert reverse("council:print", args=[meeting.pk]) in html


def test_the_printable_agenda_and_decision_sheet_lists_items_and_decisions(
    secretary: User, make_request: MakeRequest
) -> None:
    meeting, items = _agenda(secretary, make_request, count=2)
    _meets_today(meeting)
    decision_services.council_sheet_record(
        actor=secretary, meeting=meeting, default_outcome="approved", reference="PO(27)1"
    )
    response = _client(secretary).get(reverse("council:print", args=[meeting.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert all(item.request.reference in html for item in items)
    assert "PO(27)1" in html
    assert "data-portal-print" in html


def test_the_request_page_shows_the_councils_decision_at_the_top(
    secretary: User, officer: User, make_request: MakeRequest
) -> None:
    meeting, items = _agenda(secretary, make_request, count=1)
    _meets_today(meeting)
    decision_services.council_sheet_record(
        actor=secretary,
        meeting=meeting,
        default_outcome="approved",
        reference="PO(27)9",
        conditions="Two places.",
    )
    request = items[0].request
    html = _client(secretary).get(reverse("requests:detail", args=[request.reference])).content.decode()
    top = html.split('class="usa-step-indicator')[0]
    assert 'aria-labelledby="decision-title"' in top
    assert "PO(27)9" in top and meeting.reference in top and "Two places." in top
