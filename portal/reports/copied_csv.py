"""The streamed CSV, written by PostgreSQL.

A download of the whole activities report (200,000 rows) spent most of its time reading rows into Python
and writing them out again; PostgreSQL writes the same CSV itself with COPY ... TO STDOUT, with parallel
workers (which a server-side cursor cannot use). Columns whose cells SQL writes exactly as csv_value
does (text made safe, whole numbers, years, dates, labels) are converted in the query; a report with any
other column (amounts, days) keeps the Python path (portal/reports/exporters.py).
"""

from __future__ import annotations

import contextlib
import csv
import io
import queue
import threading
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from .exporters import ExportSource, marking_line, neutralise

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
