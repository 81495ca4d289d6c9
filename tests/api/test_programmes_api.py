"""The catalogue, work programmes and their activities through the API, limited by the user's clearance."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from portal.accounts.models import User
from portal.core.models import Marking
from tests.factories import (
    CatalogueItemFactory,
    CooperationAreaFactory,
    PartnerFactory,
    ProgrammeActivityFactory,
    WorkProgrammeFactory,
)
from workprogrammes.catalogue.models import CatalogueItem
from workprogrammes.programmes.models import Objective, ProgrammeActivity

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(viewer: User, api_client_for) -> APIClient:
    return api_client_for(viewer)


def _ids(client: APIClient, url: str, **params: object) -> list[int]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def _count_queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_catalogue_search_in_both_languages_and_filters(client: APIClient) -> None:
    area = CooperationAreaFactory(code="language")
    french = CatalogueItemFactory(
        code="LNG-1",
        title_en="Language training",
        title_fr="Formation linguistique",
        kind=CatalogueItem.Kind.LANGUAGE,
        area=area,
    )
    exempt = CatalogueItemFactory(
        code="INF-1", needs_council_decision=False, exemption_reason_en="Open event"
    )
    assert _ids(client, "/api/v1/catalogue/", q="linguistique") == [french.pk]
    assert _ids(client, "/api/v1/catalogue/", kind="language") == [french.pk]
    assert _ids(client, "/api/v1/catalogue/", area="language") == [french.pk]
    assert _ids(client, "/api/v1/catalogue/", needs_council_decision="false") == [exempt.pk]
    detail = client.get(f"/api/v1/catalogue/{french.pk}/")
    assert detail.status_code == 200 and detail["ETag"]
    assert detail.json()["title_fr"] == "Formation linguistique"


def test_catalogue_item_above_clearance_is_hidden(client: APIClient) -> None:
    secret = CatalogueItemFactory(marking=Marking.NATO_SECRET)
    assert _ids(client, "/api/v1/catalogue/") == []
    assert client.get(f"/api/v1/catalogue/{secret.pk}/").status_code == 404


def test_programme_list_filters_and_hides_programmes_above_clearance(client: APIClient) -> None:
    japan, chile = PartnerFactory(iso_code="JP"), PartnerFactory(iso_code="CL")
    jp2009 = WorkProgrammeFactory(partner=japan, year=2009)
    cl2010 = WorkProgrammeFactory(partner=chile, year=2010)
    secret = WorkProgrammeFactory(partner=japan, year=2011, marking=Marking.NATO_SECRET)
    ProgrammeActivityFactory(programme=jp2009)
    ProgrammeActivityFactory(programme=jp2009, marking=Marking.NATO_SECRET)
    assert _ids(client, "/api/v1/programmes/") == [cl2010.pk, jp2009.pk]
    assert _ids(client, "/api/v1/programmes/", partner="jp") == [jp2009.pk]
    assert _ids(client, "/api/v1/programmes/", year=2010) == [cl2010.pk]
    rows = client.get("/api/v1/programmes/", {"partner": "JP"}).json()["results"]
    assert rows[0]["activity_count"] == 1
    assert client.get(f"/api/v1/programmes/{secret.pk}/").status_code == 404


def test_programme_lists_count_programmes_without_reading_their_activities(
    client: APIClient, viewer: User
) -> None:
    """The list's count reads programmes alone; each row's activity count is read for that row only (a
    join and grouping of every activity made the count cost 250 ms at scale). Rows without activities
    count 0; activities above the reader's clearance are not counted."""
    japan = PartnerFactory(iso_code="JP")
    busy, empty = (
        WorkProgrammeFactory(partner=japan, year=2009),
        WorkProgrammeFactory(partner=japan, year=2010),
    )
    ProgrammeActivityFactory.create_batch(3, programme=busy)
    ProgrammeActivityFactory(programme=busy, marking=Marking.NATO_SECRET)
    page = Client()
    page.force_login(viewer)

    for surface, url in ((client, "/api/v1/programmes/"), (page, "/programmes/")):
        with CaptureQueriesContext(connection) as queries:
            assert surface.get(url).status_code == 200
        [count] = [
            q["sql"]
            for q in queries
            if q["sql"].startswith("SELECT COUNT(*)") and "workprogramme" in q["sql"]
        ]
        assert "programmeactivity" not in count, count
    counts = {row["id"]: row["activity_count"] for row in client.get("/api/v1/programmes/").json()["results"]}
    assert counts == {busy.pk: 3, empty.pk: 0}


def test_programme_detail_has_activities_and_objective_coverage(client: APIClient) -> None:
    programme = WorkProgrammeFactory(year=2009)
    ProgrammeActivityFactory(programme=programme, objective=Objective.SECURITY_COOPERATION)
    ProgrammeActivityFactory(programme=programme, marking=Marking.NATO_SECRET)
    response = client.get(f"/api/v1/programmes/{programme.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert len(body["activities"]) == 1
    coverage = {row["objective"]: row for row in body["coverage"]}
    assert coverage["security"]["activity_count"] == 1
    assert coverage["operations"]["is_missing"] is True


def test_activities_filters_and_clearance(client: APIClient) -> None:
    japan = PartnerFactory(iso_code="JP")
    programme = WorkProgrammeFactory(partner=japan, year=2009)
    early = ProgrammeActivityFactory(
        programme=programme,
        start_date=datetime.date(2009, 2, 1),
        end_date=datetime.date(2009, 2, 2),
        objective=Objective.COMMON_UNDERSTANDING,
    )
    late = ProgrammeActivityFactory(
        programme=programme,
        start_date=datetime.date(2009, 9, 1),
        end_date=datetime.date(2009, 9, 2),
        status=ProgrammeActivity.Status.HELD,
    )
    ProgrammeActivityFactory(programme=programme, marking=Marking.NATO_SECRET)
    hidden_programme = WorkProgrammeFactory(partner=japan, year=2010, marking=Marking.NATO_SECRET)
    ProgrammeActivityFactory(programme=hidden_programme)
    assert _ids(client, "/api/v1/activities/") == [early.pk, late.pk]
    assert _ids(client, "/api/v1/activities/", partner="JP", year=2009, status="held") == [late.pk]
    assert _ids(client, "/api/v1/activities/", objective="understanding") == [early.pk]
    assert _ids(client, "/api/v1/activities/", starts_from="2009-03-01") == [late.pk]
    assert _ids(client, "/api/v1/activities/", starts_until="2009-03-01") == [early.pk]
    assert _ids(
        client, "/api/v1/activities/", programme=programme.pk, catalogue_item=early.catalogue_item_id
    ) == [early.pk]
    assert client.get(f"/api/v1/activities/{late.pk}/").json()["partner"]["iso_code"] == "JP"
    assert client.get("/api/v1/activities/", {"starts_from": "yesterday"}).status_code == 400


def test_list_and_detail_query_counts_do_not_grow(client: APIClient) -> None:
    programme = WorkProgrammeFactory(year=2009)
    ProgrammeActivityFactory(programme=programme)
    urls = [
        "/api/v1/catalogue/",
        "/api/v1/programmes/",
        f"/api/v1/programmes/{programme.pk}/",
        "/api/v1/activities/",
    ]
    counts = [_count_queries(client, url) for url in urls]
    for year in range(1990, 2039):
        ProgrammeActivityFactory(programme=programme)
        ProgrammeActivityFactory(programme=WorkProgrammeFactory(year=year))
    assert [_count_queries(client, url) for url in urls] == counts
