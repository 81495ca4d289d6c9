"""Benchmark: the portal on gunicorn, on the scale database, under 16 concurrent clients, against its floors.

    PYTHONPATH=. .venv/bin/python bench/run.py [--duration 10] [--warmup 3] [--connections 16]
        [--workers N] [--worker-class sync|gthread] [--only NAME ...] [--update-readme]

1. The scale database (bench/generate) is built when missing, behind the migrations, or used up (the
   workflow step takes submitted requests under review); `--regenerate` forces it.
2. Bench users get sessions (signed in, second factor confirmed, written straight into the session
   table) and API tokens; nothing about sign-in is switched off.
3. gunicorn serves the portal (bench/_settings.py: production-like, DEBUG off) with 2 x cores + 1
   workers, and the raw-SQL floor (bench/_floor.py) on another port with the same settings.
4. wrk, a separate process, drives each scenario at 16 connections: a warm-up, then a measured run
   bounded in time (and in count for the workflow step). Loopback only.
5. The CSV export of the 200,000-activity report is downloaded through gunicorn, timed against
   PostgreSQL's `COPY ... TO STDOUT` of the report's own query, while the serving worker's resident
   memory is sampled.

Prints req/s, p50 and p95 per scenario with the floors beside them, writes bench/results/latest.json
and latest.md (git-ignored), and with --update-readme the README's "Performance" table.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import secrets
import signal
import statistics
import string
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RESULTS = REPO / "bench" / "results"
VENV_BIN = REPO / ".venv" / "bin"
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "ccportal_scale")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
PORTAL_PORT, FLOOR_PORT = 8701, 8702
WRK_THREADS = 2
# The workflow step uses up submitted requests; below this many left the data is generated again.
MIN_SUBMITTED = 2500
SESSIONS_PER_USER = 16

os.environ["DJANGO_SETTINGS_MODULE"] = "bench._settings"
os.environ["BENCH_DATABASE_URL"] = DATABASE_URL
os.environ["BENCH_REDIS_URL"] = REDIS_URL


@dataclass
class Scenario:
    name: str
    group: str  # "page", "api", "floor", "naive", "write"
    paths: list[str]
    port: int = PORTAL_PORT
    cookies: list[str] = field(default_factory=list)
    auth: str = ""
    method: str = "GET"
    body: str = ""
    content_type: str = ""
    header: str = ""
    limit: int = 0
    floor: str = ""  # the scenario it is compared with
    naive: str = ""


@dataclass
class Result:
    name: str
    group: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    floor: str = ""
    naive: str = ""
    # CPU time per request of the server's workers and of PostgreSQL's backends for the scale database,
    # and the share of the machine's cores they had while measured (other work shares the machine).
    app_cpu_ms: float = 0.0
    db_cpu_ms: float = 0.0
    cpu_share_pct: float = 0.0
    machine_busy_pct: float = 0.0

    @property
    def cpu_ms(self) -> float:
        return round(self.app_cpu_ms + self.db_cpu_ms, 1)


# --- The database and the bench users ------------------------------------------------------------------


def _database_ready() -> str | None:
    """Why the scale database must be (re)generated, or None if it is ready."""
    import psycopg2

    try:
        connection = psycopg2.connect(dbname=DB_NAME, host="127.0.0.1", port=5432, user="postgres")
    except psycopg2.OperationalError:
        return "it does not exist"
    with connection, connection.cursor() as cursor:
        try:
            cursor.execute("SELECT COUNT(*) FROM workprogrammes_programmeactivity")
            activities = cursor.fetchone()[0]
            cursor.execute("SELECT COUNT(*) FROM workprogrammes_inclusionrequest WHERE status = 'submitted'")
            submitted = cursor.fetchone()[0]
        except psycopg2.Error:
            return "it has no portal tables"
    connection.close()
    if activities < 200_000:
        return f"it has {activities:,} activities"
    if submitted < MIN_SUBMITTED:
        return f"only {submitted:,} submitted requests are left for the workflow step"
    return None


def _unapplied_migrations() -> bool:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    return bool(executor.migration_plan(executor.loader.graph.leaf_nodes()))


def ensure_database(regenerate: bool) -> None:
    reason = "asked to" if regenerate else _database_ready()
    if reason is None:
        import django

        django.setup()
        if not _unapplied_migrations():
            print(f"Scale database {DB_NAME}: ready.", flush=True)
            return
        reason = "migrations were added since it was generated"
    print(f"Generating the scale database {DB_NAME} ({reason}) ...", flush=True)
    subprocess.run([str(REPO / "bench" / "generate"), "--database", DB_NAME], check=True)


@dataclass
class Fixtures:
    viewer_cookies: list[str]
    reviewer_cookies: list[str]
    analyst_cookies: list[str]
    analyst_csrf_cookie: str
    csrf_token: str
    viewer_token: str
    reviewer_token: str
    partner_iso: str
    request_reference: str
    submitted_ids: list[int]
    search_word: str
    users: dict[str, str]


def _bench_user(role: str) -> Any:
    from portal.accounts.models import User

    # NATO UNCLASSIFIED clearance, like the floor's queries; a single role, so that the page is that role's.
    candidates = (
        User.objects.filter(is_active=True, clearance=10, groups__name=role)
        .exclude(username__startswith="bench")
        .order_by("pk")
    )
    for user in candidates[:50]:
        if user.roles == frozenset({role}):
            return user
    raise RuntimeError(f"No single-role {role} with NATO UNCLASSIFIED clearance in the scale database.")


def _csrf_secret() -> str:
    """A CSRF secret as Django makes them (32 letters and digits), sent as cookie (and header)."""
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


def _sessions(user: Any, count: int, csrf: str = "") -> list[str]:
    """Sessions as a complete sign-in leaves them: user, backend, hash, second factor, sign-in time."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.security.middleware import ACTIVE_AT, SIGNED_IN_AT
    from portal.security.selectors import two_factor_required

    device = None
    if two_factor_required(user=user):
        device, _ = TOTPDevice.objects.get_or_create(
            user=user, name="bench", defaults={"confirmed": True, "key": secrets.token_hex(20)}
        )
    cookies = []
    now = int(time.time())
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session[SIGNED_IN_AT] = now
        session[ACTIVE_AT] = now
        if device is not None:
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        cookie = f"sessionid={session.session_key}"
        # Like a browser that has been on the portal before, each session sends its CSRF cookie.
        cookies.append(f"{cookie}; csrftoken={csrf or _csrf_secret()}")
    return cookies


