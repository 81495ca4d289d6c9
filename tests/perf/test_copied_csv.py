"""The streamed CSV that PostgreSQL writes (COPY) holds the Python writer's cells, for every report."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.utils import translation

from portal.accounts.models import Role
from portal.reports.copied_csv import COPY_KINDS, CopiedCsv
from portal.reports.exporters import write_csv
from portal.reports.registry import REPORTS
from portal.reports.selectors import export_source
from tests.factories import (
    CatalogueItemFactory,
    ContributionFactory,
    ProgrammeActivityFactory,
    UserFactory,
    WorkProgrammeFactory,
)
from tests.workprogrammes.request_factories import InclusionRequestFactory
from workprogrammes.programmes.models import ProgrammeActivity

TRICKY = ["=SUM(A1)", "+33 1 23", "-minus", "@at", "\ttab", "\rreturn", "a, b", 'quote "x"', "two\nlines", ""]


def _rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8").removeprefix("\ufeff"))))


def _build() -> None:
    programme = WorkProgrammeFactory(year=2009)
    for number, text in enumerate(TRICKY):
        ProgrammeActivityFactory(
            programme=programme,
            title_en=text or "Untitled",
            title_fr=text,
            place=text,
            lead=text,
            catalogue_item=None if number % 3 == 0 else CatalogueItemFactory(code=f"C{number}{text[:3]}"),
            start_date=datetime.date(2009, 1, 1) + datetime.timedelta(days=number),
            end_date=datetime.date(2009, 1, 3) + datetime.timedelta(days=number),
        )
    ContributionFactory(partner=programme.partner)
    InclusionRequestFactory(partner=programme.partner, title="=cmd", place="a, b")


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "fr"])
def test_every_report_copied_by_postgresql_holds_the_python_writers_cells(language: str) -> None:
    _build()
    analyst = UserFactory(username="copy-analyst", roles=[Role.ANALYST])
    copied_reports = []
    with translation.override(language):
        for report in REPORTS.values():
            source = export_source(report=report, user=analyst, filters={}, sort=None)
            written = io.BytesIO()
            write_csv(source, written)
            copied = CopiedCsv.prepare(source, connection)
            if copied is None:
                assert any(c.choices is None and c.kind not in COPY_KINDS for c in report.columns), (
                    report.slug
                )
                continue
            copied_reports.append(report.slug)
            assert _rows(b"".join(copied)) == _rows(written.getvalue()), report.slug
            assert copied.rows == len(_rows(written.getvalue())) - 2  # the marking and the headings
    assert "activities" in copied_reports


@pytest.mark.django_db(transaction=True)
def test_a_download_left_early_stops_the_copy_and_the_connection_goes_on() -> None:
    programme = WorkProgrammeFactory(year=2009)
    # More CSV than the pipe between the threads holds, so that the copy is still running when left.
    ProgrammeActivity.objects.bulk_create(
        ProgrammeActivity(
            programme=programme,
            title_en=f"Course {number} " + "x" * 200,
            title=f"Course {number}",
            objective="security",
            start_date=datetime.date(2009, 1, 1),
            end_date=datetime.date(2009, 1, 2),
        )
        for number in range(15000)
    )
    analyst = UserFactory(username="copy-leaver", roles=[Role.ANALYST])
    source = export_source(report=REPORTS["activities"], user=analyst, filters={}, sort=None)
    copied = CopiedCsv.prepare(source, connection)
    assert copied is not None

    pieces = iter(copied)
    next(pieces)  # the marking and the headings
    next(pieces)  # the first rows
    pieces.close()  # the client went away

    assert copied.error is not None  # the copy was stopped, not finished
    assert ProgrammeActivity.objects.filter(programme=programme).count() == 15000  # the connection works
