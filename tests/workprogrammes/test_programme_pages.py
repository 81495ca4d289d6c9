"""Programme list and detail pages: filters, status tags, marking banner, activities, objective coverage."""

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.models import Role
from portal.core.models import Marking
from tests.factories import PartnerFactory, ProgrammeActivityFactory, UserFactory, WorkProgrammeFactory
from workprogrammes.programmes.models import Objective, ProgrammeActivity, WorkProgramme

LIST_URL = reverse("programmes:list")


def listed(response) -> list[str]:
    """'<partner> <year>' for each row of the programme table, in order."""
    return re.findall(r'aria-label="([^"]+ programme \d{4})"', response.content.decode())


@pytest.fixture
def programmes(db):
    japan = PartnerFactory(iso_code="JP", name_en="Japan", name_fr="Japon")
    australia = PartnerFactory(iso_code="AU", name_en="Australia", name_fr="Australie")
    agreed = {"status": WorkProgramme.Status.AGREED, "agreed_on": datetime.date(2009, 1, 15)}
    return {
        "jp2009": WorkProgrammeFactory(partner=japan, year=2009, **agreed),
        "jp2010": WorkProgrammeFactory(partner=japan, year=2010),
        "au2009": WorkProgrammeFactory(partner=australia, year=2009),
    }


def test_list_shows_programmes_newest_year_first(viewer_client: Client, programmes) -> None:
    response = viewer_client.get(LIST_URL)

    assert response.status_code == 200
    assert listed(response) == ["Japan programme 2010", "Australia programme 2009", "Japan programme 2009"]
    assert 'portal-status--agreed" data-status="agreed">Agreed</span>' in response.content.decode()


def test_list_filters_by_partner_year_and_status(viewer_client: Client, programmes) -> None:
    assert listed(viewer_client.get(LIST_URL, {"partner": "jp"})) == [
        "Japan programme 2010",
        "Japan programme 2009",
    ]
    assert listed(viewer_client.get(LIST_URL, {"year": "2009"})) == [
        "Australia programme 2009",
        "Japan programme 2009",
    ]
    assert listed(viewer_client.get(LIST_URL, {"status": "agreed"})) == ["Japan programme 2009"]


def test_list_ignores_a_malformed_filter_instead_of_failing(viewer_client: Client, programmes) -> None:
    response = viewer_client.get(LIST_URL, {"year": "twenty", "status": "nonsense", "page": "x"})

    assert response.status_code == 200
    assert len(listed(response)) == 3


def test_list_empty_filter_result_says_what_to_do(viewer_client: Client, programmes) -> None:
    html = viewer_client.get(LIST_URL, {"year": "1995"}).content.decode()

    assert "No programme matches these filters." in html


def test_list_paginates(viewer_client: Client, db) -> None:
    partner = PartnerFactory()
    for year in range(1991, 2021):
        WorkProgrammeFactory(partner=partner, year=year)

    response = viewer_client.get(LIST_URL, {"page": 2})

    assert [label[-4:] for label in listed(response)] == [str(year) for year in range(1995, 1990, -1)]


def test_list_leaves_out_programmes_above_the_users_clearance(viewer_client: Client, programmes) -> None:
    WorkProgrammeFactory(partner=programmes["jp2009"].partner, year=2011, marking=Marking.NATO_SECRET)

    assert "Japan programme 2011" not in listed(viewer_client.get(LIST_URL))


@pytest.fixture
def programme(db):
    programme = WorkProgrammeFactory(
        partner=PartnerFactory(iso_code="KR", name_en="Republic of Korea"),
        year=2009,
        kind=WorkProgramme.Kind.ITCP,
        status=WorkProgramme.Status.ACTIVE,
        agreed_on=datetime.date(2009, 2, 1),
        objectives_en="Interoperability for operations in Afghanistan.",
        marking=Marking.NATO_RESTRICTED,
        releasability="Releasable to the Republic of Korea",
    )
    ProgrammeActivityFactory(
        programme=programme,
        title_en="Pre-deployment training",
        objective=Objective.SUPPORT_FOR_OPERATIONS,
        place="Kabul",
        lead="ISAF HQ",
        start_date=datetime.date(2009, 4, 6),
        end_date=datetime.date(2009, 4, 10),
    )
    ProgrammeActivityFactory(
        programme=programme,
        title_en="Cancelled seminar",
        objective=Objective.COMMON_UNDERSTANDING,
        status=ProgrammeActivity.Status.CANCELLED,
    )
    return programme


@pytest.fixture
def restricted_client(db) -> Client:
    client = Client()
    client.force_login(
        UserFactory(username="cleared", roles=[Role.VIEWER], clearance=Marking.NATO_RESTRICTED)
    )
    return client


def detail_url(programme) -> str:
    return reverse("programmes:detail", args=[programme.pk])


def test_detail_shows_the_programme_and_its_activities(restricted_client: Client, programme) -> None:
    response = restricted_client.get(detail_url(programme))

    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Republic of Korea: programme 2009",
        "Individual Tailored Cooperation Package (ITCP)",
        "Interoperability for operations in Afghanistan.",
        "Pre-deployment training",
        "Kabul",
        "ISAF HQ",
    ):
        assert text in html
    assert 'portal-status--active" data-status="active">Active</span>' in html
    assert 'portal-status--cancelled" data-status="cancelled">Cancelled</span>' in html