def prepare() -> Fixtures:
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from portal.api.models import ApiToken
    from portal.api.services import api_token_create
    from workprogrammes.models import InclusionRequest

    viewer, reviewer, analyst = _bench_user("viewer"), _bench_user("reviewer"), _bench_user("analyst")
    # One token each, as people have: knox reads all of a user's tokens on every request.
    ApiToken.objects.filter(user__in=[viewer, reviewer], name="bench").delete()
    SessionStore.clear_expired()  # the sessions of earlier runs
    csrf = _csrf_secret()
    _, viewer_token = api_token_create(user=viewer, name="bench", expires_in_days=1)
    _, reviewer_token = api_token_create(user=reviewer, name="bench", expires_in_days=1, second_factor=True)
    # The request page with the longest timeline (returns, deferrals, comments, agenda items).
    detail = (
        InclusionRequest.objects.filter(marking__lte=10)
        .annotate(changes=Count("status_changes"))
        .order_by("-changes", "pk")
        .values_list("reference", flat=True)
        .first()
    )
    submitted = list(
        InclusionRequest.objects.filter(status="submitted", marking__lte=reviewer.clearance)
        .exclude(requested_by=reviewer)
        .exclude(submitted_by=reviewer)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    analyst_cookies = _sessions(analyst, SESSIONS_PER_USER, csrf)
    return Fixtures(
        viewer_cookies=_sessions(viewer, SESSIONS_PER_USER),
        reviewer_cookies=_sessions(reviewer, SESSIONS_PER_USER),
        analyst_cookies=analyst_cookies,
        analyst_csrf_cookie=analyst_cookies[0],
        csrf_token=csrf,
        viewer_token=viewer_token,
        reviewer_token=reviewer_token,
        partner_iso="JP",
        request_reference=str(detail),
        submitted_ids=submitted,
        search_word="maritime",
        users={"viewer": viewer.username, "reviewer": reviewer.username, "analyst": analyst.username},
    )


# --- Servers ------------------------------------------------------------------------------------------


def _wait_for(port: int, path: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"Nothing answers on 127.0.0.1:{port}")


def start_server(app: str, port: int, workers: int, worker_class: str, threads: int) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        "--timeout",
        "120",
    ]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "BENCH_FLOOR_DSN": f"dbname={DB_NAME} host=127.0.0.1 port=5432 user=postgres "
        "options='-c join_collapse_limit=4'",
    }
    log = open(RESULTS / f"gunicorn-{port}.log", "w")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def worker_pids(master: subprocess.Popen) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in found.split()]


