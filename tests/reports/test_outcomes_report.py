"""Activity outcomes feed the outcomes report (page, CSV, XLSX, API) and show on the partner profile
and the programme page, per partner, year, area and catalogue item, within the reader's clearance."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.accounts.models import User
from portal.core.models import Marking
from tests.api.conftest import token_client
from tests.factories import UserFactory
from workprogrammes.programmes.models import ActivityOutcome

from .helpers import page_table

pytestmark = pytest.mark.django_db

URL = reverse("reports:report", args=["outcomes"])
EXPORT = reverse("reports:export", args=["outcomes"])


def _outcome(activity: Any, **fields: Any) -> ActivityOutcome:
    return ActivityOutcome.objects.create(activity=activity, recorded_by=UserFactory(), **fields)


@pytest.fixture
def held(partner_with_activities: Callable[..., list[Any]]) -> list[Any]:
    """Three held activities of Japan's 2009 programme with their outcomes; one planned without."""
    activities = partner_with_activities(3, status="held")
    for activity, (people, rating, lesson) in zip(
        activities,
        [(20, 4, "Book interpreters early."), (30, 5, ""), (10, 3, "Book interpreters early.")],
        strict=True,
    ):
        _outcome(activity, participants=people, rating=rating, lessons=lesson, follow_up="Offer two places.")
    partner_with_activities(1, year=2010, status="planned")
    return activities


def test_the_report_groups_outcomes_per_partner_year_area_and_item(
    analyst_client: Client, held: list[Any]
) -> None:
    headers, rows = page_table(analyst_client.get(URL).content.decode())
    assert headers == [
        "Partner",
        "Year",
        "Area of cooperation",
        "Catalogue item",
        "Activities held",
        "Outcomes recorded",
        "Participants",
        "Mean rating",
        "Lessons learned",
        "Follow-up",
    ]
    assert rows == [
        [
            "Japan",
            "2009",
            "Education",
            "ETE-2009",
            "3",
            "3",
            "60",
            "4.0",
            "Book interpreters early.",
            "Offer two places.",
        ]
    ]


def test_csv_and_xlsx_exports_hold_the_page_rows(analyst_client: Client, held: list[Any]) -> None:
    response = analyst_client.post(EXPORT + "?partner=JP", {"format": "csv"})
    body = b"".join(response.streaming_content).decode("utf-8").removeprefix("\ufeff")
    exported = list(csv.reader(io.StringIO(body)))
    data = [row for row in exported if row and row[0] == "Japan"]
    assert [row[:8] for row in data] == [["Japan", "2009", "Education", "ETE-2009", "3", "3", "60", "4.0"]]
    assert data[0][9] == "Offer two places."
    sheet = openpyxl.load_workbook(io.BytesIO(analyst_client.post(EXPORT, {"format": "xlsx"}).content)).active
    (values,) = [[cell.value for cell in row] for row in sheet.iter_rows() if row[0].value == "Japan"]
    assert values[4:7] == [3, 3, 60] and Decimal(str(values[7])) == Decimal("4.0")


def test_held_activities_count_whether_or_not_their_outcome_is_recorded_yet(
    analyst: User,
    analyst_client: Client,
    viewer_client: Client,
    held: list[Any],
    partner_with_activities: Any,
) -> None:
    """Held and reported activities took place: both count as held; only recorded outcomes give figures.
    Planned and cancelled ones do not count."""
    awaiting = partner_with_activities(2, year=2011, status="held")
    _outcome(awaiting[0], participants=12, rating=2, lessons="Start on time.")
    awaiting[0].status = "reported"
    awaiting[0].save(update_fields=["status"])
    partner_with_activities(1, year=2012, status="cancelled")
    _headers, rows = page_table(analyst_client.get(URL).content.decode())
    assert [row[1:8] for row in rows] == [
        ["2009", "Education", "ETE-2009", "3", "3", "60", "4.0"],
        ["2011", "Education", "ETE-2011", "2", "1", "12", "2.0"],
    ]
    api = token_client(analyst).get("/api/v1/reports/outcomes/", {"year_from": 2011}).json()["results"]
    assert [(row["held"], row["reported"], row["participants"]) for row in api] == [(2, 1, 12)]
    profile = viewer_client.get(reverse("partners:outcomes", args=["JP"])).content.decode()
    assert "Start on time." in profile and "Offer two places." in profile


