"""Operations and contributions through the API."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from operations.models import Contribution
from portal.accounts.models import User
from tests.factories import ContributionFactory, FundingContributionFactory, OperationFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(viewer: User, api_client_for) -> APIClient:
    return api_client_for(viewer)


def _count_queries(client: APIClient, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_operation_list_counts_contributing_partners(client: APIClient) -> None:
    isaf = OperationFactory(code="isaf", acronym_en="ISAF", acronym_fr="FIAS")
    ContributionFactory(operation=isaf, partner=PartnerFactory(iso_code="AU"))
    ContributionFactory(operation=isaf, partner=PartnerFactory(iso_code="NZ"))
    rows = client.get("/api/v1/operations/", HTTP_ACCEPT_LANGUAGE="fr").json()["results"]
    assert [(r["code"], r["acronym"], r["partner_count"]) for r in rows] == [("isaf", "FIAS", 2)]


def test_operation_detail_by_code_groups_contributions_by_partner(client: APIClient) -> None:
    isaf = OperationFactory(code="isaf")
    australia = PartnerFactory(iso_code="AU", name_en="Australia")
    ContributionFactory(
        operation=isaf, partner=australia, personnel=500, period_start=datetime.date(2007, 1, 1)
    )
    ContributionFactory(
        operation=isaf, partner=australia, personnel=1550, period_start=datetime.date(2011, 3, 1)
    )
    FundingContributionFactory(operation=isaf, partner=australia, period_start=datetime.date(2008, 1, 1))
    response = client.get("/api/v1/operations/isaf/")
    assert response.status_code == 200
    assert response["ETag"]
    [contributor] = response.json()["contributors"]
    assert contributor["partner"]["iso_code"] == "AU"
    assert contributor["peak_personnel"] == 1550
    assert Decimal(contributor["totals_by_currency"]["EUR"]) == Decimal("32000000.00")
    assert len(contributor["contributions"]) == 3


def test_unknown_or_retired_operation_is_404(client: APIClient) -> None:
    OperationFactory(code="kfor").retire()
    assert client.get("/api/v1/operations/kfor/").status_code == 404
    assert client.get("/api/v1/operations/nothing/").status_code == 404


def test_contributions_filter_by_partner_operation_kind_and_year(client: APIClient) -> None:
    isaf, kfor = OperationFactory(code="isaf"), OperationFactory(code="kfor")
    au, ar = PartnerFactory(iso_code="AU"), PartnerFactory(iso_code="AR")
    a = ContributionFactory(
        operation=isaf,
        partner=au,
        period_start=datetime.date(2007, 1, 1),
        period_end=datetime.date(2008, 12, 31),
    )
    b = ContributionFactory(
        operation=kfor,
        partner=ar,
        kind=Contribution.Kind.MEDICAL_SOCIAL,
        period_start=datetime.date(1999, 6, 1),
    )

    def ids(**params: str) -> list[int]:
        response = client.get("/api/v1/contributions/", params)
        assert response.status_code == 200, response.content
        return [row["id"] for row in response.json()["results"]]

    assert ids() == [b.pk, a.pk]
    assert ids(partner="au") == [a.pk]
    assert ids(operation="kfor") == [b.pk]
    assert ids(kind="medical_social") == [b.pk]
    assert ids(year="2008") == [b.pk, a.pk]
    assert ids(year="2009") == [b.pk]
    assert client.get("/api/v1/contributions/", {"year": "1066"}).status_code == 400


def test_contributions_use_cursor_pagination(client: APIClient) -> None:
    for day in range(1, 4):
        ContributionFactory(period_start=datetime.date(2007, 1, day))
    first = client.get("/api/v1/contributions/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and "count" not in first
    second = client.get(first["next"]).json()
    assert len(second["results"]) == 1
    assert client.get("/api/v1/contributions/", {"cursor": "garbage"}).status_code == 404


def test_operation_list_and_detail_query_counts_do_not_grow(client: APIClient) -> None:
    isaf = OperationFactory(code="isaf")
    ContributionFactory(operation=isaf)
    counts = [
        _count_queries(client, url)
        for url in ("/api/v1/operations/", "/api/v1/operations/isaf/", "/api/v1/contributions/")
    ]
    for _ in range(49):
        ContributionFactory(operation=isaf)
        ContributionFactory(operation=OperationFactory())
    assert [
        _count_queries(client, url)
        for url in ("/api/v1/operations/", "/api/v1/operations/isaf/", "/api/v1/contributions/")
    ] == counts
