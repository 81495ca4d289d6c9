"""Implausible input is refused with a reason, by the services that page and API share: request dates
outside a year ago to five years ahead, activities longer than two years, case texts of a few letters,
Council meetings far in the past or future, a meeting's decisions recorded before its date, a silence
procedure running more than thirty days."""

from __future__ import annotations

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import User
from tests.api.conftest import token_client
from tests.factories import CatalogueItemFactory
from tests.workprogrammes.request_factories import CouncilMeetingFactory
from workprogrammes.council import decision_services, silence_services
from workprogrammes.council import services as council_services
from workprogrammes.council.models import SILENCE_LONGEST, AgendaItem, CouncilMeeting
from workprogrammes.requests import services
from workprogrammes.requests.models import InclusionRequest
from workprogrammes.requests.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db

MakeRequest = Callable[..., InclusionRequest]
JUSTIFICATION = "Builds interoperability with a partner that contributes to operations."
BENEFIT = "The partner shares lessons from its deployments; Allies offer training places."


def _in(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def test_the_reported_request_is_refused_field_by_field(officer: User, partner) -> None:
    """0001-01-01 to 9999-12-31, one-letter texts: each field says what is wrong."""
    with pytest.raises(ValidationError) as error:
        services.inclusion_request_create(
            actor=officer,
            partner=partner,
            catalogue_item=CatalogueItemFactory(),
            start_date=datetime.date(1, 1, 1),
            end_date=datetime.date(9999, 12, 31),
            justification="x",
            mutual_benefit="y",
        )
    assert {"start_date", "end_date", "justification", "mutual_benefit"} <= set(error.value.message_dict)
    assert not InclusionRequest.objects.exists()


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (-400, -398, "start_date"),  # more than a year ago
        (5 * 365 + 10, 5 * 365 + 12, "start_date"),  # more than five years ahead
        (30, 30 + 2 * 365 + 5, "end_date"),  # longer than two years
    ],
)
def test_dates_outside_the_window_are_refused(
    officer: User, partner, start: int, end: int, field: str
) -> None:
    with pytest.raises(ValidationError) as error:
        services.inclusion_request_create(
            actor=officer,
            partner=partner,
            catalogue_item=CatalogueItemFactory(),
            start_date=_in(start),
            end_date=_in(end),
            justification=JUSTIFICATION,
            mutual_benefit=BENEFIT,
        )
    assert field in error.value.message_dict


def test_dates_inside_the_window_are_accepted(officer: User, partner) -> None:
    request = services.inclusion_request_create(
        actor=officer,
        partner=partner,
        catalogue_item=CatalogueItemFactory(),
        start_date=_in(-300),
        end_date=_in(-300 + 2 * 365),
        justification=JUSTIFICATION,
        mutual_benefit=BENEFIT,
    )
    assert request.pk is not None


def test_an_edit_to_a_short_text_is_refused(officer: User, make_request: MakeRequest) -> None:
    request = make_request("draft")
    with pytest.raises(ValidationError) as error:
        services.inclusion_request_update(actor=officer, request=request, justification="Too short.")
    assert "justification" in error.value.message_dict
    assert InclusionRequest.objects.get(pk=request.pk).justification == request.justification


def test_the_api_answers_400_with_each_field(officer: User, partner) -> None:
    response = token_client(officer).post(
        "/api/v1/requests/",
        {
            "partner": partner.iso_code,
            "catalogue_item": CatalogueItemFactory().pk,
            "start_date": "0001-01-01",
            "end_date": "9999-12-31",
            "justification": "x",
            "mutual_benefit": "y",
        },
        format="json",
    )
    assert response.status_code == 400
    assert {"justification", "mutual_benefit"} <= set(response.json()["error"]["fields"])
    dates_only = token_client(officer).post(
        "/api/v1/requests/",
        {
            "partner": partner.iso_code,
            "catalogue_item": CatalogueItemFactory().pk,
            "start_date": "0001-01-01",
            "end_date": "9999-12-31",
            "justification": JUSTIFICATION,
            "mutual_benefit": BENEFIT,
        },
        format="json",
    )
    assert dates_only.status_code == 400
    assert {"start_date", "end_date"} <= set(dates_only.json()["error"]["fields"])