def process_cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def database_backends() -> list[int]:
    """PostgreSQL's backend processes serving the scale database (their titles name the database)."""
    found = subprocess.run(
        ["pgrep", "-f", f"postgres: .*postgres {DB_NAME} "], capture_output=True, text=True
    )
    return [int(pid) for pid in found.stdout.split()]


def machine_seconds() -> tuple[float, float]:
    """All CPU time and idle time of the machine so far, in seconds."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    return sum(values) / tick, (values[3] + values[4]) / tick


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- Load ---------------------------------------------------------------------------------------------


def run_wrk(scenario: Scenario, *, seconds: float, connections: int, workdir: Path) -> dict[str, Any]:
    paths_file = workdir / f"{scenario.name}.paths"
    paths_file.write_text("\n".join(scenario.paths) + "\n")
    cookies_file = workdir / f"{scenario.name}.cookies"
    cookies_file.write_text("\n".join(scenario.cookies) + "\n")
    env = {
        **os.environ,
        "BENCH_PATHS_FILE": str(paths_file),
        "BENCH_COOKIES_FILE": str(cookies_file) if scenario.cookies else "",
        "BENCH_AUTH": scenario.auth,
        "BENCH_METHOD": scenario.method,
        "BENCH_BODY": scenario.body,
        "BENCH_CTYPE": scenario.content_type,
        "BENCH_HEADER": scenario.header,
        "BENCH_LIMIT": str(scenario.limit // WRK_THREADS if scenario.limit else 0),
        "BENCH_THREADS": str(WRK_THREADS),
    }
    command = [
        "wrk",
        "-t",
        str(WRK_THREADS),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(REPO / "bench" / "_wrk.lua"),
        f"http://127.0.0.1:{scenario.port}",
    ]
    output = subprocess.run(command, env=env, capture_output=True, text=True, timeout=seconds + 60)
    match = re.search(r"^BENCH_JSON (.*)$", output.stdout, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk gave no figures for {scenario.name}:\n{output.stdout}\n{output.stderr}")
    figures = json.loads(match.group(1))
    figures["stderr"] = output.stderr.strip()
    return figures


def measure(
    scenario: Scenario,
    *,
    seconds: float,
    warmup: float,
    connections: int,
    workdir: Path,
    servers: dict[int, subprocess.Popen],
) -> Result:
    if warmup > 0 and scenario.group != "write":
        run_wrk(scenario, seconds=warmup, connections=connections, workdir=workdir)
    workers, backends = worker_pids(servers[scenario.port]), database_backends()
    app_before, db_before = process_cpu_seconds(workers), process_cpu_seconds(backends)
    machine_before, idle_before = machine_seconds()
    wall_before = time.monotonic()
    figures = run_wrk(scenario, seconds=seconds, connections=connections, workdir=workdir)
    wall = time.monotonic() - wall_before
    app_cpu = process_cpu_seconds(workers) - app_before
    db_cpu = process_cpu_seconds(backends) - db_before
    machine_after, idle_after = machine_seconds()
    machine_busy = 1 - (idle_after - idle_before) / max(machine_after - machine_before, 1e-9)
    elapsed = figures["duration_us"] / 1e6
    served = max(figures["requests"], 1)
    errors = figures["status_other"] + figures["socket_errors"]
    result = Result(
        name=scenario.name,
        group=scenario.group,
        requests=figures["requests"],
        seconds=round(elapsed, 2),
        rps=round(figures["requests"] / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(figures["p50_us"] / 1000, 1),
        p95_ms=round(figures["p95_us"] / 1000, 1),
        p99_ms=round(figures["p99_us"] / 1000, 1),
        errors=errors,
        floor=scenario.floor,
        naive=scenario.naive,
        app_cpu_ms=round(app_cpu * 1000 / served, 1),
        db_cpu_ms=round(db_cpu * 1000 / served, 1),
        cpu_share_pct=round(100 * (app_cpu + db_cpu) / (wall * (os.cpu_count() or 1)), 0),
        machine_busy_pct=round(100 * machine_busy, 0),
    )
    note = f"  ({errors} errors: {figures['stderr'][:200]})" if errors else ""
    print(
        f"  {result.name:<34} {result.rps:>8.1f} req/s  p50 {result.p50_ms:>7.1f} ms  "
        f"p95 {result.p95_ms:>7.1f} ms  CPU {result.app_cpu_ms:>5.1f} + {result.db_cpu_ms:>4.1f} ms/req  "
        f"(had {result.cpu_share_pct:.0f}% of the cores, machine {result.machine_busy_pct:.0f}% busy; "
        f"{result.requests} requests){note}",
        flush=True,
    )
    return result


def scenarios(f: Fixtures, selected: list[str]) -> list[Scenario]:
    viewer_token, reviewer_token = f"Token {f.viewer_token}", f"Token {f.reviewer_token}"
    all_scenarios = [
        Scenario("floor: trivial page", "floor", ["/bench/trivial/"], cookies=f.viewer_cookies),
        Scenario(
            "partner directory", "page", ["/partners/"], cookies=f.viewer_cookies, floor="floor: trivial page"
        ),
        Scenario(
            "partner profile",
            "page",
            [f"/partners/{f.partner_iso}/"],
            cookies=f.viewer_cookies,
            floor="floor: trivial page",
        ),
        Scenario(
            "reviewer queue",
            "page",
            ["/requests/queue/"],
            cookies=f.reviewer_cookies,
            floor="floor: trivial page",
        ),
        Scenario(
            "dashboard (analyst)", "page", ["/"], cookies=f.analyst_cookies, floor="floor: trivial page"
        ),
        Scenario(
            "request detail",
            "page",
            [f"/requests/{f.request_reference}/"],
            cookies=f.reviewer_cookies,
            floor="floor: trivial page",
        ),
        Scenario(
            "search: requests (page)",
            "page",
            [f"/requests/queue/?q={f.search_word}&status=awaiting_council"],
            cookies=f.reviewer_cookies,
            floor="floor: trivial page",
        ),
        Scenario(
            "search: partner directory",
            "page",
            ["/partners/?q=japon"],
            cookies=f.viewer_cookies,
            floor="floor: trivial page",
        ),
        Scenario("floor: activities (psycopg2)", "floor", ["/activities/"], port=FLOOR_PORT),
        Scenario(
            "API activities",
            "api",
            ["/api/v1/activities/"],
            auth=viewer_token,
            floor="floor: activities (psycopg2)",
            naive="naive: activities",
        ),
        Scenario("naive: activities", "naive", ["/api/bench-naive/activities/"], auth=viewer_token),
        Scenario("floor: requests (psycopg2)", "floor", ["/requests/"], port=FLOOR_PORT),
        Scenario(
            "API requests",
            "api",
            ["/api/v1/requests/"],
            auth=viewer_token,
            floor="floor: requests (psycopg2)",
            naive="naive: requests",
        ),
        Scenario("naive: requests", "naive", ["/api/bench-naive/requests/"], auth=viewer_token),
        Scenario(
            "search: requests (API)",
            "api",
            [f"/api/v1/requests/?q={f.search_word}"],
            auth=viewer_token,
            floor="floor: requests (psycopg2)",
        ),
        Scenario(
            "workflow: start review (API)",
            "write",
            [f"/api/v1/requests/{pk}/start-review/" for pk in f.submitted_ids],
            auth=reviewer_token,
            method="POST",
            body="{}",
            content_type="application/json",
            limit=len(f.submitted_ids),
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

    analyst = User.objects.get(username=f.users["analyst"])
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


# --- Report -------------------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    postgres = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB_NAME, "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "postgresql": postgres,
        "date": datetime.date.today().isoformat(),
    }


def verdicts(results: dict[str, Result], export: dict[str, Any] | None) -> list[tuple[str, bool, str]]:
    checks: list[tuple[str, bool, str]] = []
    for result in results.values():
        if result.group == "page":
            checks.append((f"{result.name}: p95 < 100 ms", result.p95_ms < 100, f"{result.p95_ms} ms"))
        if result.group == "api" and result.floor in results and result.name.startswith("API"):
            ratio = result.rps / results[result.floor].rps
            checks.append((f"{result.name}: >= 0.5x the psycopg2 floor", ratio >= 0.5, f"{ratio:.2f}x"))
        if result.naive in results:
            ratio = result.rps / results[result.naive].rps
            checks.append((f"{result.name}: >= 3x the naive ModelViewSet", ratio >= 3, f"{ratio:.1f}x"))
    if export:
        checks.append(("CSV export: <= 2x COPY", export["ratio_to_copy"] <= 2, f"{export['ratio_to_copy']}x"))
        checks.append(
            (
                "CSV export: memory growth < 100 MB",
                export["worker_memory_growth_mb"] < 100,
                f"{export['worker_memory_growth_mb']} MB",
            )
        )
    return checks


def page_cache_seconds() -> int:
    from django.conf import settings

    return int(settings.PAGE_CACHE_SECONDS)


def page_cache_note(report: dict[str, Any]) -> str:
    seconds = report["server"].get("page_cache_seconds", 0)
    if not seconds:
        return "Page cache off (PAGE_CACHE_SECONDS=0): every page and API list is built on each request."
    return (
        f"Page cache on (PAGE_CACHE_SECONDS={seconds}): the pages and API lists measured are served as kept "
        "until the data changes, after the warm-up built them; the workflow step is a write, never kept."
    )


def markdown(report: dict[str, Any], results: dict[str, Result]) -> str:
    m = report["machine"]
    busy = statistics.mean(r.machine_busy_pct for r in results.values()) if results else 0
    share = statistics.mean(r.cpu_share_pct for r in results.values()) if results else 0
    lines = [
        f"Measured {m['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, PostgreSQL "
        f"{m['postgresql']}, Python {m['python']}; load average {m['load_average_at_start'][0]} at the start "
        f"(other work shares the machine). gunicorn {report['server']['workers']} "
        f"{report['server']['worker_class']} workers; wrk at {report['connections']} connections, "
        f"{report['duration']} s per scenario after a warm-up. {page_cache_note(report)}",
        "",
        f"The machine was {busy:.0f}% busy during the runs (other work shares it); the benchmark's "
        f"server and database processes had {share:.0f}% of the two cores on average. The "
        "CPU time per request (gunicorn worker + PostgreSQL backend) does not depend on that share: "
        "2,000 ms divided by it is what the two cores would serve alone.",
        "",
        "| scenario | req/s | p50 ms | p95 ms | CPU ms per request (app + db) | beside it |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results.values():
        beside = []
        if r.floor in results:
            beside.append(f"{r.rps / results[r.floor].rps:.2f}x {results[r.floor].name}")
        if r.naive in results:
            beside.append(f"{r.rps / results[r.naive].rps:.1f}x {results[r.naive].name}")
        if r.errors:
            beside.append(f"{r.errors} errors")
        cpu = f"{r.cpu_ms} ({r.app_cpu_ms} + {r.db_cpu_ms})"
        lines.append(f"| {r.name} | {r.rps:,.1f} | {r.p50_ms} | {r.p95_ms} | {cpu} | {'; '.join(beside)} |")
    export = report.get("csv_export")
    if export:
        lines += [
            "",
            f"CSV export of {export['rows']:,} activities through gunicorn: {export['view_seconds']} s "
            f"(first byte after {export['first_byte_ms']} ms) against {export['copy_seconds']} s for "
            f"PostgreSQL's `COPY ... TO STDOUT` of the same query = {export['ratio_to_copy']}x; the serving "
            f"worker's memory grew {export['worker_memory_growth_mb']} MB.",
        ]
    lines += ["", "| target | met | figure |", "| --- | --- | --- |"]
    for name, met, figure in report["verdicts"]:
        lines.append(f"| {name} | {'yes' if met else 'no'} | {figure} |")
    return "\n".join(lines) + "\n"


def update_readme(table: str) -> None:
    readme = REPO / "README.md"
    text = readme.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text:
        raise RuntimeError("README.md has no <!-- bench:start --> ... <!-- bench:end --> block")
    before, rest = text.split(start, 1)
    _old, after = rest.split(end, 1)
    readme.write_text(f"{before}{start}\n{table}{end}{after}")


def flush_bench_redis() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


# --- Main ---------------------------------------------------------------------------------------------


def main() -> None:
    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per scenario")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--only", nargs="*", default=[], help="scenarios whose name contains one of these")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export")
    parser.add_argument("--regenerate", action="store_true", help="build the scale database again first")
    parser.add_argument("--update-readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args()
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        sys.exit("wrk is not installed: `make bench` installs it (apt-get install wrk).")

    RESULTS.mkdir(parents=True, exist_ok=True)
    ensure_database(args.regenerate)
    import django

    django.setup()
    report: dict[str, Any] = {
        "machine": machine(),
        "database": DB_NAME,
        "connections": args.connections,
        "duration": args.duration,
        "server": {
            "workers": args.workers,
            "worker_class": args.worker_class,
            "threads": args.threads,
            "page_cache_seconds": page_cache_seconds(),
        },
    }
    print("Preparing sessions, tokens and targets ...", flush=True)
    fixtures = prepare()
    flush_bench_redis()
    portal = start_server(
        "portal.wsgi:application", PORTAL_PORT, args.workers, args.worker_class, args.threads
    )
    floor = start_server(
        "bench._floor:application", FLOOR_PORT, args.workers, args.worker_class, args.threads
    )
    results: dict[str, Result] = {}
    try:
        _wait_for(PORTAL_PORT, "/bench/trivial/")
        _wait_for(FLOOR_PORT, "/activities/")
        print(
            f"gunicorn: {args.workers} {args.worker_class} workers on each of :{PORTAL_PORT} (portal) and "
            f":{FLOOR_PORT} (floor); wrk: {args.connections} connections, {WRK_THREADS} threads.",
            flush=True,
        )
        with tempfile.TemporaryDirectory() as workdir:
            for scenario in scenarios(fixtures, args.only):
                results[scenario.name] = measure(
                    scenario,
                    seconds=args.duration,
                    warmup=args.warmup,
                    connections=args.connections,
                    workdir=Path(workdir),
                    servers={PORTAL_PORT: portal, FLOOR_PORT: floor},
                )
        if not args.no_export and not args.only:
            report["csv_export"] = csv_export(fixtures, portal)
    finally:
        stop_server(portal)
        stop_server(floor)
        flush_bench_redis()
    report["results"] = [asdict(r) for r in results.values()]
    report["verdicts"] = verdicts(results, report.get("csv_export"))
    table = markdown(report, results)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(table)
    print()
    print(table)
    if args.update_readme:
        update_readme(table)
        print("README.md: Performance table updated.")


if __name__ == "__main__":
    main()
