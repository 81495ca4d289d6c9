"""Writing a report's rows as CSV and XLSX: the same rows and columns the page shows, typed where the
format allows, the marking in the first row, and spreadsheet formula injection neutralised.

Both writers take the report's rows as an iterator and never hold more than one chunk in memory: the
query runs through a server-side cursor (CHUNK_SIZE rows a fetch), the CSV is produced a batch of
lines at a time, and openpyxl's write-only mode streams rows into the file it builds.

The CSV path is the one that must keep up with PostgreSQL's COPY on 200,000 rows (bench/export_csv.py),
so it converts column by column with functions chosen up front (`csv_column_converters`) rather than through
the typed formatter; tests hold both to the same output.
"""

from __future__ import annotations

import csv
import datetime
import io
import itertools
import operator
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.core.models import Marking

from .tabular.base import Column, Formatter, Report

# Rows fetched per round trip from the server-side cursor, and between two progress reports.
CHUNK_SIZE = 2000
# A spreadsheet treats a cell that begins with one of these as a formula (or, for a tab or a carriage
# return, may shift it into one); such text is written with a leading apostrophe.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_TRIGGER_CHARACTERS = frozenset(FORMULA_TRIGGERS)

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

    def value_chunks(self, *, on_progress: ProgressCallback | None = None) -> Iterator[list[tuple[Any, ...]]]:
        """The rows as stored, in lists of up to CHUNK_SIZE tuples in column order, read through a
        server-side cursor; `on_progress(n)` after each chunk and at the end.

        This reads the compiled query as Django's values-list iterable does (with its value converters),
        without the per-row wrapper django-modeltranslation puts around it (reports name their
        bilingual columns themselves), and orders each row's columns with one itemgetter.
        """
        query = self.queryset.query
        # The SELECT's column order: Django 5.2 keeps the order values_list() was given in
        # `query.selected` (which django-modeltranslation shuffles; its own iterable puts it back).
        if query.selected:
            selected = list(query.selected)
        else:
            selected = [*query.extra_select, *query.values_select, *query.annotation_select]
        in_order = operator.itemgetter(*(selected.index(column.key) for column in self.columns))
        rows = query.get_compiler(using=self.queryset.db).results_iter(
            chunked_fetch=True, chunk_size=CHUNK_SIZE
        )
        done = 0
        while chunk := list(itertools.islice(rows, CHUNK_SIZE)):
            done += len(chunk)
            yield list(map(in_order, chunk))
            if on_progress is not None:
                on_progress(done)
        if on_progress is not None and done == 0:
            on_progress(0)

    def typed_rows(self, *, on_progress: ProgressCallback | None = None) -> Iterator[list[Any]]:
        """The rows as the page shows them: typed values (labels, dates, numbers)."""
        formatter = self.formatter
        for chunk in self.value_chunks(on_progress=on_progress):
            yield from map(formatter, chunk)

    def csv_chunks(self, *, on_progress: ProgressCallback | None = None) -> Iterator[list[tuple[str, ...]]]:
        """The rows as CSV cells, a chunk at a time: the same text as csv_value(typed value).

        Converted column by column (one comprehension per column and chunk rather than a function call
        per cell): this loop is most of the cost of a large export.
        """
        converters = csv_column_converters(self.columns)
        for chunk in self.value_chunks(on_progress=on_progress):
            columns = zip(*chunk, strict=True)
            converted = [convert(values) for convert, values in zip(converters, columns, strict=True)]
            yield list(zip(*converted, strict=True))


ColumnConverter = Callable[[Sequence[Any]], list[str]]


def _csv_text(value: Any) -> str:
    if value is None:
        return ""
    text = str(value)
    return "'" + text if text[:1] in _TRIGGER_CHARACTERS else text


def _text_column(values: Sequence[Any]) -> list[str]:
    triggers = _TRIGGER_CHARACTERS
    return [("'" + v if v[:1] in triggers else v) if v.__class__ is str else _csv_text(v) for v in values]


def _number_column(values: Sequence[Any]) -> list[str]:
    return ["" if v is None else str(v) for v in values]


def _days_column(values: Sequence[Any]) -> list[str]:
    return ["" if v is None else f"{round(float(v), 1):.1f}" for v in values]


def _csv_date(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return str(value.isoformat())


def _date_column(values: Sequence[Any]) -> list[str]:
    plain_date = datetime.date
    return [v.isoformat() if v.__class__ is plain_date else _csv_date(v) for v in values]


def _label_column(labels: dict[Any, str]) -> ColumnConverter:
    def convert(values: Sequence[Any]) -> list[str]:
        return [labels[v] if v in labels else ("" if v is None else _csv_text(v)) for v in values]

    return convert


_COLUMN_CONVERTERS: dict[str, ColumnConverter] = {
    "text": _text_column,
    "int": _number_column,
    "year": _number_column,
    "decimal": _number_column,
    "days": _days_column,
    "date": _date_column,
}


def csv_column_converters(columns: Iterable[Column]) -> list[ColumnConverter]:
    """For each column, the function from its stored values to their CSV cells (labels in the active
    language)."""
    converters = []
    for column in columns:
        if column.choices is not None:
            labels = {value: neutralise(str(label)) for value, label in column.choices.choices}
            converters.append(_label_column(labels))
        else:
            converters.append(_COLUMN_CONVERTERS[column.kind])
    return converters


def csv_pieces(source: ExportSource, chunks: Iterable[list[tuple[str, ...]]]) -> Iterator[str]:
    """The CSV text in pieces: a byte-order mark (so spreadsheets read UTF-8), the marking, the headings,
    then one piece per chunk of rows (from `source.csv_chunks()`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(marking_line(source.marking))
    writer.writerow(source.headers)
    yield "\ufeff" + buffer.getvalue()
    for chunk in chunks:
        buffer.seek(0)
        buffer.truncate()
        writer.writerows(chunk)
        yield buffer.getvalue()


def write_csv(
    source: ExportSource, output: IO[bytes], *, on_progress: ProgressCallback | None = None
) -> None:
    for piece in csv_pieces(source, source.csv_chunks(on_progress=on_progress)):
        output.write(piece.encode("utf-8"))


_NUMBER_FORMATS = {"int": "#,##0", "year": "0", "decimal": "#,##0.00", "days": "0.0", "date": "yyyy-mm-dd"}
_COLUMN_WIDTHS = {"int": 12, "year": 8, "decimal": 16, "days": 12, "date": 12, "text": 28}
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