def test_the_page_states_the_window_and_keeps_what_was_typed(officer: User, partner) -> None:
    client = Client()
    client.force_login(officer)
    earliest, latest = _in(-365), _in(5 * 365)
    form = client.get(reverse("requests:create")).content.decode()
    assert f'min="{earliest.isoformat()}"' in form and f'max="{latest.isoformat()}"' in form
    assert "a year ago to five years ahead" in form
    officer.preferred_language = "fr"
    officer.save(update_fields=["preferred_language"])
    in_french = Client()
    in_french.force_login(officer)
    assert "il y a un an à cinq ans" in in_french.get(reverse("requests:create")).content.decode()
    response = client.post(
        reverse("requests:create"),
        {
            "partner": partner.pk,
            "catalogue_item": CatalogueItemFactory().pk,
            "start_date": "1950-01-01",
            "end_date": "1950-01-05",
            "justification": JUSTIFICATION,
            "mutual_benefit": BENEFIT,
            "marking": 10,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert 'href="#id_start_date_0"' in response.content.decode()  # the date's first box, the day
    assert JUSTIFICATION in response.content.decode()


# --- Council meetings -----------------------------------------------------------------------------


def test_a_meeting_in_1950_is_refused(secretary: User) -> None:
    with pytest.raises(ValidationError) as error:
        council_services.council_meeting_create(
            actor=secretary, date=datetime.date(1950, 1, 1), reference="C-M(1950)1"
        )
    assert "date" in error.value.message_dict
    for days in (-366, 2 * 365 + 1):
        with pytest.raises(ValidationError):
            council_services.council_meeting_create(
                actor=secretary, date=_in(days), reference=f"C-M(X){days}"
            )
    assert council_services.council_meeting_create(
        actor=secretary, date=_in(-30), reference="C-M(2026)0031"
    ).pk
    response = token_client(secretary).post(
        "/api/v1/council/meetings/", {"date": "1950-01-01", "reference": "C-M(1950)2"}, format="json"
    )
    assert response.status_code == 400
    assert "date" in response.json()["error"]["fields"]
    client = Client()
    client.force_login(secretary)
    page = client.post(
        reverse("council:meetings"), {"date": "1950-01-01", "reference": "C-M(1950)3", "kind": "regular"}
    )
    assert page.status_code == 400
    assert "a year ago to two years ahead" in page.content.decode()
    assert not CouncilMeeting.objects.filter(date__year=1950).exists()


def test_a_meeting_is_held_only_on_or_after_its_date(make_request: MakeRequest, secretary: User) -> None:
    """Recording decisions on 3 Dec for a meeting of 17 Dec does not mark it held."""
    meeting = CouncilMeetingFactory(date=datetime.date(2026, 12, 17))
    request = make_request("awaiting_council")
    council_services.agenda_build(actor=secretary, meeting=meeting, requests=[request])
    early = timezone.make_aware(datetime.datetime(2026, 12, 3, 10, 0))
    with pytest.raises(TransitionNotAllowed) as error:
        decision_services.council_sheet_record(
            actor=secretary, meeting=meeting, default_outcome="approved", reference="PO/1", now=early
        )
    assert error.value.code == "meeting_not_yet_held"
    with pytest.raises(TransitionNotAllowed):
        decision_services.council_decision_record(
            actor=secretary, request=request, outcome="approved", reference="PO/1", meeting=meeting, now=early
        )
    assert CouncilMeeting.objects.get(pk=meeting.pk).status == "planned"
    assert InclusionRequest.objects.get(pk=request.pk).status == "awaiting_council"
    on_the_day = timezone.make_aware(datetime.datetime(2026, 12, 17, 16, 0))
    decision_services.council_sheet_record(
        actor=secretary, meeting=meeting, default_outcome="approved", reference="PO/1", now=on_the_day
    )
    assert CouncilMeeting.objects.get(pk=meeting.pk).status == "held"


def test_the_api_answers_409_for_a_sheet_before_the_meeting(
    make_request: MakeRequest, secretary: User
) -> None:
    meeting = CouncilMeetingFactory(date=_in(10))
    council_services.agenda_build(
        actor=secretary, meeting=meeting, requests=[make_request("awaiting_council")]
    )
    client = token_client(secretary)
    etag = client.get(f"/api/v1/council/meetings/{meeting.pk}/")["ETag"]
    response = client.post(
        f"/api/v1/council/meetings/{meeting.pk}/sheet/",
        {"default_outcome": "approved", "reference": "PO/2"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "meeting_not_yet_held"


# --- The silence procedure's deadline -------------------------------------------------------------


def test_a_silence_deadline_more_than_thirty_days_ahead_is_refused_everywhere(
    make_request: MakeRequest, secretary: User
) -> None:
    """9999-12-31 would hold the request for good: no decision is recorded while silence runs."""
    meeting = CouncilMeetingFactory(date=timezone.localdate(), kind="silence")
    [item] = council_services.agenda_build(
        actor=secretary, meeting=meeting, requests=[make_request("awaiting_council")]
    )
    far = timezone.make_aware(datetime.datetime(9999, 12, 30, 12, 0))
    for deadline in (far, timezone.now() + SILENCE_LONGEST + datetime.timedelta(hours=1)):
        with pytest.raises(ValidationError) as error:
            silence_services.silence_start(actor=secretary, items=[item], deadline=deadline)
        assert "at most 30 days" in " ".join(error.value.message_dict["deadline"])

    client = token_client(secretary)
    etag = client.get(f"/api/v1/council/meetings/{meeting.pk}/")["ETag"]
    api = client.post(
        f"/api/v1/council/meetings/{meeting.pk}/silence/",
        {"items": [item.pk], "deadline": "9999-12-30T12:00:00Z"},
        format="json",
        HTTP_IF_MATCH=etag,
    )
    assert api.status_code == 400
    assert "deadline" in api.json()["error"]["fields"]

    page = Client()
    page.force_login(secretary)
    url = reverse("council:silence", args=[meeting.pk])
    assert "at most 30 days from now" in page.get(url).content.decode()
    refused = page.post(url, {"items": [item.pk], "deadline": "9999-12-30T12:00"})
    assert refused.status_code == 400
    assert "A silence procedure lasts at most 30 days" in refused.content.decode()
    secretary.preferred_language = "fr"
    secretary.save(update_fields=["preferred_language"])
    in_french = Client()
    in_french.force_login(secretary)
    assert "30\u00a0jours" in in_french.get(url).content.decode()
    assert (
        "30\u00a0jours"
        in in_french.post(url, {"items": [item.pk], "deadline": "9999-12-30T12:00"}).content.decode()
    )
    assert AgendaItem.objects.get(pk=item.pk).status == "scheduled"

    within = timezone.now() + SILENCE_LONGEST - datetime.timedelta(hours=1)
    silence_services.silence_start(actor=secretary, items=[item], deadline=within)
    assert AgendaItem.objects.get(pk=item.pk).status == "under_silence"
