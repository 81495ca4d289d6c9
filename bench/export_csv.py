"""Benchmark: a 200,000-row CSV export streamed through the Django view, against PostgreSQL's COPY floor.

The "Programme activities" report (one row per activity) is exported with no filter:

- floor: `COPY (<the report's own SQL>) TO STDOUT WITH CSV` through psycopg2 into a byte counter;
- the view: POST /reports/activities/export/ (format=csv) called in-process with a RequestFactory,
  its StreamingHttpResponse consumed to the end (server-side cursor, 2,000 rows a fetch);
- the background job's writer: the same rows written by write_csv to a temporary file.

It prints the time of each, the ratio to the floor, the time to the first byte of the view, and the
peak memory growth while streaming (tracemalloc's peak of Python allocations, in a second pass so
that tracing does not slow the timed one, and the growth of the process's maximum resident set).

    PYTHONPATH=. .venv/bin/python bench/export_csv.py [--rows 200000] [--repeat 3]

Uses its own PostgreSQL database (BENCH_DATABASE_NAME, default `bench_reports_export`), created,
migrated and filled when missing or short of rows; history triggers are skipped for the bulk load.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "bench_reports_export")
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", f"postgres://127.0.0.1:5432/{DB_NAME}")
RESULTS = REPO / "bench" / "results"

os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ["EXPORT_ASYNC_THRESHOLD_ROWS"] = str(10**9)  # this benchmark measures the streamed path


def ensure_database() -> None:
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(dbname="postgres", host="127.0.0.1", port=5432, user="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    connection.close()


def generate(rows: int) -> None:
    """Partners, programmes and `rows` activities (in bulk, deterministic), if not there already."""
    from django.db import connection, transaction

    from partners.models import CooperationArea, Partner, PartnershipFramework, Region
    from workprogrammes.models import (
        CatalogueItem,
        Objective,
        ProgrammeActivity,
        ProgrammeActivityStatus,
        WorkProgramme,
    )

    have = ProgrammeActivity.objects.count()
    if have >= rows:
        print(f"{have:,} activities already there.", flush=True)
        return
    print(f"Generating {rows - have:,} activities ...", flush=True)
    started = time.perf_counter()
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Bulk load only: skip the history triggers (the rows are benchmark data, not history).
            cursor.execute("SET LOCAL session_replication_role = replica")
        region, _ = Region.objects.get_or_create(
            code="bench", defaults={"name_en": "Bench", "name_fr": "Banc"}
        )
        framework, _ = PartnershipFramework.objects.get_or_create(
            code="bench", defaults={"acronym_en": "B", "name_en": "Bench", "kind": "contact"}
        )
        areas = [
            CooperationArea.objects.get_or_create(
                code=f"bench-area-{i}", defaults={"name_en": f"Area {i}", "name_fr": f"Domaine {i}"}
            )[0]
            for i in range(8)
        ]
        items = [
            CatalogueItem.objects.get_or_create(
                code=f"BENCH-{i:04d}",
                defaults={
                    "title_en": f"Course {i}",
                    "title_fr": f"Cours {i}",
                    "kind": "education",
                    "area": areas[i % 8],
                },
            )[0]
            for i in range(200)
        ]
        letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
        partners = [
            Partner.objects.get_or_create(
                iso_code=f"Q{letters[i % 26]}" if i < 26 else f"X{letters[i % 26]}",
                defaults={
                    "name_en": f"Partner {i:02d}",
                    "name_fr": f"Partenaire {i:02d}",
                    "region": region,
                    "framework": framework,
                },
            )[0]
            for i in range(50)
        ]
        programmes = [
            WorkProgramme.objects.get_or_create(partner=partner, year=year)[0]
            for partner in partners
            for year in range(2006, 2010)
        ]
        objectives, statuses = Objective.values, ProgrammeActivityStatus.values
        batch: list[ProgrammeActivity] = []
        for n in range(have, rows):
            programme = programmes[n % len(programmes)]
            start = datetime.date(programme.year, 1, 1) + datetime.timedelta(days=n % 360)
            batch.append(
                ProgrammeActivity(
                    programme=programme,
                    catalogue_item=items[n % len(items)],
                    title_en=f"Activity {n}",
                    title_fr=f"Activité {n}",
                    objective=objectives[n % 3],
                    start_date=start,
                    end_date=start + datetime.timedelta(days=n % 5),
                    place="Oberammergau" if n % 2 else "Mons",
                    lead="NATO School",
                    status=statuses[n % len(statuses)],
                )
            )
            if len(batch) == 10_000:
                ProgrammeActivity.objects.bulk_create(batch)
                batch = []
        ProgrammeActivity.objects.bulk_create(batch)
    print(f"Generated in {time.perf_counter() - started:.1f} s.", flush=True)


def analyze() -> None:
    """Fresh planner statistics, so that the report's query gets the plan it would have in service."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


class _Counter:
    def __init__(self) -> None:
        self.bytes = 0

    def write(self, data: bytes) -> int:
        self.bytes += len(data)
        return len(data)