def test_filters_narrow_the_report(analyst_client: Client, held: list[Any]) -> None:
    _headers, rows = page_table(analyst_client.get(URL + "?year_from=2010").content.decode())
    assert rows == []


def test_the_report_through_the_api_with_a_token(analyst: User, held: list[Any]) -> None:
    response = token_client(analyst).get("/api/v1/reports/outcomes/")
    assert response.status_code == 200, response.content
    (row,) = response.json()["results"]
    assert (row["held"], row["reported"], row["participants"], str(row["mean_rating"])) == (3, 3, 60, "4.0")
    assert row["follow_up"] == "Offer two places."


def test_outcomes_above_the_readers_clearance_are_left_out(
    analyst: User, analyst_client: Client, held: list[Any]
) -> None:
    held[0].marking = Marking.NATO_SECRET
    held[0].save(update_fields=["marking"])
    _headers, rows = page_table(analyst_client.get(URL).content.decode())
    assert rows[0][4:7] == ["2", "2", "40"]


def test_the_partner_profile_and_the_programme_page_show_the_outcomes(
    viewer_client: Client, held: list[Any]
) -> None:
    profile = viewer_client.get(reverse("partners:profile", args=["JP"])).content.decode()
    # The profile loads its outcomes section when it comes into view; without script, a link opens it.
    outcomes_url = reverse("partners:outcomes", args=["JP"])
    assert 'id="outcomes"' in profile and f'hx-get="{outcomes_url}"' in profile
    assert f'<a href="{outcomes_url}">' in profile
    for headers in ({"HX-Request": "true"}, {}):
        section = viewer_client.get(outcomes_url, headers=headers).content.decode()
        assert 'id="outcomes-body"' in section and "data-outcomes" in section
        assert "Book interpreters early." in section and ">60<" in section
        assert reverse("reports:report", args=["outcomes"]) + "?partner=JP" in section
    assert "<html" not in viewer_client.get(outcomes_url, headers={"HX-Request": "true"}).content.decode()
    programme = held[0].programme
    page = viewer_client.get(reverse("programmes:detail", args=[programme.pk])).content.decode()
    assert "data-outcomes" in page and ">60<" in page


def test_the_profile_shows_the_latest_two_years_and_counts_the_earlier_ones(
    viewer_client: Client, held: list[Any], partner_with_activities: Callable[..., list[Any]]
) -> None:
    for year in (2011, 2012):
        for activity in partner_with_activities(1, year=year, status="held"):
            _outcome(activity, participants=5, rating=4, lessons=f"Lesson of {year}.")
    profile = viewer_client.get(reverse("partners:outcomes", args=["JP"])).content.decode()
    assert "Lesson of 2012." in profile and "Lesson of 2011." in profile
    assert "Book interpreters early." not in profile
    assert "3 activities were held before 2011" in profile
    viewer_client.cookies["django_language"] = "fr"
    french = viewer_client.get(reverse("partners:outcomes", args=["JP"])).content.decode()
    assert "3 activités ont été tenues avant 2011" in french
    assert "Ouvrir le rapport sur les résultats (exports CSV et XLSX)" in french


def test_the_profiles_outcomes_cost_one_query_whatever_their_number(
    viewer_client: Client, partner_with_activities: Callable[..., list[Any]]
) -> None:
    url = reverse("partners:outcomes", args=["JP"])
    for activity in partner_with_activities(1, status="held"):
        _outcome(activity, participants=5, rating=4)
    with CaptureQueriesContext(connection) as one:
        viewer_client.get(url)
    for year in range(2011, 2016):
        for activity in partner_with_activities(3, year=year, status="held"):
            _outcome(activity, participants=5, rating=4)
    with CaptureQueriesContext(connection) as many:
        viewer_client.get(url)
    assert len(many) == len(one)
