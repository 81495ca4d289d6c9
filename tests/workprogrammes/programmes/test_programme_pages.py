"""The programme builder's pages: start, catalogue menu, activities, lifecycle steps, activity outcome."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.core.models import Marking
from tests.factories import (
    CatalogueItemFactory,
    CooperationAreaFactory,
    ProgrammeActivityFactory,
    UserFactory,
    WorkProgrammeFactory,
)
from workprogrammes.programmes import activity_services, workflow_services
from workprogrammes.programmes.models import Objective, ProgrammeActivity, WorkProgramme
from workprogrammes.requests.models import InclusionRequest

from .conftest import agreed_programme

A = ProgrammeActivity.Status


# Case texts long enough for an inclusion request (at least 20 characters each).
JUSTIFICATION = "Builds interoperability with partner forces."
BENEFIT = "Shared lessons from deployments; training places."


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_url(programme) -> str:
    return reverse("programmes:detail", args=[programme.pk])


# --- Starting -----------------------------------------------------------------------------------


def test_officer_starts_an_empty_programme_from_the_page(officer, partner) -> None:
    client = client_for(officer)
    assert client.get(reverse("programmes:start")).status_code == 200

    response = client.post(
        reverse("programmes:start"),
        {"partner": partner.pk, "year": "2027", "start": "empty", "kind": "itcp", "marking": "10"},
    )

    programme = WorkProgramme.objects.get(partner=partner, year=2027)
    assert response.status_code == 302 and response["Location"] == detail_url(programme)


def test_officer_copies_last_years_programme_from_the_page(officer, partner) -> None:
    last = agreed_programme(partner, year=2026)
    ProgrammeActivityFactory(
        programme=last,
        title_en="Staff talks",
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 4, 2),
        status=A.REPORTED,
    )

    response = client_for(officer).post(
        reverse("programmes:start"),
        {"partner": partner.pk, "year": "2027", "start": "copy", "kind": "itcp", "marking": "10"},
    )

    assert response.status_code == 302
    copy = WorkProgramme.objects.get(partner=partner, year=2027).activities.get()
    assert (copy.title_en, copy.start_date, copy.status) == (
        "Staff talks",
        datetime.date(2027, 4, 1),
        A.PLANNED,
    )


def test_copy_without_last_year_is_an_error_on_the_form(officer, partner) -> None:
    response = client_for(officer).post(
        reverse("programmes:start"),
        {"partner": partner.pk, "year": "2027", "start": "copy", "kind": "itcp", "marking": "10"},
    )
    assert response.status_code == 400
    assert "has no programme for 2026 to copy" in response.content.decode()


def test_officer_cannot_start_a_programme_for_another_desks_partner(other_officer, partner) -> None:
    response = client_for(other_officer).post(
        reverse("programmes:start"),
        {"partner": partner.pk, "year": "2027", "start": "empty", "kind": "itcp", "marking": "10"},
    )
    assert response.status_code == 400  # the partner is not among their choices
    assert not WorkProgramme.objects.exists()


def test_viewer_cannot_open_the_builder(viewer_client, partner) -> None:
    programme = WorkProgrammeFactory(partner=partner, year=2027)
    assert viewer_client.get(reverse("programmes:start")).status_code == 403
    assert viewer_client.get(reverse("programmes:catalogue_menu", args=[programme.pk])).status_code == 403
    html = viewer_client.get(detail_url(programme)).content.decode()
    assert "Add activities from the catalogue" not in html


# --- The catalogue menu and adding activities ---------------------------------------------------


def test_menu_offers_only_current_items_and_filters_by_area_kind_and_search(officer, partner) -> None:
    programme = WorkProgrammeFactory(partner=partner, year=2027)
    language = CooperationAreaFactory(code="language", name_en="Language training")
    CatalogueItemFactory(
        code="LNG-1",
        title_en="English for staff officers",
        title_fr="Anglais pour officiers",
        area=language,
        kind="language",
    )
    CatalogueItemFactory(code="EX-1", title_en="Steadfast exercise", kind="exercise")
    CatalogueItemFactory(code="OLD-1", title_en="Retired course", deactivated_on=datetime.date(2020, 1, 1))
    CatalogueItemFactory(code="SEC-1", title_en="Secret course", marking=Marking.NATO_SECRET)
    client = client_for(officer)
    url = reverse("programmes:catalogue_menu", args=[programme.pk])

    html = client.get(url).content.decode()
    assert "LNG-1" in html and "EX-1" in html
    assert "OLD-1" not in html and "SEC-1" not in html
    assert "EX-1" not in client.get(url, {"area": "language"}).content.decode()
    assert "LNG-1" not in client.get(url, {"kind": "exercise"}).content.decode()
    found = client.get(url, {"q": "anglais"}).content.decode()
    assert "LNG-1" in found and "EX-1" not in found


def test_officer_adds_an_activity_with_dates_place_lead_and_objective(officer, partner, council_item) -> None:
    programme = WorkProgrammeFactory(partner=partner, year=2027)
    url = reverse("programmes:activity_add", args=[programme.pk, council_item.pk])
    client = client_for(officer)
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "title_en": "",
            "objective": Objective.SUPPORT_FOR_OPERATIONS,
            "start_date": "2027-03-01",
            "end_date": "2027-03-12",
            "place": "Grafenwöhr",
            "lead": "JFC Brunssum",
            "marking": "10",
        },
    )

    assert response.status_code == 302
    activity = programme.activities.get()
    assert (activity.title_en, activity.place, activity.lead) == (
        "Exercise Steadfast",
        "Grafenwöhr",
        "JFC Brunssum",
    )


def test_bad_dates_are_reported_and_the_input_kept(officer, partner, council_item) -> None:
    programme = WorkProgrammeFactory(partner=partner, year=2027)
    response = client_for(officer).post(
        reverse("programmes:activity_add", args=[programme.pk, council_item.pk]),
        {
            "title_en": "Typed title",
            "objective": Objective.SECURITY_COOPERATION,
            "start_date": "2027-03-12",
            "end_date": "2027-03-01",
            "place": "Mons",
            "marking": "10",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html and 'value="Typed title"' in html
    assert not programme.activities.exists()


def test_officer_of_another_desk_gets_403_on_every_builder_page(other_officer, partner, council_item) -> None:
    programme = WorkProgrammeFactory(partner=partner, year=2027)
    activity = ProgrammeActivityFactory(
        programme=programme, start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 3, 2)
    )
    client = client_for(other_officer)
    for url in (
        reverse("programmes:edit", args=[programme.pk]),
        reverse("programmes:catalogue_menu", args=[programme.pk]),
        reverse("programmes:activity_add", args=[programme.pk, council_item.pk]),
        reverse("programmes:step", args=[programme.pk, "propose"]),
        reverse("programmes:activity_edit", args=[activity.pk]),
        reverse("programmes:activity_step", args=[activity.pk, "confirm"]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("programmes:activity_remove", args=[activity.pk])).status_code == 403
    assert client.post(reverse("programmes:step", args=[programme.pk, "propose"]), {}).status_code == 403
    programme.refresh_from_db()
    assert programme.status == WorkProgramme.Status.DRAFT and programme.activities.count() == 1


# --- Lifecycle pages ----------------------------------------------------------------------------


def test_propose_page_lists_the_requests_it_will_create_and_creates_them(officer, draft) -> None:
    client = client_for(officer)
    url = reverse("programmes:step", args=[draft.pk, "propose"])
    page = client.get(url).content.decode()
    assert "Steadfast 2027" in page and "Course 2027" not in page

    response = client.post(
        url, {"justification": "Operational relevance.", "mutual_benefit": "Reciprocity in training places."}
    )

    assert response.status_code == 302
    assert InclusionRequest.objects.get().programme_activity.title_en == "Steadfast 2027"
    draft.refresh_from_db()
    assert draft.status == WorkProgramme.Status.PROPOSED


def test_a_step_the_status_does_not_allow_is_an_error_on_the_page(officer, draft) -> None:
    response = client_for(officer).post(reverse("programmes:step", args=[draft.pk, "close"]), {"reason": ""})
    assert response.status_code == 400
    assert "not possible" in response.content.decode()


def test_agree_page_records_date_and_reference(officer, draft) -> None:
    workflow_services.programme_propose(
        actor=officer, programme=draft, justification=JUSTIFICATION, mutual_benefit=BENEFIT
    )
    yesterday = timezone.localdate() - datetime.timedelta(days=1)

    response = client_for(officer).post(
        reverse("programmes:step", args=[draft.pk, "agree"]),
        {"agreed_on": yesterday.isoformat(), "agreement_reference": "ITCP/2027/JP"},
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.agreed_on, draft.agreement_reference) == (yesterday, "ITCP/2027/JP")
    page = client_for(officer).get(detail_url(draft)).content.decode()
    assert "Proposed → Agreed" in page  # the timeline


def test_amendment_page_keeps_the_old_version_and_the_programme_shows_the_difference(
    officer, partner
) -> None:
    programme = agreed_programme(partner, year=2027)
    activity = ProgrammeActivityFactory(
        programme=programme,
        title_en="Staff talks",
        place="Brussels",
        start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 3, 2),
    )
    client = client_for(officer)
    form = {
        "title_en": "Staff talks",
        "objective": activity.objective,
        "start_date": "2027-03-01",
        "end_date": "2027-03-02",
        "place": "Mons",
        "lead": "",
        "marking": "10",
    }

    no_reason = client.post(reverse("programmes:activity_edit", args=[activity.pk]), form)
    assert no_reason.status_code == 400
    response = client.post(
        reverse("programmes:activity_edit", args=[activity.pk]), {**form, "reason": "Venue moved to SHAPE"}
    )

    assert response.status_code == 302
    html = client.get(detail_url(programme)).content.decode()
    assert "Amendment 1" in html and "Venue moved to SHAPE" in html
    assert "<del>Brussels</del> → <ins>Mons</ins>" in html


def test_activity_outcome_is_recorded_from_its_page(officer, partner) -> None:
    programme = agreed_programme(partner, year=2025)
    activity = ProgrammeActivityFactory(
        programme=programme,
        start_date=datetime.date(2025, 3, 1),
        end_date=datetime.date(2025, 3, 5),
        status=A.HELD,
    )
    client = client_for(officer)
    url = reverse("programmes:activity_step", args=[activity.pk, "outcome"])

    bad = client.post(url, {"participants": "12", "rating": "9", "lessons": "Keep this text"})
    assert bad.status_code == 400 and "Keep this text" in bad.content.decode()
    response = client.post(url, {"participants": "12", "rating": "4", "lessons": "Interpreters early."})

    assert response.status_code == 302
    page = client.get(reverse("programmes:activity_detail", args=[activity.pk])).content.decode()
    assert "4 out of 5" in page and "Interpreters early." in page
    activity.refresh_from_db()
    assert activity.status == A.REPORTED


def test_cancel_needs_a_reason_on_the_page(officer, partner) -> None:
    programme = agreed_programme(partner, year=2027)
    activity = ProgrammeActivityFactory(
        programme=programme, start_date=datetime.date(2027, 3, 1), end_date=datetime.date(2027, 3, 2)
    )
    url = reverse("programmes:activity_step", args=[activity.pk, "cancel"])
    assert client_for(officer).post(url, {"reason": ""}).status_code == 400
    assert client_for(officer).post(url, {"reason": "Partner withdrew"}).status_code == 302
    activity.refresh_from_db()
    assert activity.status == A.CANCELLED


# --- Coverage -----------------------------------------------------------------------------------


def test_programme_page_counts_activities_per_chosen_area_and_flags_empty_ones(
    viewer_client, partner
) -> None:
    language = CooperationAreaFactory(code="language", name_en="Language training")
    exercises = CooperationAreaFactory(code="exercises", name_en="Joint exercises")
    elsewhere = CooperationAreaFactory(code="elsewhere", name_en="Not chosen")
    partner.areas.add(language, exercises)
    programme = WorkProgrammeFactory(partner=partner, year=2027)
    for _ in range(2):
        ProgrammeActivityFactory(
            programme=programme,
            catalogue_item=CatalogueItemFactory(area=language),
            start_date=datetime.date(2027, 3, 1),
            end_date=datetime.date(2027, 3, 2),
        )
    ProgrammeActivityFactory(
        programme=programme,
        catalogue_item=CatalogueItemFactory(area=language),
        start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 3, 2),
        status=A.CANCELLED,
    )
    ProgrammeActivityFactory(
        programme=programme,
        catalogue_item=CatalogueItemFactory(area=elsewhere),
        start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 3, 2),
    )

    html = viewer_client.get(detail_url(programme)).content.decode()

    language_row = html.split('data-area="language"')[1].split("</tr>")[0]
    exercises_row = html.split('data-area="exercises"')[1].split("</tr>")[0]
    assert '<td class="portal-num">2</td>' in language_row and "Covered" in language_row
    assert '<td class="portal-num">0</td>' in exercises_row and "No activity in this area" in exercises_row
    assert 'data-area="elsewhere"' not in html
    assert "1 activity is in an area the partner did not choose." in html


# --- Markings -----------------------------------------------------------------------------------


def test_user_below_the_marking_does_not_see_programme_or_activity(partner) -> None:
    restricted = WorkProgrammeFactory(partner=partner, year=2027, marking=Marking.NATO_RESTRICTED)
    open_programme = WorkProgrammeFactory(partner=partner, year=2026)
    secret_activity = ProgrammeActivityFactory(
        programme=open_programme,
        title_en="Secret seminar",
        marking=Marking.NATO_SECRET,
        start_date=datetime.date(2026, 3, 1),
        end_date=datetime.date(2026, 3, 2),
    )
    low = client_for(UserFactory(username="low", roles=["viewer"], clearance=Marking.NATO_UNCLASSIFIED))
    high = client_for(UserFactory(username="high", roles=["viewer"], clearance=Marking.NATO_SECRET))

    # Lists and the list's search (filter by partner and year)
    for params in ({}, {"partner": partner.iso_code}, {"year": "2027"}):
        listing = low.get(reverse("programmes:list"), params).content.decode()
        assert detail_url(restricted) not in listing, params
    assert detail_url(restricted) in high.get(reverse("programmes:list")).content.decode()
    # Detail pages
    assert low.get(detail_url(restricted)).status_code == 404
    assert high.get(detail_url(restricted)).status_code == 200
    assert low.get(reverse("programmes:activity_detail", args=[secret_activity.pk])).status_code == 404
    assert "Secret seminar" not in low.get(detail_url(open_programme)).content.decode()
    secret_page = high.get(reverse("programmes:activity_detail", args=[secret_activity.pk]))
    assert secret_page.status_code == 200 and 'data-marking="40"' in secret_page.content.decode()
    # The partner profile's programmes
    profile = low.get(reverse("partners:profile", args=[partner.iso_code])).content.decode()
    assert "Secret seminar" not in profile and detail_url(restricted) not in profile


def test_catalogue_search_hides_items_above_the_clearance(officer, partner) -> None:
    programme = WorkProgrammeFactory(partner=partner, year=2027)
    CatalogueItemFactory(code="NS-1", title_en="Compartmented briefing", marking=Marking.NATO_SECRET)
    html = client_for(officer).get(
        reverse("programmes:catalogue_menu", args=[programme.pk]), {"q": "briefing"}
    )
    assert "NS-1" not in html.content.decode()


def test_officer_cannot_act_on_an_activity_above_their_clearance(officer, partner) -> None:
    programme = agreed_programme(partner, year=2027)
    activity = ProgrammeActivityFactory(
        programme=programme,
        marking=Marking.NATO_SECRET,
        start_date=datetime.date(2027, 3, 1),
        end_date=datetime.date(2027, 3, 2),
    )
    url = reverse("programmes:activity_step", args=[activity.pk, "confirm"])
    assert client_for(officer).get(url).status_code == 404


# --- Query counts -------------------------------------------------------------------------------


def _programme_with(partner, year: int, count: int, officer) -> WorkProgramme:
    programme = agreed_programme(partner, year=year)
    area = CooperationAreaFactory()
    partner.areas.add(area)
    for number in range(count):
        activity = ProgrammeActivityFactory(
            programme=programme,
            catalogue_item=CatalogueItemFactory(area=area),
            start_date=datetime.date(year, 1 + number % 12, 1),
            end_date=datetime.date(year, 1 + number % 12, 2),
        )
        activity_services.activity_confirm(actor=officer, activity=activity)
        activity_services.programme_activity_update(
            actor=officer, activity=activity, place=f"Place {number}", reason=f"Move {number}"
        )
        InclusionRequest.objects.create(
            reference=f"IR-Q-{year}-{number}",
            partner=partner,
            desk=officer.desks.get(),
            programme_activity=activity,
            justification=JUSTIFICATION,
            mutual_benefit=BENEFIT,
            requested_by=officer,
        )
    return programme


@pytest.mark.parametrize("as_officer", [True, False])
def test_programme_page_query_count_holds_at_1_and_50_activities(
    officer, viewer, partner, as_officer, django_assert_num_queries
) -> None:
    small = _programme_with(partner, 2025, 1, officer)
    large = _programme_with(partner, 2026, 50, officer)
    client = client_for(officer if as_officer else viewer)

    with CaptureQueriesContext(connection) as one:
        assert client.get(detail_url(small)).status_code == 200
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(detail_url(large))
    assert response.content.decode().count("Amendment ") >= 50


def test_catalogue_menu_and_activity_page_query_counts_hold(
    officer, partner, django_assert_num_queries
) -> None:
    programme = _programme_with(partner, 2025, 1, officer)
    client = client_for(officer)
    url = reverse("programmes:catalogue_menu", args=[programme.pk])
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(49):
        CatalogueItemFactory()
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(url)

    activity = programme.activities.get()
    activity_url = reverse("programmes:activity_detail", args=[activity.pk])
    with CaptureQueriesContext(connection) as first:
        client.get(activity_url)
    for number in range(49):
        InclusionRequest.objects.create(
            reference=f"IR-X-{number}",
            partner=partner,
            desk=officer.desks.get(),
            programme_activity=activity,
            justification=JUSTIFICATION,
            mutual_benefit=BENEFIT,
            requested_by=officer,
        )
        activity_services.programme_activity_update(
            actor=officer, activity=activity, lead=f"Lead {number}", reason="r"
        )
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(activity_url)


def test_officer_removes_a_draft_activity_after_confirming(officer, draft) -> None:
    activity = draft.activities.first()
    client = client_for(officer)
    url = reverse("programmes:activity_remove", args=[activity.pk])

    assert client.get(url).status_code == 200
    assert ProgrammeActivity.objects.filter(pk=activity.pk).exists()
    response = client.post(url)

    assert response.status_code == 302
    assert not ProgrammeActivity.objects.filter(pk=activity.pk).exists()