def copy_floor(queryset) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    """COPY of the report's own SQL to STDOUT, read by psycopg2."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    sink = _Counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        query = raw.mogrify(sql, params).decode()
        started = time.perf_counter()
        raw.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)", sink)
        elapsed = time.perf_counter() - started
    return elapsed, sink.bytes


def view_export(user) -> tuple[float, float, int, float]:  # type: ignore[no-untyped-def]
    """The export view, in process: (seconds to the last byte, to the first byte, bytes, CPU seconds)."""
    from django.test import RequestFactory

    from portal.reports.views import report_export

    request = RequestFactory().post("/reports/activities/export/", {"format": "csv"})
    request.user = user
    cpu = time.process_time()
    started = time.perf_counter()
    response = report_export(request, "activities")
    first = None
    size = 0
    for piece in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(piece)
    response.close()
    return time.perf_counter() - started, first or 0.0, size, time.process_time() - cpu


def job_writer(user) -> float:  # type: ignore[no-untyped-def]
    """The background job's writer: the same rows into a temporary file."""
    from portal.reports.exporters import write_csv
    from portal.reports.registry import report_for
    from portal.reports.selectors import export_source

    report = report_for("activities")
    assert report is not None
    source = export_source(report=report, user=user, filters={}, sort=None)
    started = time.perf_counter()
    with tempfile.TemporaryFile() as output:
        write_csv(source, output)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    print(f"Database {DB_NAME}: migrating if needed ...", flush=True)
    call_command("migrate", verbosity=0)
    generate(args.rows)
    analyze()

    from django.contrib.auth.models import Group

    from portal.accounts.models import Role, User
    from portal.reports.models import ExportJob
    from portal.reports.registry import report_for

    user, _ = User.objects.get_or_create(username="bench-analyst")
    user.groups.add(Group.objects.get_or_create(name=Role.ANALYST)[0])
    user = User.objects.get(pk=user.pk)
    report = report_for("activities")
    assert report is not None
    queryset = report.rows(user=user, filters={}, sort=None)
    rows = queryset.count()
    print(f"Exporting {rows:,} rows of the '{report.slug}' report.", flush=True)

    floors, views, firsts, jobs, cpus = [], [], [], [], []
    for attempt in range(args.repeat):
        floor, floor_bytes = copy_floor(queryset)
        total, first, view_bytes, cpu = view_export(user)
        job = job_writer(user)
        floors.append(floor)
        views.append(total)
        firsts.append(first)
        jobs.append(job)
        cpus.append(cpu)
        print(
            f"  run {attempt + 1}: COPY {floor:.2f} s ({floor_bytes / 1e6:.1f} MB) | view {total:.2f} s "
            f"({view_bytes / 1e6:.1f} MB, first byte after {first * 1000:.0f} ms, {cpu:.2f} s of this "
            f"process's CPU) | job writer {job:.2f} s",
            flush=True,
        )

    # Memory: a separate pass with tracemalloc (which slows Python down), and the resident set's growth.
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    baseline, _peak = tracemalloc.get_traced_memory()
    view_export(user)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    peak_mb = (peak - baseline) / 1e6
    rss_mb = (rss_after - rss_before) / 1024

    floor, view, job = statistics.median(floors), statistics.median(views), statistics.median(jobs)
    print()
    print(f"Rows exported:                 {rows:,}")
    print(f"PostgreSQL COPY ... TO STDOUT: {floor:.2f} s (median of {args.repeat})")
    print(f"Streamed CSV through the view: {view:.2f} s = {view / floor:.2f}x the COPY floor")
    print(f"  first byte after:            {statistics.median(firsts) * 1000:.0f} ms")
    print(
        f"  CPU of this process:         {statistics.median(cpus):.2f} s "
        "(the rest: waiting for rows, and for a CPU when busy)"
    )
    print(f"  machine load (1 min):        {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"Background job's CSV writer:   {job:.2f} s = {job / floor:.2f}x the COPY floor")
    print(f"Peak memory growth streaming:  {peak_mb:.1f} MB (tracemalloc), max RSS grew {rss_mb:.1f} MB")
    recorded = ExportJob.objects.filter(user=user, format="csv", row_count=rows).count()
    print(f"Exports recorded for the bench user with {rows:,} rows: {recorded}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "export_csv.json").write_text(
        json.dumps(
            {
                "rows": rows,
                "copy_seconds": round(floor, 3),
                "view_seconds": round(view, 3),
                "view_ratio": round(view / floor, 2),
                "first_byte_ms": round(statistics.median(firsts) * 1000),
                "view_cpu_seconds": round(statistics.median(cpus), 3),
                "load_average": round(os.getloadavg()[0], 1),
                "job_writer_seconds": round(job, 3),
                "peak_memory_growth_mb": round(peak_mb, 1),
                "max_rss_growth_mb": round(rss_mb, 1),
                "cpus": os.cpu_count(),
            },
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    main()
