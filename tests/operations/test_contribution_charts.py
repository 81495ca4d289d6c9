"""Contributions over time where people look: a chart on the partner profile (per operation) and on the
operation page (per partner), personnel and funding, gaps where a year has no data, each with its data
table; the dashboard's chart narrowed to one partner. Chart.js is vendored, never fetched."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from operations.charts import contribution_charts
from operations.selectors import contribution_timeline
from portal.accounts.models import User
from tests.factories import ContributionFactory, FundingContributionFactory, OperationFactory, PartnerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def isaf(partner: Any) -> Any:
    """Japan: troops to ISAF in 2007 and 2009 (none recorded in 2008), money in 2009; Korea in 2008."""
    operation = OperationFactory(code="isaf", acronym_en="ISAF", acronym_fr="FIAS")
    ContributionFactory(
        partner=partner,
        operation=operation,
        period_start=datetime.date(2007, 1, 1),
        period_end=datetime.date(2007, 12, 31),
        personnel=500,
    )
    ContributionFactory(
        partner=partner,
        operation=operation,
        period_start=datetime.date(2009, 3, 1),
        period_end=datetime.date(2009, 3, 31),
        personnel=1550,
    )
    FundingContributionFactory(
        partner=partner,
        operation=operation,
        period_start=datetime.date(2009, 1, 1),
        period_end=datetime.date(2009, 12, 31),
    )
    korea = PartnerFactory(iso_code="KR", name_en="Republic of Korea", name_fr="République de Corée")
    ContributionFactory(
        partner=korea,
        operation=operation,
        period_start=datetime.date(2008, 1, 1),
        period_end=datetime.date(2008, 6, 30),
        personnel=426,
    )
    return operation


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _chart_json(html: str, data_id: str) -> dict[str, Any]:
    match = re.search(rf'<script id="{data_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no chart data {data_id}"
    return json.loads(match.group(1))


def test_a_year_without_data_is_a_gap_not_a_zero(partner: Any, isaf: Any) -> None:
    timeline = contribution_timeline(partner=partner)
    assert timeline.years == [2007, 2008, 2009]
    assert timeline.personnel == {"ISAF": [500, None, 1550]}
    assert timeline.funding == {"ISAF (EUR)": [None, None, Decimal("32000000.00")]}
    personnel, _funding = contribution_charts(timeline, key="t", by="operation")
    assert personnel.chart_data()["spanGaps"] is False
    # The printed chart (SVG) breaks the line at the gap too: two runs, no line across 2008.
    assert personnel.svg().count("<polyline") == 0  # 2007 and 2009 are single points around the gap
    timeline.personnel["ISAF"] = [500, 600, None, 700, 800]
    personnel, _funding = contribution_charts(
        type(timeline)(years=[1, 2, 3, 4, 5], personnel=timeline.personnel, funding={}),
        key="t",
        by="operation",
    )
    assert personnel.svg().count("<polyline") == 2


def test_personnel_counts_in_every_year_its_period_covers_and_funding_once(
    viewer: User, viewer_client: Client
) -> None:
    """Singapore kept 40 people in ISAF from May 2007 to June 2013; Mongolia 120 from 2010 with no end
    recorded (until ISAF ended in 2014); a trust fund gave EUR 32 million over 2007-2011."""
    isaf = OperationFactory(
        code="isaf",
        acronym_en="ISAF",
        start_date=datetime.date(2003, 8, 11),
        end_date=datetime.date(2014, 12, 31),
    )
    singapore = PartnerFactory(iso_code="SG", name_en="Singapore", name_fr="Singapour")
    mongolia = PartnerFactory(iso_code="MN", name_en="Mongolia", name_fr="Mongolie")
    ContributionFactory(
        partner=singapore,
        operation=isaf,
        period_start=datetime.date(2007, 5, 1),
        period_end=datetime.date(2013, 6, 30),
        personnel=40,
    )
    ContributionFactory(
        partner=mongolia, operation=isaf, period_start=datetime.date(2010, 1, 1), personnel=120
    )
    FundingContributionFactory(
        partner=singapore,
        operation=isaf,
        period_start=datetime.date(2007, 1, 1),
        period_end=datetime.date(2011, 3, 31),
    )
    timeline = contribution_timeline(operation=isaf)
    assert timeline.years == list(range(2007, 2015))
    assert timeline.personnel == {
        "Mongolia": [None, None, None, 120, 120, 120, 120, 120],
        "Singapore": [40, 40, 40, 40, 40, 40, 40, None],
    }
    assert timeline.funding == {"Singapore (EUR)": [Decimal("32000000.00"), *[None] * 7]}
    html = viewer_client.get(reverse("operations:detail", args=["isaf"])).content.decode()
    personnel = _chart_json(html, "chart-data-operation-contributions-personnel")
    assert personnel["labels"] == [str(year) for year in range(2007, 2015)]
    profile = viewer_client.get(reverse("partners:profile", args=["SG"])).content.decode()
    assert _chart_json(profile, "chart-data-partner-contributions-personnel")["datasets"][0]["data"] == [
        *[40] * 7
    ]
    from tests.api.conftest import token_client

    api = token_client(viewer).get("/api/v1/operations/isaf/").json()["contributions_per_year"]
    assert api["personnel"]["Mongolia"] == [None, None, None, 120, 120, 120, 120, 120]


def test_the_partner_profile_charts_personnel_and_funding_per_operation_with_tables(
    viewer_client: Client, partner: Any, isaf: Any
) -> None:
    html = viewer_client.get(reverse("partners:profile", args=[partner.iso_code])).content.decode()
    assert "data-contribution-charts" in html
    personnel = _chart_json(html, "chart-data-partner-contributions-personnel")
    assert personnel["labels"] == ["2007", "2008", "2009"]
    assert personnel["datasets"][0]["label"] == "ISAF"
    assert personnel["datasets"][0]["data"] == [500, None, 1550]
    funding = _chart_json(html, "chart-data-partner-contributions-funding")
    assert funding["datasets"][0]["label"] == "ISAF (EUR)"
    assert html.count("portal-chart__table") >= 2
    assert "/static/vendor/chartjs/" in html
    assert not re.search(r'<script[^>]+src="https?://', html)


def test_the_operation_page_charts_each_partner(viewer_client: Client, isaf: Any) -> None:
    html = viewer_client.get(reverse("operations:detail", args=["isaf"])).content.decode()
    personnel = _chart_json(html, "chart-data-operation-contributions-personnel")
    series = {dataset["label"]: dataset["data"] for dataset in personnel["datasets"]}
    assert series == {"Japan": [500, None, 1550], "Republic of Korea": [None, 426, None]}
    assert "Data of the chart" in html


def test_a_partner_without_contributions_has_no_chart(viewer_client: Client, partner: Any) -> None:
    html = viewer_client.get(reverse("partners:profile", args=[partner.iso_code])).content.decode()
    assert "data-contribution-charts" not in html


def test_the_dashboard_chart_can_be_narrowed_to_one_partner(analyst: User, isaf: Any) -> None:
    cache.clear()
    client = _client(analyst)
    everyone = _chart_json(client.get("/").content.decode(), "chart-data-contributions")
    assert {d["label"] for d in everyone["datasets"]} == {"Japan – ISAF", "Republic of Korea – ISAF"}
    page = client.get("/", {"partner": "KR"}).content.decode()
    narrowed = _chart_json(page, "chart-data-contributions")
    assert [d["label"] for d in narrowed["datasets"]] == ["Republic of Korea – ISAF"]
    assert 'value="KR" selected' in page
    # An unknown code is the whole chart again, never an error.
    assert client.get("/", {"partner": "ZZ"}).status_code == 200


def test_the_api_gives_the_same_series_for_the_partner_and_the_operation(
    viewer: User, partner: Any, isaf: Any
) -> None:
    from tests.api.conftest import token_client

    client = token_client(viewer)
    profile = client.get(f"/api/v1/partners/{partner.iso_code}/").json()["contributions_per_year"]
    assert profile["years"] == [2007, 2008, 2009]
    assert profile["personnel"] == {"ISAF": [500, None, 1550]}
    assert profile["funding"] == {"ISAF (EUR)": [None, None, "32000000.00"]}
    operation = client.get("/api/v1/operations/isaf/").json()["contributions_per_year"]
    assert operation["personnel"]["Republic of Korea"] == [None, 426, None]
