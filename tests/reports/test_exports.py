"""CSV and XLSX exports hold exactly the page's table for the same filters, safely and with types."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from portal.accounts.models import Role
from portal.core.models import Marking
from portal.reports.exporters import csv_value, neutralise
from portal.reports.models import ExportJob
from tests.factories import CooperationAreaFactory, FundingContributionFactory, OperationFactory

from .helpers import page_table, user_with_roles

pytestmark = pytest.mark.django_db

ACTIVITIES_URL = reverse("reports:report", args=["activities"])
ACTIVITIES_EXPORT = reverse("reports:export", args=["activities"])


def _csv(response: Any) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff"), "a byte-order mark tells spreadsheets the file is UTF-8"
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def _xlsx(response: Any) -> Any:
    return openpyxl.load_workbook(io.BytesIO(response.content)).active


def _as_machine(value: Any) -> str:
    """An XLSX cell as the page's data-value writes it."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    return str(value)


def test_csv_export_holds_exactly_the_page_rows_for_the_same_filters_and_sort(
    analyst_client: Client, partner_with_activities: Any
) -> None:
    partner_with_activities(4, status="held")
    partner_with_activities(3, status="planned")
    partner_with_activities(2, year=2010, status="held")
    query = "?partner=JP&year=2009&status=held&sort=-start_date"

    page = analyst_client.get(ACTIVITIES_URL + query)
    headers, rows = page_table(page.content.decode())
    exported = _csv(analyst_client.post(ACTIVITIES_EXPORT + query, {"format": "csv"}))

    assert len(rows) == 4
    assert exported[0] == ["NATO UNCLASSIFIED"]
    assert exported[1] == headers
    assert exported[2:] == rows
    assert [row[6] for row in rows] == sorted((row[6] for row in rows), reverse=True)


def test_xlsx_export_holds_the_page_rows_with_typed_cells_a_header_and_frozen_panes(
    analyst_client: Client, partner_with_activities: Any
) -> None:
    partner_with_activities(5)
    page = analyst_client.get(ACTIVITIES_URL + "?sort=start_date")
    headers, rows = page_table(page.content.decode())

    sheet = _xlsx(analyst_client.post(ACTIVITIES_EXPORT + "?sort=start_date", {"format": "xlsx"}))
    values = [list(row) for row in sheet.iter_rows(values_only=True)]

    assert values[0][0] == "NATO UNCLASSIFIED"
    assert list(values[1]) == headers
    assert [[_as_machine(v) for v in row] for row in values[2:]] == rows
    assert sheet.freeze_panes == "A3"
    assert sheet["A2"].font.bold
    year, starts = sheet["B3"], sheet["G3"]
    assert year.data_type == "n" and year.value == 2009
    assert isinstance(starts.value, datetime.datetime) and starts.is_date
    assert starts.value.date() == datetime.date(2009, 1, 5)


def test_contributions_export_keeps_amounts_as_numbers(analyst_client: Client, partner: Any) -> None:
    FundingContributionFactory(
        partner=partner, operation=OperationFactory(acronym_en="ISAF"), amount=Decimal("1234.50")
    )
    url = reverse("reports:export", args=["contributions"])

    rows = _csv(analyst_client.post(url, {"format": "csv"}))
    sheet = _xlsx(analyst_client.post(url, {"format": "xlsx"}))

    assert rows[2] == ["Japan", "ISAF", "2007", "1", "", "1234.50", "EUR"]
    amount = sheet["F3"]
    assert amount.data_type == "n" and amount.value == pytest.approx(1234.5)
    assert amount.number_format == "#,##0.00"


DANGEROUS = ['=HYPERLINK("http://evil")', "+SUM(A1)", "-2+3", "@cmd", "\tTAB", "\rCR"]


def test_cells_that_a_spreadsheet_would_run_are_neutralised_and_numbers_stay_numbers(
    analyst_client: Client, partner_with_activities: Any
) -> None:
    for i, text in enumerate(DANGEROUS):
        activity = partner_with_activities(1, place=text)[0]
        activity.title_en = f"{text} {i}"
        activity.save(update_fields=["title_en"])

    rows = _csv(analyst_client.post(ACTIVITIES_EXPORT + "?sort=start_date", {"format": "csv"}))[2:]
    sheet = _xlsx(analyst_client.post(ACTIVITIES_EXPORT + "?sort=start_date", {"format": "xlsx"}))

    places = sorted(row[8] for row in rows)
    assert places == sorted("'" + text for text in DANGEROUS)
    assert all(row[2].startswith("'") for row in rows)
    assert all(row[1] == "2009" for row in rows), "the year is a number and is written as one"
    for row in sheet.iter_rows(min_row=3):
        place, year = row[8], row[1]
        assert place.data_type == "s" and place.value.startswith("'"), place.value
        assert year.data_type == "n"
    assert neutralise("plain text") == "plain text"
    assert csv_value(-5) == "-5" and csv_value(Decimal("-1.5")) == "-1.5"


