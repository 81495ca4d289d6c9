"""Writing a report's rows as CSV and XLSX: the same rows and columns the page shows, typed where the
format allows, the marking in the first row, and spreadsheet formula injection neutralised.

Both writers take the report's rows as an iterator and never hold more than one chunk in memory: the
query runs through a server-side cursor (`iterator(chunk_size=...)`), the CSV is produced a batch of
lines at a time, and openpyxl's write-only mode streams rows into the file it builds.
"""

from __future__ import annotations

import csv
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.core.models import Marking

from .registry import Column, Formatter, Report

# Rows fetched per round trip from the server-side cursor, and between two progress reports.
CHUNK_SIZE = 2000
# CSV lines joined into one piece of the streamed response.
CSV_BATCH_LINES = 500
# A spreadsheet treats a cell that begins with one of these as a formula (or, for a tab or a carriage
# return, may shift it into one); such text is written with a leading apostrophe.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

ProgressCallback = Callable[[int], None]


def neutralise(text: str) -> str:
    """Text that a spreadsheet would read as a formula, made inert with a leading single quote."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def csv_value(value: Any) -> str:
    """How a typed value is written in CSV: ISO dates, plain numbers (never neutralised), text made safe."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


def machine_value(value: Any) -> str:
    """The same text as the CSV cell, before neutralisation: what the page puts in `data-value`."""
    if isinstance(value, str):
        return value
    return csv_value(value)


def marking_line(marking: int, releasability: str = "") -> list[str]:
    label = str(Marking(marking).label)
    return [f"{label} – {releasability}" if releasability else label]


@dataclass
class ExportSource:
    """Everything an export writes: the marking, the headings, and the rows as they come from the cursor."""

    report: Report
    marking: int
    headers: list[str]
    queryset: QuerySet[Any]
    formatter: Formatter

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.report.columns

    def typed_rows(self, *, on_progress: ProgressCallback | None = None) -> Iterator[list[Any]]:
        """The formatted rows, read through a server-side cursor; `on_progress(n)` after each chunk."""
        done = 0
        for values in self.queryset.iterator(chunk_size=CHUNK_SIZE):
            yield self.formatter(values)
            done += 1
            if on_progress is not None and done % CHUNK_SIZE == 0:
                on_progress(done)
        if on_progress is not None:
            on_progress(done)


class _Echo:
    """A file-like object whose write() returns the line, so csv.writer produces strings to stream."""

    def write(self, value: str) -> str:
        return value


def csv_pieces(source: ExportSource, rows: Iterable[list[Any]]) -> Iterator[str]:
    """The CSV text in pieces: a byte-order mark (so spreadsheets read UTF-8), the marking, the headings,
    then the rows in batches."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + str(writer.writerow(marking_line(source.marking)))
    yield str(writer.writerow(source.headers))
    batch: list[str] = []
    for row in rows:
        batch.append(writer.writerow([csv_value(value) for value in row]))
        if len(batch) >= CSV_BATCH_LINES:
            yield "".join(batch)
            batch = []
    if batch:
        yield "".join(batch)


def write_csv(
    source: ExportSource, output: IO[bytes], *, on_progress: ProgressCallback | None = None
) -> None:
    for piece in csv_pieces(source, source.typed_rows(on_progress=on_progress)):
        output.write(piece.encode("utf-8"))


_NUMBER_FORMATS = {"int": "#,##0", "decimal": "#,##0.00", "days": "0.0", "date": "yyyy-mm-dd"}
_COLUMN_WIDTHS = {"int": 12, "decimal": 16, "days": 12, "date": 12, "text": 28}
_MARKING_FILL = PatternFill("solid", fgColor="007A33")


def write_xlsx(
    source: ExportSource, output: IO[bytes], *, on_progress: ProgressCallback | None = None
) -> None:
    """An XLSX workbook in openpyxl's write-only mode: marking row, bold heading row, frozen panes, and
    typed cells (dates as dates, numbers as numbers)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(source.report.title)[:31])
    # Set before the first row is written: write-only sheets emit their views and columns first.
    sheet.freeze_panes = "A3"
    for index, column in enumerate(source.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _COLUMN_WIDTHS[column.kind]

    marking = WriteOnlyCell(sheet, value=marking_line(source.marking)[0])
    marking.font = Font(bold=True, color="FFFFFF")
    marking.fill = _MARKING_FILL
    sheet.append([marking])

    headers = []
    for column, text in zip(source.columns, source.headers, strict=True):
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        if column.numeric:
            cell.alignment = Alignment(horizontal="right")
        headers.append(cell)
    sheet.append(headers)

    styles = [
        None if column.choices is not None else _NUMBER_FORMATS.get(column.kind) for column in source.columns
    ]
    for row in source.typed_rows(on_progress=on_progress):
        cells: list[Any] = []
        for value, number_format in zip(row, styles, strict=True):
            if isinstance(value, str):
                # Control characters other than tab, newline and carriage return are not valid in XML.
                cells.append(neutralise(ILLEGAL_CHARACTERS_RE.sub("", value)))
            elif number_format is not None and value is not None:
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    workbook.save(output)
