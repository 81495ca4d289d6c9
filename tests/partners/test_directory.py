"""The partner directory: search in both languages, filters, sorting, pagination, empty state, access."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from partners.models import Partner
from tests.factories import CooperationAreaFactory, PartnerFactory, RegionFactory, UserFactory

URL = reverse("partners:directory")


def row_names(response) -> list[str]:
    """Partner names in table order (the row headers link to the profiles)."""
    return re.findall(r'<th scope="row"><a href="/partners/[A-Z]{2}/">([^<]+)</a>', response.content.decode())


@pytest.fixture
def japan(db):
    asia = RegionFactory(code="asia-pacific", name_en="Asia-Pacific", name_fr="Asie-Pacifique")
    partner = PartnerFactory(
        iso_code="JP",
        name_en="Japan",
        name_fr="Japon",
        region=asia,
        dialogue_since=1990,
        engagement_level=Partner.EngagementLevel.COOPERATING,
    )
    partner.areas.add(CooperationAreaFactory(code="language", name_en="Language training", name_fr="Langues"))
    return partner


@pytest.fixture
def korea(db):
    return PartnerFactory(
        iso_code="KR",
        name_en="Republic of Korea",
        name_fr="République de Corée",
        region=RegionFactory(code="asia-pacific"),
        dialogue_since=2005,
        engagement_level=Partner.EngagementLevel.CONTRIBUTOR,
    )


@pytest.fixture
def argentina(db):
    return PartnerFactory(
        iso_code="AR",
        name_en="Argentina",
        name_fr="Argentine",
        region=RegionFactory(code="latin-america", name_en="Latin America", name_fr="Amérique latine"),
        engagement_level=Partner.EngagementLevel.CONTRIBUTOR,
    )


def test_directory_lists_partners_with_their_key_facts(viewer_client: Client, japan, korea) -> None:
    response = viewer_client.get(URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert row_names(response) == ["Japan", "Republic of Korea"]
    for fact in ("JP", "Asia-Pacific", "Cooperating", "1990", "Language training", "CC"):
        assert fact in html


def test_search_finds_a_partner_by_its_french_name(viewer_client: Client, japan, korea) -> None:
    response = viewer_client.get(URL, {"q": "corée"})

    assert row_names(response) == ["Republic of Korea"]


def test_search_is_case_insensitive_in_english(viewer_client: Client, japan, korea) -> None:
    response = viewer_client.get(URL, {"q": "JAP"})

    assert row_names(response) == ["Japan"]


def test_search_matches_the_iso_code(viewer_client: Client, japan, korea) -> None:
    assert row_names(viewer_client.get(URL, {"q": "kr"})) == ["Republic of Korea"]


def test_french_interface_shows_and_sorts_french_names(
    viewer_client: Client, japan, korea, argentina
) -> None:
    viewer_client.cookies["django_language"] = "fr"

    response = viewer_client.get(URL)

    assert row_names(response) == ["Argentine", "Japon", "République de Corée"]
    assert '<html lang="fr">' in response.content.decode()


def test_filter_by_region(viewer_client: Client, japan, korea, argentina) -> None:
    assert row_names(viewer_client.get(URL, {"region": "latin-america"})) == ["Argentina"]


def test_filter_by_engagement_level(viewer_client: Client, japan, korea, argentina) -> None:
    response = viewer_client.get(URL, {"engagement_level": Partner.EngagementLevel.CONTRIBUTOR})

    assert row_names(response) == ["Argentina", "Republic of Korea"]


def test_filter_by_area(viewer_client: Client, japan, korea) -> None:
    assert row_names(viewer_client.get(URL, {"area": "language"})) == ["Japan"]


def test_filters_combine_with_search(viewer_client: Client, japan, korea, argentina) -> None:
    response = viewer_client.get(URL, {"q": "a", "region": "asia-pacific", "engagement_level": "contributor"})

    assert row_names(response) == ["Republic of Korea"]


def test_sort_by_dialogue_since_descending_puts_unknown_years_last(
    viewer_client: Client, japan, korea, argentina
) -> None:
    response = viewer_client.get(URL, {"sort": "-dialogue_since"})

    assert row_names(response) == ["Republic of Korea", "Japan", "Argentina"]
    assert 'aria-sort="descending"' in response.content.decode()


def test_unknown_sort_key_falls_back_to_name(viewer_client: Client, japan, korea, argentina) -> None:
    response = viewer_client.get(URL, {"sort": "password"})

    assert response.status_code == 200
    assert row_names(response) == ["Argentina", "Japan", "Republic of Korea"]


def test_pagination_keeps_the_filters(viewer_client: Client, db) -> None:
    region = RegionFactory(code="pacific")
    for number in range(30):
        PartnerFactory(name_en=f"Island {number:02d}", region=region)

    response = viewer_client.get(URL, {"region": "pacific", "page": 2})

    assert row_names(response) == [f"Island {n:02d}" for n in range(25, 30)]
    assert "region=pacific&amp;page=1" in response.content.decode()


def test_retired_partners_are_not_listed(viewer_client: Client, japan, korea) -> None:
    korea.retire()

    assert row_names(viewer_client.get(URL)) == ["Japan"]


def test_empty_search_says_what_to_do(viewer_client: Client, japan) -> None:
    response = viewer_client.get(URL, {"q": "Atlantis"})

    html = response.content.decode()
    assert "No partner matches this search." in html
    assert "Clear the search and filters" in html


def test_user_without_a_role_is_denied(db) -> None:
    client = Client()
    client.force_login(UserFactory(username="nobody"))

    assert client.get(URL).status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(db) -> None:
    response = Client().get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_directory_query_count_does_not_grow_with_partners(
    viewer_client: Client, db, django_assert_num_queries
) -> None:
    area = CooperationAreaFactory()
    PartnerFactory().areas.add(area, CooperationAreaFactory())
    viewer_client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as one_partner:
        assert viewer_client.get(URL).status_code == 200

    for _ in range(49):
        PartnerFactory().areas.add(area, CooperationAreaFactory())

    with django_assert_num_queries(len(one_partner.captured_queries)):
        response = viewer_client.get(URL, {"area": area.code, "sort": "-areas"})
    assert len(row_names(response)) == 25


def test_directory_reads_its_partners_and_its_filters_choices_in_two_queries(
    viewer_client: Client, japan, korea
) -> None:
    viewer_client.get(URL)  # warm the session
    with CaptureQueriesContext(connection) as queries:
        # Beyond the last page: the last one, the rows counted in Python.
        response = viewer_client.get(URL, {"page": 5})

    assert row_names(response) == ["Japan", "Republic of Korea"]
    own = [query["sql"] for query in queries.captured_queries if '"partners_' in query["sql"]]
    assert len(own) == 2, own


def test_rows_list_areas_and_selects_mark_the_filters_in_the_page_language(
    viewer_client: Client, japan
) -> None:
    japan.areas.add(CooperationAreaFactory(code="cyber", name_en="Cyber defence", name_fr="Cyberdéfense"))
    viewer_client.cookies["django_language"] = "fr"

    html = viewer_client.get(URL, {"region": "asia-pacific", "area": "cyber"}).content.decode()

    assert "<li>Cyberdéfense</li><li>Langues</li>" in html
    assert '<option value="asia-pacific" selected>Asie-Pacifique</option>' in html
    areas = '<option value="cyber" selected>Cyberdéfense</option><option value="language">Langues</option>'
    assert areas in html
    assert '<option value="cooperating">Coopérant</option>' in html
