"""Journey 5: an analyst filters a report, exports it as CSV and XLSX, and finds the same row in both."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _row_with(rows: list[list[str]], *cells: str) -> list[str]:
    for row in rows:
        if all(cell in row for cell in cells):
            return row
    raise AssertionError(f"no row holds {cells}: {rows[:6]}")


def test_analyst_filters_contributions_and_exports_csv_and_xlsx(visit) -> None:
    analyst = visit("analyst", language="en")
    page = analyst.page

    analyst.tab_to("nav.usa-nav a[href='/reports/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/")
    analyst.check("reports")
    analyst.tab_to("main a[href='/reports/contributions/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/contributions/")
    analyst.check("contributions-report")

    # Filter: Australia's contributions to ISAF, chosen with the keyboard's focus on each control.
    analyst.tab_to("#id_partner")
    page.select_option("#id_partner", value="AU")
    analyst.tab_to("#id_operation")
    page.select_option("#id_operation", value="isaf")
    analyst.tab_to("form[role=search] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**/reports/contributions/?*partner=AU*")
    table = page.locator("table.portal-report__table")
    expect(table.locator("tbody tr").first).to_contain_text("Australia")
    for row in table.locator("tbody tr").all():
        expect(row).to_contain_text("Australia")
    # Australia's troops rose to 1,550 (March 2011): the peak personnel shows with its thousands separator.
    expect(table).to_contain_text("1,550")
    screen_rows = table.locator("tbody tr").count()
    analyst.check("contributions-australia-isaf")

    # CSV, by keyboard.
    analyst.tab_to("form.portal-report__export button[value=csv]")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    header = _row_with(rows, "Partner", "Operation", "Year", "Peak personnel")
    body = rows[rows.index(header) + 1 :]
    assert len(body) == screen_rows
    peak = _row_with(body, "Australia", "1550")
    assert peak[header.index("Year")] == "2011"

    # XLSX, by keyboard: the same row, with typed cells.
    analyst.tab_to("form.portal-report__export button[value=xlsx]")
    with page.expect_download() as download_info:
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True).active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_row = next(row for row in values if "Partner" in row and "Peak personnel" in row)
    data = values[values.index(header_row) + 1 :]
    assert len(data) == screen_rows
    xlsx_peak = next(row for row in data if "Australia" in str(row[0]) and 1550 in row)
    assert xlsx_peak[header_row.index("Year")] == 2011
    analyst.screenshot("exported")