def test_detail_is_marked_with_the_records_marking_top_and_bottom(
    restricted_client: Client, programme
) -> None:
    html = restricted_client.get(detail_url(programme)).content.decode()

    banners = re.findall(r'<div class="portal-marking portal-marking--(\w+)" data-marking="(\d+)">', html)
    assert banners == [("restricted", "20"), ("restricted", "20")]
    assert html.count("Releasable to the Republic of Korea") >= 2


def test_coverage_counts_activities_per_objective_and_flags_the_uncovered(
    restricted_client: Client, programme
) -> None:
    html = restricted_client.get(detail_url(programme)).content.decode()

    def row(objective: str) -> str:
        return re.search(rf'<tr class="[^"]*" data-objective="{objective}">.*?</tr>', html, re.S).group(0)

    assert '<td class="portal-num">1</td>' in row(Objective.SUPPORT_FOR_OPERATIONS)
    assert "portal-coverage--missing" not in row(Objective.SUPPORT_FOR_OPERATIONS)
    # The only common-understanding activity was cancelled: it covers nothing.
    assert "No activity supports this objective" in row(Objective.COMMON_UNDERSTANDING)
    assert "No activity supports this objective" in row(Objective.SECURITY_COOPERATION)


def test_detail_above_the_users_clearance_is_not_found(viewer_client: Client, programme) -> None:
    assert viewer_client.get(detail_url(programme)).status_code == 404


def test_user_without_a_role_is_denied(programme) -> None:
    client = Client()
    client.force_login(UserFactory(username="nobody", clearance=Marking.NATO_SECRET))

    assert client.get(LIST_URL).status_code == 403
    assert client.get(detail_url(programme)).status_code == 403


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_list_query_count_does_not_grow_with_programmes(
    viewer_client: Client, db, django_assert_num_queries
) -> None:
    ProgrammeActivityFactory()
    viewer_client.get(LIST_URL)
    one_row = _queries(viewer_client, LIST_URL)

    for number in range(49):
        ProgrammeActivityFactory(programme__year=1991 + number % 30)

    with django_assert_num_queries(one_row):
        response = viewer_client.get(LIST_URL)
    assert len(listed(response)) == 25


def test_detail_query_count_does_not_grow_with_activities(
    viewer_client: Client, db, django_assert_num_queries
) -> None:
    small, large = WorkProgrammeFactory(year=2009), WorkProgrammeFactory(year=2010)
    ProgrammeActivityFactory(programme=small)
    for _ in range(50):
        ProgrammeActivityFactory(programme=large)
    viewer_client.get(detail_url(small))
    one_row = _queries(viewer_client, detail_url(small))

    with django_assert_num_queries(one_row):
        response = viewer_client.get(detail_url(large))
    assert response.content.decode().count('data-status="planned"') == 50


def test_the_programme_page_lists_each_activity_with_its_facts_and_link_in_both_languages(
    viewer_client: Client, programmes
) -> None:
    programme = programmes["jp2009"]
    course = ProgrammeActivityFactory(
        programme=programme,
        title_en="Crisis management course",
        title_fr="Cours de gestion de crise",
        catalogue_item__code="CAT-0042",
        start_date=datetime.date(2009, 3, 2),
        end_date=datetime.date(2009, 3, 6),
        objective=Objective.SECURITY_COOPERATION,
    )
    briefing = ProgrammeActivityFactory(
        programme=programme,
        title_en="Staff talks",
        title_fr="",
        catalogue_item__code="CAT-0043",
        catalogue_item__needs_council_decision=False,
        catalogue_item__exemption_reason="Staff-level talks",
        start_date=datetime.date(2009, 5, 4),
        end_date=datetime.date(2009, 5, 4),
        place="",
    )
    url = reverse("programmes:detail", args=[programme.pk])

    html = viewer_client.get(url).content.decode()
    course_url = reverse("programmes:activity_detail", args=[course.pk])
    briefing_url = reverse("programmes:activity_detail", args=[briefing.pk])
    assert (
        '<td class="portal-nowrap"><time datetime="2009-03-02">2 Mar 2009</time> – '
        '<time datetime="2009-03-06">6 Mar 2009</time></td>' in html
    )
    assert 'Crisis management course<span class="portal-table__secondary">CAT-0042</span>' in html
    assert (
        'Staff talks<span class="portal-table__secondary">CAT-0043 · no council decision needed</span>'
        in html
    )
    assert '<td class="portal-nowrap"><time datetime="2009-05-04">4 May 2009</time></td>' in html
    assert "<td>Oberammergau</td>" in html
    assert "<td>–</td>" in html  # the briefing's place
    assert (
        f'<a href="{course_url}">Open<span class="usa-sr-only"> Crisis management course</span></a>' in html
    )
    assert f'<a href="{briefing_url}">Open<span class="usa-sr-only"> Staff talks</span></a>' in html

    viewer_client.cookies["django_language"] = "fr"
    french = viewer_client.get(url).content.decode()
    assert '<time datetime="2009-03-02">2 mars 2009</time>' in french
    assert "Cours de gestion de crise" in french
    assert "<td>Coopération de sécurité</td>" in french
    # A title with no French version is shown in English, marked, on the row and in its link.
    assert (
        '<span lang="en">Staff talks</span> <span class="portal-lang-fallback" aria-hidden="true">(EN)</span>'
        in french
    )
    assert f'<a href="{briefing_url}">Ouvrir<span class="usa-sr-only"> Staff talks</span></a>' in french
    assert '<span lang="en">Oberammergau</span>' in french


def test_a_programme_without_activities_says_so(viewer_client: Client, programmes) -> None:
    url = reverse("programmes:detail", args=[programmes["jp2010"].pk])

    assert "No activity is planned in this programme yet." in viewer_client.get(url).content.decode()
