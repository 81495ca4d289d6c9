"""The pages that keep a partner's record current, and the partner's history."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from operations.models import Contribution
from partners.models import DialogueMeeting, LiaisonArrangement, Milestone, Partner
from partners.services import milestone_update, partner_cooperation_update
from tests.factories import (
    ContributionFactory,
    CooperationAreaFactory,
    DialogueMeetingFactory,
    MilestoneFactory,
    OperationFactory,
    PartnerFactory,
)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def create_url(partner, kind: str) -> str:
    return reverse("partners:record_create", args=[partner.iso_code, kind])


def test_officer_adds_a_dialogue_meeting_through_the_form(officer, partner) -> None:
    response = client_for(officer).post(
        create_url(partner, "dialogue"),
        {
            "date": "2010-05-04",
            "kind": DialogueMeeting.Kind.HIGH_LEVEL,
            "title_en": "High-level talks in Tokyo",
            "title_fr": "Entretiens de haut niveau à Tokyo",
            "location": "Tokyo",
        },
    )

    assert response.status_code == 302
    assert response["Location"].endswith(f"/partners/{partner.iso_code}/#dialogue")
    meeting = DialogueMeeting.objects.get()
    assert meeting.title_fr == "Entretiens de haut niveau à Tokyo" and meeting.created_by == officer
    # A page POST is attributed through the middleware and the service alike.
    profile = client_for(officer).get(reverse("partners:profile", args=[partner.iso_code])).content.decode()
    assert 'id="history"' in profile and "High-level talks in Tokyo" in profile


def test_bad_input_is_reported_on_its_field_and_kept(officer, partner) -> None:
    response = client_for(officer).post(
        create_url(partner, "liaison"),
        {
            "post": LiaisonArrangement.Post.ICC,
            "officers": "2",
            "officer_name": "Lt Col Sato",
            "start_date": "2008-01-01",
            "end_date": "2007-01-01",
        },
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "There is a problem" in html
    assert 'value="Lt Col Sato"' in html
    assert not LiaisonArrangement.objects.exists()


def test_officer_of_another_desk_gets_403_and_nothing_is_written(other_officer, partner) -> None:
    client = client_for(other_officer)
    milestone = MilestoneFactory(partner=partner, title_en="Original")

    assert client.get(create_url(partner, "milestone")).status_code == 403
    response = client.post(
        reverse("partners:record_edit", args=[partner.iso_code, "milestone", milestone.pk]),
        {"date": "2000-01-01", "date_precision": "year", "kind": "summit", "title_en": "Changed"},
    )
    assert response.status_code == 403
    assert client.post(reverse("partners:cooperation_edit", args=[partner.iso_code]), {}).status_code == 403
    milestone.refresh_from_db()
    assert milestone.title_en == "Original"


def test_viewer_sees_no_edit_buttons_and_cannot_open_forms(viewer_client, partner) -> None:
    html = viewer_client.get(reverse("partners:profile", args=[partner.iso_code])).content.decode()
    assert "Add a milestone" not in html
    assert viewer_client.get(create_url(partner, "contribution")).status_code == 403


def test_officer_sees_the_edit_buttons(officer, partner) -> None:
    html = client_for(officer).get(reverse("partners:profile", args=[partner.iso_code])).content.decode()
    for label in (
        "Add a milestone",
        "Add a dialogue meeting",
        "Add a liaison arrangement",
        "Add a contribution",
    ):
        assert label in html
    assert reverse("partners:cooperation_edit", args=[partner.iso_code]) in html


def test_a_record_of_another_partner_is_not_found_under_this_partner(officer, partner) -> None:
    elsewhere = MilestoneFactory(partner=PartnerFactory())
    url = reverse("partners:record_edit", args=[partner.iso_code, "milestone", elsewhere.pk])
    assert client_for(officer).get(url).status_code == 404


def test_administrator_edits_a_contribution(administrator, partner) -> None:
    contribution = ContributionFactory(partner=partner, personnel=500)
    url = reverse("partners:record_edit", args=[partner.iso_code, "contribution", contribution.pk])
    client = client_for(administrator)
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "operation": contribution.operation_id,
            "kind": Contribution.Kind.TROOPS,
            "period_start": "2007-01-01",
            "period_end": "2011-03-31",
            "personnel": "1550",
        },
    )

    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.personnel == 1550 and contribution.updated_by == administrator


def test_cooperation_form_changes_areas_and_shows_them_in_history(officer, partner) -> None:
    language = CooperationAreaFactory(code="language", name_en="Language training")
    client = client_for(officer)

    response = client.post(
        reverse("partners:cooperation_edit", args=[partner.iso_code]),
        {"engagement_level": Partner.EngagementLevel.CONTRIBUTOR, "areas": [language.pk]},
    )

    assert response.status_code == 302
    history = client.get(reverse("partners:history", args=[partner.iso_code])).content.decode()
    assert "area chosen" in history and "Language training" in history
    assert "Operational contributor" in history  # the engagement level's change, old and new


def test_history_says_who_changed_what(officer, administrator, partner) -> None:
    milestone = MilestoneFactory(partner=partner, title_en="Dialogue begins")
    milestone_update(actor=administrator, milestone=milestone, title_en="Political dialogue begins")

    html = client_for(officer).get(reverse("partners:history", args=[partner.iso_code])).content.decode()

    name = administrator.get_full_name()
    assert name in html
    assert "<del>Dialogue begins</del>" in html and "<ins>Political dialogue begins</ins>" in html


def _records(partner, count: int, actor) -> None:
    operation = OperationFactory()
    for number in range(count):
        milestone = MilestoneFactory(partner=partner, date=datetime.date(1990 + number % 30, 1, 1))
        milestone_update(actor=actor, milestone=milestone, title_en=f"Renamed {number}")
        DialogueMeetingFactory(partner=partner)
        ContributionFactory(partner=partner, operation=operation)
    partner_cooperation_update(
        actor=actor,
        partner=partner,
        engagement_level=Partner.EngagementLevel.CONTRIBUTOR,
        areas=[CooperationAreaFactory() for _ in range(min(count, 5))],
    )


@pytest.mark.parametrize("url_name", ["partners:history", "partners:profile"])
def test_history_and_profile_query_counts_hold_at_1_and_50_rows(
    officer, administrator, url_name, django_assert_num_queries
) -> None:
    small, large = PartnerFactory(), PartnerFactory()
    _records(small, 1, administrator)
    _records(large, 50, administrator)
    client = client_for(officer)

    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse(url_name, args=[small.iso_code])).status_code == 200
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(reverse(url_name, args=[large.iso_code]))
    assert response.status_code == 200


def test_history_pages_through_every_change(officer, administrator, partner) -> None:
    _records(partner, 30, administrator)
    client = client_for(officer)

    first = client.get(reverse("partners:history", args=[partner.iso_code]))
    second = client.get(reverse("partners:history", args=[partner.iso_code]) + "?page=2")

    assert first.status_code == second.status_code == 200
    assert 'aria-label="Pagination"' in first.content.decode()
    assert Milestone.objects.filter(partner=partner).count() == 30


def test_the_profile_offers_a_change_link_for_each_contribution_to_its_desk_only(
    officer, viewer, partner
) -> None:
    operation = OperationFactory(code="kfor", acronym_en="KFOR")
    first = ContributionFactory(partner=partner, operation=operation, period_start=datetime.date(2007, 1, 1))
    second = ContributionFactory(partner=partner, operation=operation, period_start=datetime.date(2011, 3, 1))
    profile = reverse("partners:profile", args=[partner.iso_code])

    html = client_for(officer).get(profile).content.decode()
    for contribution in (first, second):
        edit = reverse("partners:record_edit", args=[partner.iso_code, "contribution", contribution.pk])
        assert (
            f'<a class="portal-table__secondary" href="{edit}">Change'
            '<span class="usa-sr-only"> Troops</span></a>' in html
        )

    seen_by_viewer = client_for(viewer).get(profile).content.decode()
    first_edit = reverse("partners:record_edit", args=[partner.iso_code, "contribution", first.pk])
    assert first_edit not in seen_by_viewer
    assert ">Troops<" in seen_by_viewer


def _history_rows(html: str) -> list[str]:
    """The body rows of the history table in the HTML."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [row.strip() for row in body.split("</tr>") if "<tr>" in row]


def test_the_profile_loads_its_latest_changes_when_the_section_comes_into_view(
    officer, administrator, partner
) -> None:
    _records(partner, 8, administrator)
    client = client_for(officer)
    history_url = reverse("partners:history", args=[partner.iso_code])

    profile = client.get(reverse("partners:profile", args=[partner.iso_code])).content.decode()
    section = client.get(history_url, headers={"HX-Request": "true"})
    page = client.get(history_url)

    # The profile asks for the section when it is revealed, and links the whole history without JavaScript.
    assert f'hx-get="{history_url}" hx-trigger="revealed"' in profile
    assert f'<a href="{history_url}">' in profile
    assert "portal-history" not in profile
    # The section: the latest ten changes alone, no page around them; the page: all of them.
    body, whole = section.content.decode(), page.content.decode()
    assert body.lstrip().startswith('<div id="history-body">') and "<html" not in body
    section_rows = _history_rows(body)
    assert len(section_rows) == 10
    assert len(_history_rows(whole)) > 10 and set(section_rows) <= set(_history_rows(whole))
    assert "<html" in whole and "<ins>Renamed 0</ins>" in whole
    assert "HX-Request" in section["Vary"] and "HX-Request" in page["Vary"]
