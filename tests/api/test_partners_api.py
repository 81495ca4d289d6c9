"""Partners, regions and areas through the API: the directory's search, filters and sorting, the profile."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from partners.models import Partner
from portal.accounts.models import Role, User
from portal.core.models import Marking
from tests.factories import (
    ContributionFactory,
    CooperationAreaFactory,
    DialogueMeetingFactory,
    LiaisonArrangementFactory,
    MilestoneFactory,
    PartnerFactory,
    RegionFactory,
    UserFactory,
    WorkProgrammeFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(viewer: User, api_client_for) -> APIClient:
    return api_client_for(viewer)


def _codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["iso_code"] for row in response.json()["results"]]


def test_partner_list_gives_bilingual_names_in_the_requested_language(viewer: User, api_client_for) -> None:
    PartnerFactory(iso_code="JP", name_en="Japan", name_fr="Japon")
    row = api_client_for(viewer, language="fr").get("/api/v1/partners/").json()["results"][0]
    assert (row["name"], row["name_en"], row["name_fr"]) == ("Japon", "Japan", "Japon")
    row = api_client_for(viewer).get("/api/v1/partners/").json()["results"][0]
    assert row["name"] == "Japan"


def test_partner_search_matches_the_french_name(client: APIClient) -> None:
    PartnerFactory(iso_code="KR", name_en="Republic of Korea", name_fr="République de Corée")
    PartnerFactory(iso_code="NZ", name_en="New Zealand", name_fr="Nouvelle-Zélande")
    assert _codes(client.get("/api/v1/partners/", {"q": "Corée"})) == ["KR"]
    assert _codes(client.get("/api/v1/partners/", {"q": "zealand"})) == ["NZ"]


def test_partner_filters_by_region_engagement_and_area(client: APIClient) -> None:
    asia = RegionFactory(code="asia-pacific")
    area = CooperationAreaFactory(code="education")
    japan = PartnerFactory(iso_code="JP", region=asia, engagement_level=Partner.EngagementLevel.CONTRIBUTOR)
    japan.areas.add(area)
    PartnerFactory(iso_code="AR", engagement_level=Partner.EngagementLevel.INFORMED)
    assert _codes(client.get("/api/v1/partners/", {"region": "asia-pacific"})) == ["JP"]
    assert _codes(client.get("/api/v1/partners/", {"engagement_level": "contributor"})) == ["JP"]
    assert _codes(client.get("/api/v1/partners/", {"area": "education"})) == ["JP"]


def test_partner_ordering(client: APIClient) -> None:
    PartnerFactory(iso_code="AU", name_en="Australia", dialogue_since=2005)
    PartnerFactory(iso_code="JP", name_en="Japan", dialogue_since=1990)
    assert _codes(client.get("/api/v1/partners/", {"ordering": "dialogue_since"})) == ["JP", "AU"]
    assert _codes(client.get("/api/v1/partners/", {"ordering": "-name"})) == ["JP", "AU"]
    response = client.get("/api/v1/partners/", {"ordering": "password"})
    assert response.status_code == 400
    assert "ordering" in response.json()["error"]["fields"]


def test_retired_partner_is_not_listed_nor_found(client: APIClient) -> None:
    PartnerFactory(iso_code="JP").retire()
    assert _codes(client.get("/api/v1/partners/")) == []
    assert client.get("/api/v1/partners/JP/").status_code == 404


def test_partner_profile_by_iso_code_has_every_section(viewer: User, client: APIClient) -> None:
    japan = PartnerFactory(iso_code="JP", name_en="Japan", name_fr="Japon", dialogue_since=1990)
    MilestoneFactory(partner=japan, date=datetime.date(1990, 1, 1), title_en="Political dialogue begins")
    MilestoneFactory(partner=None, date=datetime.date(2006, 11, 29), title_en="Riga Summit")
    DialogueMeetingFactory(partner=japan)
    LiaisonArrangementFactory(partner=japan)
    ContributionFactory(partner=japan)
    WorkProgrammeFactory(partner=japan, year=2009)
    WorkProgrammeFactory(partner=japan, year=2010, marking=Marking.NATO_SECRET)

    response = client.get("/api/v1/partners/jp/")
    assert response.status_code == 200
    assert response["ETag"]
    body = response.json()
    assert body["iso_code"] == "JP"
    assert body["dialogue_since"] == 1990
    assert [m["title"] for m in body["timeline"]] == ["Political dialogue begins", "Riga Summit"]
    assert body["timeline"][1]["partner"] is None
    assert len(body["dialogue_meetings"]) == 1
    assert len(body["liaison_arrangements"]) == 1
    assert len(body["contributions"]) == 1
    # The viewer's clearance does not cover the NATO SECRET programme.
    assert [p["year"] for p in body["programmes"]] == [2009]


def test_partner_profile_etag_changes_when_a_section_changes(client: APIClient) -> None:
    japan = PartnerFactory(iso_code="JP")
    first = client.get("/api/v1/partners/JP/")["ETag"]
    assert client.get("/api/v1/partners/JP/")["ETag"] == first
    MilestoneFactory(partner=japan)
    assert client.get("/api/v1/partners/JP/")["ETag"] != first


def test_regions_and_areas_are_listed(client: APIClient) -> None:
    RegionFactory(code="asia-pacific", name_en="Asia-Pacific", name_fr="Asie-Pacifique")
    CooperationAreaFactory(code="education")
    assert [r["code"] for r in client.get("/api/v1/regions/").json()["results"]] == ["asia-pacific"]
    assert [a["code"] for a in client.get("/api/v1/areas/").json()["results"]] == ["education"]


@pytest.mark.parametrize("role", list(Role))
def test_every_role_may_browse_partners(role: Role, api_client_for) -> None:
    PartnerFactory(iso_code="JP")
    client = api_client_for(UserFactory(username=f"u-{role}", roles=[role]))
    assert client.get("/api/v1/partners/").status_code == 200
    assert client.get("/api/v1/partners/JP/").status_code == 200


def _count_queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_partner_list_query_count_does_not_grow_with_rows(client: APIClient) -> None:
    area = CooperationAreaFactory()
    PartnerFactory().areas.add(area)
    one = _count_queries(client, "/api/v1/partners/")
    for _ in range(49):
        PartnerFactory().areas.add(area, CooperationAreaFactory())
    assert _count_queries(client, "/api/v1/partners/") == one


def test_partner_profile_query_count_does_not_grow_with_sections(client: APIClient) -> None:
    japan = PartnerFactory(iso_code="JP")
    for factory in (MilestoneFactory, DialogueMeetingFactory, LiaisonArrangementFactory, ContributionFactory):
        factory(partner=japan)
    WorkProgrammeFactory(partner=japan, year=2045)
    one = _count_queries(client, "/api/v1/partners/JP/")
    for _ in range(49):
        for factory in (
            MilestoneFactory,
            DialogueMeetingFactory,
            LiaisonArrangementFactory,
            ContributionFactory,
        ):
            factory(partner=japan)
    for year in range(1990, 2040):
        WorkProgrammeFactory(partner=japan, year=year)
    assert _count_queries(client, "/api/v1/partners/JP/") == one
