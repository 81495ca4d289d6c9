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

import contextlib
import csv
import datetime
import io
import itertools
import operator
import queue
import threading
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

from .registry import Column, Formatter, Report

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


# --- The streamed CSV, written by PostgreSQL -----------------------------------------------------------
#
# A download of the whole activities report (200,000 rows) spent most of its time reading rows into Python
# and writing them out again; PostgreSQL writes the same CSV itself with COPY ... TO STDOUT, with parallel
# workers (which a server-side cursor cannot use). Columns whose cells SQL writes exactly as csv_value
# does (text made safe, whole numbers, years, dates, labels) are converted in the query; a report with any
# other column (amounts, days) keeps the Python path.

COPY_KINDS = frozenset({"text", "int", "year", "date"})
# PostgreSQL's type codes of timestamps: a date column holding one shows its local date.
_TIMESTAMP_TYPES = frozenset({1114, 1184})
_COPY_DONE = object()
_SQL_TRIGGERS = "'=', '+', '-', '@', E'\\t', E'\\r'"


def _neutralised_sql(text: str) -> str:
    """SQL for the CSV cell of a text: a formula trigger first is escaped with a quote, empty is no value."""
    return f"NULLIF(CASE WHEN left({text}, 1) IN ({_SQL_TRIGGERS}) THEN '''' || {text} ELSE {text} END, '')"


def copy_query(source: ExportSource, cursor: Any) -> str | None:
    """The COPY statement writing the export's rows as their CSV cells; None when a column needs Python.

    `cursor` is a psycopg2 cursor: it reads the value types (a LIMIT 0 query) and quotes the values.
    """
    columns = source.columns
    if any(column.choices is None and column.kind not in COPY_KINDS for column in columns):
        return None
    sql, params = source.queryset.query.sql_with_params()
    inner = cursor.mogrify(sql, params).decode()
    # The ORM's own query, its values quoted by psycopg2 (here and below).
    cursor.execute(f"SELECT * FROM ({inner}) AS r LIMIT 0")  # noqa: S608  # nosec B608
    types = {description.name: description.type_code for description in cursor.description}
    if any(column.key not in types for column in columns):
        return None
    cells = []
    for column in columns:
        reference = '"r"."' + column.key.replace('"', '""') + '"'
        text = f"({reference})::text"
        if column.choices is not None:
            labels = [(value, neutralise(str(label))) for value, label in column.choices.choices]
            cases = cursor.mogrify(
                " ".join("WHEN %s THEN %s" for _ in labels), [item for pair in labels for item in pair]
            ).decode()
            cells.append(f"CASE {reference} {cases} ELSE {_neutralised_sql(text)} END")
        elif column.kind == "text":
            cells.append(_neutralised_sql(text))
        elif column.kind == "date":
            if types[column.key] in _TIMESTAMP_TYPES:
                zone = cursor.mogrify("%s", [timezone.get_current_timezone_name()]).decode()
                reference = f"({reference} AT TIME ZONE {zone})"
            cells.append(f"({reference})::date::text")
        else:
            cells.append(text)
    select = ", ".join(cells)
    return f"COPY (SELECT {select} FROM ({inner}) AS r) TO STDOUT WITH (FORMAT csv)"  # noqa: S608  # nosec B608


class _Pipe:
    """Where COPY writes (a row at a time): rows gathered into pieces of PIECE_SIZE bytes, handed to the
    generator that sends them, a few pieces ahead at most."""

    PIECE_SIZE = 256 * 1024

    def __init__(self) -> None:
        self.pieces: queue.Queue[Any] = queue.Queue(maxsize=8)
        self.cancelled = threading.Event()
        self._rows: list[bytes] = []
        self._size = 0

    def write(self, data: bytes) -> int:
        self._rows.append(data)
        self._size += len(data)
        if self._size >= self.PIECE_SIZE:
            self.flush()
        return len(data)

    def flush(self) -> None:
        piece = b"".join(self._rows)
        self._rows, self._size = [], 0
        while not self.cancelled.is_set():
            try:
                self.pieces.put(piece, timeout=0.5)
                return
            except queue.Full:
                continue
        raise InterruptedError("The download was interrupted.")


class CopiedCsv:
    """An export's CSV as bytes that PostgreSQL produces while they are sent (iterate over it), in the
    same cells as write_csv; `rows` is the number of rows written, once done."""

    def __init__(self, source: ExportSource, raw_connection: Any, statement: str) -> None:
        self.source = source
        # psycopg2's connection itself: Django's is the calling thread's, and the copy runs in another.
        self.raw_connection = raw_connection
        self.statement = statement
        self.rows = 0
        self.error: BaseException | None = None

    @classmethod
    def prepare(cls, source: ExportSource, connection: Any) -> CopiedCsv | None:
        """The copy of this export on this (Django) connection, or None when a column needs Python."""
        connection.ensure_connection()
        raw_connection = connection.connection
        with raw_connection.cursor() as cursor:
            statement = copy_query(source, cursor)
        return None if statement is None else cls(source, raw_connection, statement)

    def _copy(self, pipe: _Pipe) -> None:
        try:
            with self.raw_connection.cursor() as cursor:
                cursor.copy_expert(self.statement, pipe)
                self.rows = cursor.rowcount
            pipe.flush()
        except BaseException as error:  # re-raised by the thread sending the pieces
            self.error = error
        finally:
            with contextlib.suppress(queue.Full):
                pipe.pieces.put(_COPY_DONE, timeout=5)

    def __iter__(self) -> Iterator[bytes]:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(marking_line(self.source.marking))
        writer.writerow(self.source.headers)
        yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
        pipe = _Pipe()
        # The connection is the copying thread's alone until it ends: this one only waits for its pieces.
        worker = threading.Thread(target=self._copy, args=(pipe,), name="csv-copy", daemon=True)
        worker.start()
        try:
            while (piece := pipe.pieces.get()) is not _COPY_DONE:
                yield bytes(piece)
        finally:
            if worker.is_alive():  # the reader went away: stop the copy, let the thread end
                pipe.cancelled.set()
                self.raw_connection.cancel()
                while worker.is_alive():
                    with contextlib.suppress(queue.Empty):
                        pipe.pieces.get(timeout=0.1)
            worker.join()
        if self.error is not None:
            raise self.error


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
