"""Reports, exports and the calendar feed through the API: the report pages' registry, forms and rules."""

from __future__ import annotations

import datetime
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import User
from portal.reports.models import CalendarFeed, ExportJob
from portal.reports.registry import REPORTS
from tests.factories import ContributionFactory, OperationFactory

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def _error(response: Any) -> dict[str, Any]:
    return response.json()["error"]


def _contributions(partner: Any, n: int) -> None:
    for i in range(n):
        ContributionFactory(
            partner=partner,
            operation=OperationFactory(),
            period_start=datetime.date(2007 + i % 5, 1, 1),
            personnel=100 + i,
        )


def test_reports_are_listed_with_their_columns_and_filters(analyst: User, api_client_for) -> None:
    body = api_client_for(analyst).get("/api/v1/reports/").json()
    assert [report["slug"] for report in body] == list(REPORTS)
    contributions = body[0]
    assert contributions["columns"][0]["key"] == REPORTS["contributions"].columns[0].key
    assert {"partner", "year_from", "year_to"} <= {f["name"] for f in contributions["filters"]}


@pytest.mark.parametrize(
    ("role", "expected"), [("viewer", 403), ("officer", 403), ("analyst", 200), ("administrator", 200)]
)
def test_reports_are_for_analysts_and_administrators(
    role: str, expected: int, request: pytest.FixtureRequest, api_client_for
) -> None:
    user: User = request.getfixturevalue(role)
    client = api_client_for(user)
    assert client.get("/api/v1/reports/").status_code == expected
    assert client.get("/api/v1/reports/contributions/").status_code == expected
    response = client.post("/api/v1/reports/contributions/exports/", {"format": "csv"})
    assert response.status_code == (202 if expected == 200 else 403)


def test_report_rows_are_the_pages_rows_for_the_same_filters(
    analyst: User, partner: Any, api_client_for
) -> None:
    _contributions(partner, 3)
    client = api_client_for(analyst)
    body = client.get("/api/v1/reports/contributions/", {"partner": "JP", "year_from": 2008}).json()
    report = REPORTS["contributions"]
    form = report.form({"partner": "JP", "year_from": "2008"})
    assert form.is_valid()
    expected = [report.formatter()(row) for row in report.rows(user=analyst, filters=form.cleaned_data)]
    keys = [column.key for column in report.columns]
    assert [[row[key] for key in keys] for row in body["results"]] == expected
    assert body["count"] == len(expected) > 0


def test_invalid_filters_are_field_errors(analyst: User, api_client_for) -> None:
    response = api_client_for(analyst).get(
        "/api/v1/reports/contributions/", {"year_from": 2010, "year_to": 2005}
    )
    assert response.status_code == 400
    assert "year_to" in _error(response)["fields"]
    assert api_client_for(analyst).get("/api/v1/reports/nothing/").status_code == 404


def test_report_rows_use_the_same_queries_at_1_and_50_rows(
    analyst: User, partner: Any, api_client_for
) -> None:
    client = api_client_for(analyst)
    _contributions(partner, 1)
    client.get("/api/v1/reports/contributions/")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/reports/contributions/").status_code == 200
        return len(queries)

    one = count()
    _contributions(partner, 49)
    assert count() == one


def test_export_job_runs_and_only_its_owner_downloads_it(
    analyst: User, administrator: User, partner: Any, api_client_for, django_capture_on_commit_callbacks
) -> None:
    _contributions(partner, 2)
    client = api_client_for(analyst)
    with django_capture_on_commit_callbacks(execute=True):
        created = client.post(
            "/api/v1/reports/contributions/exports/",
            {"format": "csv", "filters": {"partner": "JP"}},
            format="json",
        )
    assert created.status_code == 202, created.json()
    job_id = created.json()["id"]
    # Tasks run eagerly in the tests: the job is done once the request's transaction has committed.
    status = client.get(f"/api/v1/exports/{job_id}/").json()
    assert status["status"] == ExportJob.Status.DONE and status["percent"] == 100
    assert status["filters"]["partner"] == "JP"
    download = client.get(status["download_url"])
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert content.count(b"\n") >= 3  # marking, headers, two rows
    assert [job["id"] for job in client.get("/api/v1/exports/").json()] == [job_id]
    other = api_client_for(administrator)
    assert other.get(f"/api/v1/exports/{job_id}/").status_code == 404
    assert other.get(f"/api/v1/exports/{job_id}/download/").status_code == 404


def test_export_with_bad_filters_or_format_is_refused(analyst: User, api_client_for) -> None:
    client = api_client_for(analyst)
    bad_format = client.post("/api/v1/reports/contributions/exports/", {"format": "pdf"}, format="json")
    assert bad_format.status_code == 400 and "format" in _error(bad_format)["fields"]
    bad_filter = client.post(
        "/api/v1/reports/contributions/exports/",
        {"format": "csv", "filters": {"partner": "ZZ"}},
        format="json",
    )
    assert bad_filter.status_code == 400 and "partner" in _error(bad_filter)["fields"]
    assert not ExportJob.objects.exists()


def test_calendar_feed_url_is_created_and_regenerated(viewer: User, api_client_for, anonymous_client) -> None:
    client = api_client_for(viewer)
    assert client.get("/api/v1/me/calendar/").json() == {"url": None}
    first = client.post("/api/v1/me/calendar/regenerate/").json()["url"]
    assert CalendarFeed.objects.get(user=viewer).token in first
    assert client.get("/api/v1/me/calendar/").json()["url"] == first
    second = client.post("/api/v1/me/calendar/regenerate/").json()["url"]
    assert second != first
    assert anonymous_client.get("/api/v1/me/calendar/").status_code == 401


# --- French -------------------------------------------------------------------------------------


@pytest.fixture
def french_catalogue() -> None:
    """The French messages need the compiled catalogue (`make messages`); compile it if stale."""
    po = REPO / "locale/fr/LC_MESSAGES/django.po"
    mo = po.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)


def test_accept_language_fr_gives_french_fields_and_messages(
    french_catalogue: None, viewer: User, officer: User, partner: Any, draft: Any, api_client_for
) -> None:
    as_viewer = api_client_for(viewer, language="fr")
    assert as_viewer.get("/api/v1/partners/JP/").json()["name"] == "Japon"
    refused = as_viewer.patch(f"/api/v1/programmes/{draft.pk}/", {"objectives_en": "x"}, format="json")
    assert refused.status_code == 403
    assert _error(refused)["message"].startswith("Seuls les chargés de dossier")
    english = api_client_for(viewer).get("/api/v1/partners/JP/").json()
    assert english["name"] == "Japan"
