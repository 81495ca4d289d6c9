"""What bench/run.py measures: the scenarios (who asks for what) and the CSV export."""

from __future__ import annotations

import json
import statistics
import subprocess
import threading
import time
import urllib.parse
from http.client import HTTPConnection
from typing import Any, TypeVar

from bench._config import FLOOR_PORT, PORTAL_PORT, Entry, Scenario
from bench._fixtures import Fixtures
from bench._measure import rss_kb, worker_pids

T = TypeVar("T")


def entries_for(identities: list[str], paths: list[str], *, token: bool = False) -> list[Entry]:
    """Requests for `paths` taken in turn by the sessions (or tokens) in `identities`: as many entries
    as the longer list, rotated so that each identity asks for different paths."""
    count = max(len(identities), len(paths)) * 2
    entries = []
    for i in range(count):
        identity = identities[i % len(identities)]
        path = paths[(i + i // len(paths)) % len(paths)]
        if token:
            entries.append(Entry(path, auth=f"Token {identity}"))
        else:
            entries.append(Entry(path, cookie=identity))
    return entries


def interleave(*groups: list[T]) -> list[T]:
    """Several lists taken in turn (so that consecutive requests ask for different things)."""
    longest = max(len(group) for group in groups)
    return [group[i % len(group)] for i in range(longest) for group in groups]


def scenarios(f: Fixtures, selected: list[str]) -> list[Scenario]:
    viewers, reviewers, analysts = f.viewer_cookies, f.reviewer_cookies, f.analyst_cookies
    directory_paths = [
        "/partners/",
        *(f"/partners/?region={code}" for code in f.regions),
        "/partners/?sort=region",
        "/partners/?sort=-dialogue_since",
    ]
    queue_paths = [
        "/requests/queue/",
        *(f"/requests/queue/?page={page}" for page in range(2, 6)),
        "/requests/queue/?status=submitted",
        "/requests/queue/?status=under_review",
        "/requests/queue/?status=awaiting_council",
        "/requests/queue/?overdue=1",
    ]
    request_paths = [f"/requests/{reference}/" for reference in f.request_references]
    profile_paths = [f"/partners/{iso}/" for iso in f.partner_isos]
    request_search_paths = [
        f"/requests/queue/?q={urllib.parse.quote(word)}{status}"
        for word in f.search_words
        for status in ("", "&status=awaiting_council")
    ]
    partner_search_paths = [f"/partners/?q={urllib.parse.quote(name)}" for name in f.partner_names]
    api_list_paths = interleave(
        f.activity_pages,
        f.request_pages,
        [f"/api/v1/activities/?partner={iso}" for iso in f.partner_isos],
        [f"/api/v1/requests/?partner={iso}" for iso in f.partner_isos],
        [f"/api/v1/programmes/?partner={iso}" for iso in f.partner_isos],
        ["/api/v1/partners/", "/api/v1/contributions/", "/api/v1/catalogue/", "/api/v1/operations/"],
    )
    request_api_search_paths = [f"/api/v1/requests/?q={urllib.parse.quote(w)}" for w in f.search_words]

    directory = entries_for(viewers, directory_paths)
    profile = entries_for(viewers, profile_paths)
    queue = entries_for(reviewers, queue_paths)
    request_page = entries_for(reviewers, request_paths)
    api_lists = entries_for(f.viewer_tokens + f.reviewer_tokens, api_list_paths, token=True)
    # The workflow step alone uses the first half of the submitted requests; the mixed scenario's writer
    # the second half, a comment on each request it starts reviewing (a workflow step, then a record).
    half = len(f.submitted_ids) // 2
    steps = [
        Entry(
            f"/api/v1/requests/{pk}/start-review/",
            auth=f"Token {f.reviewer_tokens[0]}",
            method="POST",
            body="{}",
            if_match=f.submitted_etags[pk],
        )
        for pk in f.submitted_ids[:half]
    ]
    comment = json.dumps({"body": "Reviewed against the partnership goals; no objection at this stage."})
    writer = [
        entry
        for i, pk in enumerate(f.submitted_ids[half:])
        for entry in (
            Entry(
                f"/api/v1/requests/{pk}/start-review/",
                auth=f"Token {f.reviewer_tokens[i % len(f.reviewer_tokens)]}",
                method="POST",
                body="{}",
                if_match=f.submitted_etags[pk],
            ),
            Entry(
                f"/api/v1/requests/{pk}/comments/",
                auth=f"Token {f.reviewer_tokens[i % len(f.reviewer_tokens)]}",
                method="POST",
                body=comment,
            ),
        )
    ]
    trivial = "floor: trivial page"
    all_scenarios = [
        Scenario(trivial, "floor", entries_for(viewers, ["/bench/trivial/"])),
        Scenario("partner directory", "page", directory, floor=trivial),
        Scenario("partner profile", "page", profile, floor=trivial),
        Scenario("reviewer queue", "page", queue, floor=trivial),
        Scenario("request page", "page", request_page, floor=trivial),
        Scenario(
            "search: requests (page)", "page", entries_for(reviewers, request_search_paths), floor=trivial
        ),
        Scenario(
            "search: partner directory", "page", entries_for(viewers, partner_search_paths), floor=trivial
        ),
        Scenario("dashboard (analyst)", "page", entries_for(analysts, ["/"]), floor=trivial),
        Scenario("floor: activities (psycopg2)", "floor", [Entry("/activities/")], port=FLOOR_PORT),
        Scenario(
            "API activities",
            "api",
            entries_for(f.viewer_tokens, ["/api/v1/activities/"], token=True),
            floor="floor: activities (psycopg2)",
            naive="naive: activities",
        ),
        Scenario(
            "naive: activities",
            "naive",
            entries_for(f.viewer_tokens, ["/api/bench-naive/activities/"], token=True),
        ),
        Scenario("floor: requests (psycopg2)", "floor", [Entry("/requests/")], port=FLOOR_PORT),
        Scenario(
            "API requests",
            "api",
            entries_for(f.viewer_tokens, ["/api/v1/requests/"], token=True),
            floor="floor: requests (psycopg2)",
            naive="naive: requests",
        ),
        Scenario(
            "naive: requests",
            "naive",
            entries_for(f.viewer_tokens, ["/api/bench-naive/requests/"], token=True),
        ),
        Scenario("API lists (pages, partners, users varied)", "api", api_lists),
        Scenario(
            "search: requests (API)",
            "api",
            entries_for(f.viewer_tokens, request_api_search_paths, token=True),
        ),
        Scenario("workflow: start review (API)", "write", steps, limit=len(steps)),
        Scenario(
            "mixed: 15 reading, 1 writing",
            "mixed",
            interleave(directory, profile, queue, request_page, api_lists),
            writer=writer,
        ),
    ]
    if selected:
        return [s for s in all_scenarios if any(word in s.name for word in selected)]
    return all_scenarios


# --- The CSV export -----------------------------------------------------------------------------------


def csv_export(f: Fixtures, server: subprocess.Popen) -> dict[str, Any]:
    """COPY of the report's query against the streamed CSV download through gunicorn, with its memory."""
    from django.db import connection

    from portal.accounts.models import User
    from portal.reports.registry import report_for

    analyst = User.objects.get(username=f.users["analyst"][0])
    report = report_for("activities")
    assert report is not None
    queryset = report.rows(user=analyst, filters={}, sort=None)
    sql, params = queryset.query.sql_with_params()

    class Counter:
        size = 0

        def write(self, data: Any) -> int:
            self.size += len(data)
            return len(data)

    copies = []
    for _ in range(3):
        sink = Counter()
        with connection.cursor() as cursor:
            query = cursor.cursor.mogrify(sql, params).decode()
            started = time.perf_counter()
            cursor.cursor.copy_expert(f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)", sink)
            copies.append(time.perf_counter() - started)
    copy_seconds = statistics.median(copies)
    connection.close()

    pids = worker_pids(server)
    downloads = []
    for _attempt in range(2):
        before = {pid: rss_kb(pid) for pid in pids}
        peak = dict(before)
        stop = threading.Event()

        def sample(peak: dict[int, int] = peak, stop: threading.Event = stop) -> None:
            while not stop.is_set():
                for pid in pids:
                    peak[pid] = max(peak[pid], rss_kb(pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        body = urllib.parse.urlencode({"format": "csv", "csrfmiddlewaretoken": f.csrf_token})
        connection_http = HTTPConnection("127.0.0.1", PORTAL_PORT, timeout=300)
        started = time.perf_counter()
        connection_http.request(
            "POST",
            "/reports/activities/export/",
            body=body,
            headers={
                "Cookie": f.analyst_csrf_cookie,
                "Content-Type": "application/x-www-form-urlencoded",
                "X-CSRFToken": f.csrf_token,
            },
        )
        response = connection_http.getresponse()
        first_byte = None
        size = lines = 0
        while True:
            chunk = response.read(65536)
            if not chunk:
                break
            if first_byte is None:
                first_byte = time.perf_counter() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
        elapsed = time.perf_counter() - started
        stop.set()
        sampler.join()
        growth = max(peak[pid] - before[pid] for pid in pids) / 1024
        if response.status != 200:
            raise RuntimeError(f"The CSV export answered {response.status}")
        downloads.append(
            {
                "seconds": elapsed,
                "first_byte": first_byte or 0.0,
                "bytes": size,
                "lines": lines,
                "growth_mb": growth,
            }
        )
    best = min(downloads, key=lambda d: d["seconds"])
    result = {
        "rows": queryset.count(),
        "copy_seconds": round(copy_seconds, 2),
        "copy_bytes": sink.size,
        "view_seconds": round(best["seconds"], 2),
        "view_bytes": best["bytes"],
        "view_lines": best["lines"],
        "first_byte_ms": round(best["first_byte"] * 1000),
        "ratio_to_copy": round(best["seconds"] / copy_seconds, 2),
        "worker_memory_growth_mb": round(max(d["growth_mb"] for d in downloads), 1),
    }
    print(
        f"  CSV export of {result['rows']:,} rows: COPY {result['copy_seconds']} s, streamed view "
        f"{result['view_seconds']} s = {result['ratio_to_copy']}x COPY "
        f"(first byte {result['first_byte_ms']} ms), "
        f"worker memory growth {result['worker_memory_growth_mb']} MB",
        flush=True,
    )
    return result