def test_the_marking_of_the_rows_heads_the_export_and_users_below_it_do_not_get_the_rows(
    client: Client, partner_with_activities: Any
) -> None:
    partner_with_activities(2)
    partner_with_activities(1, year=2010, marking=Marking.NATO_RESTRICTED)
    cleared = user_with_roles("cleared", Role.ANALYST, clearance=Marking.NATO_RESTRICTED)
    uncleared = user_with_roles("uncleared", Role.ANALYST)

    client.force_login(cleared)
    rows = _csv(client.post(ACTIVITIES_EXPORT, {"format": "csv"}))
    sheet = _xlsx(client.post(ACTIVITIES_EXPORT, {"format": "xlsx"}))
    assert rows[0] == ["NATO RESTRICTED"] and len(rows) == 2 + 3
    assert sheet["A1"].value == "NATO RESTRICTED"

    client.force_login(uncleared)
    rows = _csv(client.post(ACTIVITIES_EXPORT, {"format": "csv"}))
    assert rows[0] == ["NATO UNCLASSIFIED"] and len(rows) == 2 + 2
    assert "NATO RESTRICTED" not in {row[-1] for row in rows[2:]}


def test_every_export_is_recorded_with_who_which_report_filters_format_and_rows(
    analyst_client: Client, analyst: Any, partner_with_activities: Any
) -> None:
    partner_with_activities(3)
    _csv(analyst_client.post(ACTIVITIES_EXPORT + "?partner=JP&sort=place", {"format": "csv"}))
    analyst_client.post(ACTIVITIES_EXPORT + "?year=2009", {"format": "xlsx"})

    csv_job, xlsx_job = ExportJob.objects.order_by("pk")
    assert (csv_job.user, csv_job.report, csv_job.format, csv_job.row_count) == (
        analyst,
        "activities",
        "csv",
        3,
    )
    assert csv_job.filters == {"partner": "JP", "sort": "place"}
    assert csv_job.status == "done" and csv_job.mode == "inline" and csv_job.finished_at is not None
    assert (xlsx_job.format, xlsx_job.filters, xlsx_job.row_count) == (
        "xlsx",
        {"year": "2009", "sort": "partner_name"},
        3,
    )


def test_headers_are_in_the_users_language(client: Client, partner_with_activities: Any) -> None:
    partner_with_activities(1)
    client.force_login(user_with_roles("analyste", Role.ANALYST))
    client.cookies["django_language"] = "fr"

    page = client.get(ACTIVITIES_URL)
    headers, _rows = page_table(page.content.decode())
    rows = _csv(client.post(ACTIVITIES_EXPORT, {"format": "csv"}))

    assert rows[1] == headers
    assert "Partenaire" in headers and "Statut" in headers
    assert rows[2][0] == "Japon", "bilingual names are read in the user's language"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OFFICER, Role.REVIEWER, Role.COUNCIL_SECRETARY])
def test_only_analysts_and_administrators_use_reports_and_exports(client: Client, role: str) -> None:
    client.force_login(user_with_roles(f"user-{role}", role))

    assert client.get(reverse("reports:index")).status_code == 403
    assert client.get(ACTIVITIES_URL).status_code == 403
    assert client.post(ACTIVITIES_EXPORT, {"format": "csv"}).status_code == 403
    assert not ExportJob.objects.exists()


def test_administrators_may_export(client: Client, administrator: Any) -> None:
    client.force_login(administrator)
    assert client.get(reverse("reports:index")).status_code == 200
    assert client.post(ACTIVITIES_EXPORT, {"format": "csv"}).status_code == 200


def test_invalid_filters_are_shown_with_the_form_and_not_exported(analyst_client: Client) -> None:
    response = analyst_client.get(ACTIVITIES_URL + "?year=abc&partner=ZZ")

    assert response.status_code == 400
    assert b'value="abc"' in response.content, "what the user typed is kept"
    export = analyst_client.post(ACTIVITIES_EXPORT + "?year=abc", {"format": "csv"})
    assert export.status_code == 302 and not ExportJob.objects.exists()
    assert analyst_client.post(ACTIVITIES_EXPORT, {"format": "exe"}).status_code == 400


def test_an_unknown_report_is_not_found(analyst_client: Client) -> None:
    assert analyst_client.get(reverse("reports:report", args=["nope"])).status_code == 404


def test_area_filter_limits_activities(analyst_client: Client, partner_with_activities: Any) -> None:
    partner_with_activities(2)
    other_area = CooperationAreaFactory(code="language", name_en="Language training")
    partner_with_activities(3, year=2011, area=other_area)

    _headers, rows = page_table(analyst_client.get(ACTIVITIES_URL + "?area=language").content.decode())

    assert len(rows) == 3 and {row[4] for row in rows} == {"Language training"}


def test_the_fast_csv_converters_write_what_the_typed_formatter_shows() -> None:
    """The CSV path converts column by column for speed; it must agree with the page's typed values."""
    from django.utils import timezone

    from portal.reports.exporters import csv_column_converters
    from portal.reports.registry import REPORTS

    samples: dict[str, list[Any]] = {
        "text": ["Japan", "", None, "=1+1", "-x", "@a", "\tb", "\rc", "+d"],
        "int": [0, 7, 1550, None],
        "year": [2009, None],
        "decimal": [Decimal("32000000.00"), Decimal("0.50"), None],
        "days": [13.999999, 20.05, 0.0, None, 7],
        "date": [
            datetime.date(2009, 3, 2),
            timezone.make_aware(datetime.datetime(2025, 6, 30, 23, 30)),
            None,
        ],
    }
    for report in REPORTS.values():
        formatter_steps = report.formatter()
        for index, (column, convert) in enumerate(
            zip(report.columns, csv_column_converters(report.columns), strict=True)
        ):
            values = (
                [*(value for value, _label in column.choices.choices), None, "unknown"]
                if column.choices is not None
                else samples[column.kind]
            )
            for value in values:
                row = [None] * len(report.columns)
                row[index] = value
                expected = csv_value(formatter_steps(tuple(row))[index])
                assert convert([value]) == [expected], (report.slug, column.key, value)
