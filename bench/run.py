"""Benchmark: the portal on gunicorn, on the scale database, under 16 concurrent clients, against its floors.

    PYTHONPATH=. .venv/bin/python bench/run.py [--duration 10] [--warmup 3] [--connections 16]
        [--workers N] [--worker-class sync|gthread] [--only NAME ...] [--update-readme]

1. The scale database (bench/generate) is built when missing, behind the migrations, or used up (the
   workflow step takes submitted requests under review); `--regenerate` forces it.
2. Bench users get sessions (signed in, second factor confirmed, written straight into the session
   table; several users per role, half the sessions in French) and API tokens; nothing about sign-in
   is switched off.
3. gunicorn serves the portal (bench/_settings.py: production-like, DEBUG off) with 2 x cores + 1
   workers, and the raw-SQL floor (bench/_floor.py) on another port with the same settings; each
   worker logs the CPU time of every request it serves (bench/_gunicorn.py).
4. wrk, a separate process, drives each scenario at 16 connections over many users and URLs: after one
   pass that lets every worker compile every template, each scenario has a short warm-up, waits for
   the workers to be idle, then is measured for a bounded time (and count, for the workflow step).
   Nothing is cached between requests: every request builds its response. The mixed scenario runs
   15 reading connections and one writing connection (workflow steps and comments) for 30 s.
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
# BENCH_PORT moves both servers (the floor on the next port), e.g. when another benchmark runs.
PORTAL_PORT = int(os.environ.get("BENCH_PORT", "8701"))
FLOOR_PORT = PORTAL_PORT + 1
WRK_THREADS = 2
# The workflow step uses up submitted requests; below this many left the data is generated again.
MIN_SUBMITTED = 2500
# Several users per role, each with a few sessions (half of them in French).
USERS_PER_ROLE = 4
SESSIONS_PER_USER = 4
# The mixed scenario runs this long whatever --duration says.
MIXED_SECONDS = 30.0

os.environ["DJANGO_SETTINGS_MODULE"] = "bench._settings"
os.environ["BENCH_DATABASE_URL"] = DATABASE_URL
os.environ["BENCH_REDIS_URL"] = REDIS_URL


@dataclass
class Entry:
    """One request of a scenario: who asks (session cookie or API token), for what."""

    path: str
    cookie: str = ""
    auth: str = ""
    method: str = "GET"
    body: str = ""
    # Workflow actions through the API send the strong ETag of the request's version (README "Security").
    if_match: str = ""

    def line(self) -> str:
        return "\t".join((self.method, self.path, self.cookie, self.auth, self.body, self.if_match))


@dataclass
class Scenario:
    name: str
    group: str  # "page", "api", "floor", "naive", "write", "mixed"
    entries: list[Entry]
    port: int = PORTAL_PORT
    limit: int = 0
    floor: str = ""  # the scenario it is compared with
    naive: str = ""
    # The mixed scenario's writer: one more connection taking these steps while `entries` are read.
    writer: list[Entry] = field(default_factory=list)


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
    # The mixed scenario's writer, measured beside the readers.
    writer_requests: int = 0
    writer_p95_ms: float = 0.0
    writer_errors: int = 0
    # Requests of the scenario whose CPU the workers logged while it was measured.
    served: int = 0

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
    """Who asks, and for what: several users per role, each with sessions in English and in French."""

    viewer_cookies: list[str]
    reviewer_cookies: list[str]
    analyst_cookies: list[str]
    analyst_csrf_cookie: str
    csrf_token: str
    viewer_tokens: list[str]
    reviewer_tokens: list[str]
    partner_isos: list[str]
    regions: list[str]
    partner_names: list[str]
    request_references: list[str]
    request_ids: list[int]
    submitted_ids: list[int]
    # The ETag of each submitted request, for the If-Match its workflow step sends.
    submitted_etags: dict[int, str]
    search_words: list[str]
    activity_pages: list[str]
    request_pages: list[str]
    users: dict[str, list[str]]


def _bench_users(role: str, count: int) -> list[Any]:
    from portal.accounts.models import User

    # NATO UNCLASSIFIED clearance, like the floor's queries; a single role, so that the page is that role's.
    candidates = (
        User.objects.filter(is_active=True, clearance=10, groups__name=role)
        .exclude(username__startswith="bench")
        .order_by("pk")
    )
    found = [user for user in candidates[:200] if user.roles == frozenset({role})][:count]
    if len(found) < count:
        raise RuntimeError(f"Fewer than {count} single-role {role}s with NATO UNCLASSIFIED clearance.")
    return found


def _csrf_secret() -> str:
    """A CSRF secret as Django makes them (32 letters and digits), sent as cookie (and header)."""
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


def _sessions(user: Any, count: int, csrf: str = "") -> list[str]:
    """Sessions as a complete sign-in leaves them: user, backend, hash, second factor, sign-in time;
    every other one reads the portal in French."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils.translation import trans_real
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
    language_cookie = trans_real.settings.LANGUAGE_COOKIE_NAME
    for number in range(count):
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
        if number % 2:
            cookie += f"; {language_cookie}=fr"
        # Like a browser that has been on the portal before, each session sends its CSRF cookie.
        cookies.append(f"{cookie}; csrftoken={csrf or _csrf_secret()}")
    return cookies


def _cursor_pages(path: str, token: str, count: int) -> list[str]:
    """The first `count` pages of a cursor-paginated API list, followed through its `next` links."""
    from rest_framework.test import APIClient

    client = APIClient(HTTP_AUTHORIZATION=f"Token {token}", HTTP_HOST="127.0.0.1")
    pages = [path]
    while len(pages) < count:
        response = client.get(pages[-1])
        following = response.json().get("next")
        if response.status_code != 200 or not following:
            break
        parts = urllib.parse.urlsplit(following)
        pages.append(f"{parts.path}?{parts.query}")
    return pages


def _interleave(*groups: list[str]) -> list[str]:
    """Several lists taken in turn (so that consecutive requests ask for different things)."""
    longest = max(len(group) for group in groups)
    return [group[i % len(group)] for i in range(longest) for group in groups]


def prepare() -> Fixtures:
    import django

    django.setup()
    from django.contrib.sessions.backends.db import SessionStore
    from django.db.models import Count

    from partners.models import Partner, Region
    from portal.api.etags import etag_for
    from portal.api.models import ApiToken
    from portal.api.services import api_token_create
    from workprogrammes.models import InclusionRequest

    viewers, reviewers = _bench_users("viewer", USERS_PER_ROLE), _bench_users("reviewer", USERS_PER_ROLE)
    analysts = _bench_users("analyst", USERS_PER_ROLE)
    # One token each, as people have.
    ApiToken.objects.filter(user__in=[*viewers, *reviewers], name="bench").delete()
    SessionStore.clear_expired()  # the sessions of earlier runs
    csrf = _csrf_secret()
    viewer_tokens = [api_token_create(user=u, name="bench", expires_in_days=1)[1] for u in viewers]
    reviewer_tokens = [
        api_token_create(user=u, name="bench", expires_in_days=1, second_factor=True)[1] for u in reviewers
    ]
    partners = list(Partner.objects.order_by("iso_code").values_list("iso_code", "name_en", "name_fr"))
    # Request pages of every length of timeline: the longest (returns, deferrals, comments, agenda items)
    # and others taken across the table.
    visible = InclusionRequest.objects.filter(marking__lte=10)
    longest = list(
        visible.annotate(changes=Count("status_changes"))
        .order_by("-changes", "pk")
        .values_list("pk", "reference")[:40]
    )
    spread = list(visible.order_by("pk").values_list("pk", "reference")[::250][:160])
    chosen = list(dict(longest + spread).items())
    submitted = list(
        InclusionRequest.objects.filter(status="submitted", marking__lte=10)
        .exclude(requested_by__in=reviewers)
        .exclude(submitted_by__in=reviewers)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    analyst_cookies = [c for user in analysts for c in _sessions(user, SESSIONS_PER_USER, csrf)]
    return Fixtures(
        viewer_cookies=[c for user in viewers for c in _sessions(user, SESSIONS_PER_USER)],
        reviewer_cookies=[c for user in reviewers for c in _sessions(user, SESSIONS_PER_USER)],
        analyst_cookies=analyst_cookies,
        analyst_csrf_cookie=analyst_cookies[0],
        csrf_token=csrf,
        viewer_tokens=viewer_tokens,
        reviewer_tokens=reviewer_tokens,
        partner_isos=[iso for iso, _en, _fr in partners],
        regions=list(Region.objects.order_by("pk").values_list("code", flat=True)),
        partner_names=[name for _iso, en, fr in partners[::5] for name in (en, fr)],
        request_references=[reference for _pk, reference in chosen],
        request_ids=[pk for pk, _reference in chosen],
        submitted_ids=submitted,
        submitted_etags={
            request.pk: etag_for(request)
            for request in InclusionRequest.objects.filter(pk__in=submitted).only(
                "pk", "updated_at", "revision"
            )
        },
        search_words=["maritime", "cyber", "logistique", "training", "défense", "border", "energy", "sahel"],
        activity_pages=_cursor_pages("/api/v1/activities/", viewer_tokens[0], 8),
        request_pages=_cursor_pages("/api/v1/requests/", viewer_tokens[0], 8),
        users={
            "viewer": [u.username for u in viewers],
            "reviewer": [u.username for u in reviewers],
            "analyst": [u.username for u in analysts],
        },
    )


# --- Servers ------------------------------------------------------------------------------------------


def _wait_for(port: int, path: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=30)
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
        "--config",
        "python:bench._gunicorn",
    ]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "BENCH_FLOOR_DSN": f"dbname={DB_NAME} host=127.0.0.1 port=5432 user=postgres",
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


def cpu_log_offsets(port: int) -> dict[Path, int]:
    """Where each worker's log of CPU per request (bench/_gunicorn.py) ends now."""
    return {path: path.stat().st_size for path in RESULTS.glob(f"cpu-{port}-*.log")}


def served_cpu_ms(port: int, offsets: dict[Path, int], requests: set[str]) -> tuple[float, float, int]:
    """Mean app and database CPU ms of the scenario's requests ("METHOD path") logged since `offsets`,
    and how many there were."""
    app = db = 0.0
    count = 0
    for path in RESULTS.glob(f"cpu-{port}-*.log"):
        with path.open() as log:
            log.seek(offsets.get(path, 0))
            for line in log.read().splitlines():
                parts = line.split(" ", 2)
                if len(parts) == 3 and parts[2] in requests:
                    app += float(parts[0])
                    db += float(parts[1])
                    count += 1
    if not count:
        return 0.0, 0.0, 0
    return app / count, db / count, count


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


def start_wrk(
    entries: list[Entry],
    name: str,
    *,
    seconds: float,
    connections: int,
    workdir: Path,
    port: int,
    limit: int = 0,
) -> subprocess.Popen:
    threads = min(WRK_THREADS, connections)
    entries_file = workdir / f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}.entries"
    entries_file.write_text("\n".join(entry.line() for entry in entries) + "\n")
    env = {
        **os.environ,
        "BENCH_ENTRIES_FILE": str(entries_file),
        "BENCH_LIMIT": str(limit // threads if limit else 0),
        "BENCH_THREADS": str(threads),
    }
    command = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(REPO / "bench" / "_wrk.lua"),
        f"http://127.0.0.1:{port}",
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wrk_figures(process: subprocess.Popen, name: str, seconds: float) -> dict[str, Any]:
    stdout, stderr = process.communicate(timeout=seconds + 60)
    match = re.search(r"^BENCH_JSON (.*)$", stdout, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk gave no figures for {name}:\n{stdout}\n{stderr}")
    figures = json.loads(match.group(1))
    figures["stderr"] = stderr.strip()
    return figures


def run_wrk(scenario: Scenario, *, seconds: float, connections: int, workdir: Path) -> dict[str, Any]:
    process = start_wrk(
        scenario.entries,
        scenario.name,
        seconds=seconds,
        connections=connections,
        workdir=workdir,
        port=scenario.port,
        limit=scenario.limit,
    )
    return wrk_figures(process, scenario.name, seconds)


def measure(
    scenario: Scenario,
    *,
    seconds: float,
    warmup: float,
    connections: int,
    workdir: Path,
    servers: dict[int, subprocess.Popen],
) -> Result:
    """One scenario at `connections` connections; the mixed one at one less, plus its writer.

    The warm-up only starts the workers' connections and loads their code and templates: nothing that a
    response is built from is kept between requests, so every measured request builds its response.
    """
    if scenario.group == "mixed":
        seconds = max(seconds, MIXED_SECONDS)
    if warmup > 0 and scenario.group not in ("write", "mixed"):
        run_wrk(scenario, seconds=warmup, connections=connections, workdir=workdir)
    # Requests still queued from the warm-up or the scenario before are served before anything is
    # measured (on a busy machine they take seconds), so that each scenario starts with idle workers.
    wait_until_idle(worker_pids(servers[scenario.port]))
    workers, backends = worker_pids(servers[scenario.port]), database_backends()
    app_before, db_before = process_cpu_seconds(workers), process_cpu_seconds(backends)
    machine_before, idle_before = machine_seconds()
    offsets = cpu_log_offsets(scenario.port)
    wall_before = time.monotonic()
    writer = None
    if scenario.writer:
        writer = start_wrk(
            scenario.writer,
            f"{scenario.name} writer",
            seconds=seconds,
            connections=1,
            workdir=workdir,
            port=scenario.port,
            limit=len(scenario.writer),
        )
        connections -= 1
    figures = run_wrk(scenario, seconds=seconds, connections=connections, workdir=workdir)
    writer_figures = wrk_figures(writer, f"{scenario.name} writer", seconds) if writer else None
    wall = time.monotonic() - wall_before
    own = {f"{entry.method} {entry.path}" for entry in [*scenario.entries, *scenario.writer]}
    app_ms, db_ms, logged = served_cpu_ms(scenario.port, offsets, own)
    # Only the new backends of the writer's connections are missed by the list taken before: none, as
    # the workers keep theirs (CONN_MAX_AGE) from the warm-up of the earlier scenarios.
    backends = sorted(set(backends) | set(database_backends()))
    app_cpu = process_cpu_seconds(workers) - app_before
    db_cpu = process_cpu_seconds(backends) - db_before
    machine_after, idle_after = machine_seconds()
    machine_busy = 1 - (idle_after - idle_before) / max(machine_after - machine_before, 1e-9)
    elapsed = figures["duration_us"] / 1e6
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
        # Per request served (logged by the workers), not total CPU over completed requests: requests
        # still queued when wrk stops have used CPU too, which would be charged to the others. No
        # request served: no figure (0).
        app_cpu_ms=round(app_ms, 1),
        db_cpu_ms=round(db_ms, 1),
        served=logged,
        cpu_share_pct=round(100 * (app_cpu + db_cpu) / (wall * (os.cpu_count() or 1)), 0),
        machine_busy_pct=round(100 * machine_busy, 0),
    )
    if writer_figures:
        result.writer_requests = writer_figures["requests"]
        result.writer_p95_ms = round(writer_figures["p95_us"] / 1000, 1)
        result.writer_errors = writer_figures["status_other"] + writer_figures["socket_errors"]
        errors += result.writer_errors
    note = f"  ({errors} errors: {figures['stderr'][:200]})" if errors else ""
    if writer_figures:
        note += f"  writer: {result.writer_requests} steps, p95 {result.writer_p95_ms} ms"
    print(
        f"  {result.name:<34} {result.rps:>8.1f} req/s  p50 {result.p50_ms:>7.1f} ms  "
        f"p95 {result.p95_ms:>7.1f} ms  CPU {result.app_cpu_ms:>5.1f} + {result.db_cpu_ms:>4.1f} ms/req  "
        f"(had {result.cpu_share_pct:.0f}% of the cores, machine {result.machine_busy_pct:.0f}% busy; "
        f"{result.requests} requests){note}",
        flush=True,
    )
    return result


def wait_until_idle(pids: list[int], timeout: float = 90.0) -> None:
    """Until the workers use under a tenth of a core for a second (or `timeout`)."""
    deadline = time.monotonic() + timeout
    before = process_cpu_seconds(pids)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = process_cpu_seconds(pids)
        if now - before < 0.1:
            return
        before = now


def _as(identities: list[str], paths: list[str], *, token: bool = False) -> list[Entry]:
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


def _mix(*groups: list[Entry]) -> list[Entry]:
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
    api_list_paths = _interleave(
        f.activity_pages,
        f.request_pages,
        [f"/api/v1/activities/?partner={iso}" for iso in f.partner_isos],
        [f"/api/v1/requests/?partner={iso}" for iso in f.partner_isos],
        [f"/api/v1/programmes/?partner={iso}" for iso in f.partner_isos],
        ["/api/v1/partners/", "/api/v1/contributions/", "/api/v1/catalogue/", "/api/v1/operations/"],
    )
    request_api_search_paths = [f"/api/v1/requests/?q={urllib.parse.quote(w)}" for w in f.search_words]

    directory = _as(viewers, directory_paths)
    profile = _as(viewers, profile_paths)
    queue = _as(reviewers, queue_paths)
    request_page = _as(reviewers, request_paths)
    api_lists = _as(f.viewer_tokens + f.reviewer_tokens, api_list_paths, token=True)
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
        Scenario(trivial, "floor", _as(viewers, ["/bench/trivial/"])),
        Scenario("partner directory", "page", directory, floor=trivial),
        Scenario("partner profile", "page", profile, floor=trivial),
        Scenario("reviewer queue", "page", queue, floor=trivial),
        Scenario("request page", "page", request_page, floor=trivial),
        Scenario("search: requests (page)", "page", _as(reviewers, request_search_paths), floor=trivial),
        Scenario("search: partner directory", "page", _as(viewers, partner_search_paths), floor=trivial),
        Scenario("dashboard (analyst)", "page", _as(analysts, ["/"]), floor=trivial),
        Scenario("floor: activities (psycopg2)", "floor", [Entry("/activities/")], port=FLOOR_PORT),
        Scenario(
            "API activities",
            "api",
            _as(f.viewer_tokens, ["/api/v1/activities/"], token=True),
            floor="floor: activities (psycopg2)",
            naive="naive: activities",
        ),
        Scenario(
            "naive: activities", "naive", _as(f.viewer_tokens, ["/api/bench-naive/activities/"], token=True)
        ),
        Scenario("floor: requests (psycopg2)", "floor", [Entry("/requests/")], port=FLOOR_PORT),
        Scenario(
            "API requests",
            "api",
            _as(f.viewer_tokens, ["/api/v1/requests/"], token=True),
            floor="floor: requests (psycopg2)",
            naive="naive: requests",
        ),
        Scenario(
            "naive: requests", "naive", _as(f.viewer_tokens, ["/api/bench-naive/requests/"], token=True)
        ),
        Scenario("API lists (pages, partners, users varied)", "api", api_lists),
        Scenario(
            "search: requests (API)",
            "api",
            _as(f.viewer_tokens, request_api_search_paths, token=True),
        ),
        Scenario("workflow: start review (API)", "write", steps, limit=len(steps)),
        Scenario(
            "mixed: 15 reading, 1 writing",
            "mixed",
            _mix(directory, profile, queue, request_page, api_lists),
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


# CPU per built request (app + database) the issue sets, by scenario name or else by group.
CPU_TARGETS_MS = {"partner profile": 15.0, "api": 5.0, "page": 10.0}


def cpu_target(result: Result) -> float | None:
    if result.name in CPU_TARGETS_MS:
        return CPU_TARGETS_MS[result.name]
    return CPU_TARGETS_MS.get(result.group)


def verdicts(results: dict[str, Result], export: dict[str, Any] | None) -> list[tuple[str, bool, str]]:
    checks: list[tuple[str, bool, str]] = []
    for r in results.values():
        target = cpu_target(r)
        if target is not None and not r.served:
            checks.append((f"{r.name}: CPU <= {target:g} ms per request", False, "no request served"))
        elif target is not None:
            checks.append(
                (f"{r.name}: CPU <= {target:g} ms per request", r.cpu_ms <= target, f"{r.cpu_ms} ms")
            )
        if r.group in ("page", "mixed"):
            met = r.requests > 0 and r.p95_ms < 100
            figure = f"{r.p95_ms} ms" if r.requests else "no request completed"
            checks.append((f"{r.name}: p95 < 100 ms", met, figure))
        if r.group == "api" and r.floor in results and results[r.floor].rps:
            ratio = r.rps / results[r.floor].rps
            checks.append((f"{r.name}: >= 0.5x the psycopg2 floor", ratio >= 0.5, f"{ratio:.2f}x"))
        if r.naive in results and results[r.naive].rps:
            ratio = r.rps / results[r.naive].rps
            checks.append((f"{r.name}: >= 10x the naive ModelViewSet", ratio >= 10, f"{ratio:.1f}x"))
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


def markdown(report: dict[str, Any], results: dict[str, Result]) -> str:
    m = report["machine"]
    busy = statistics.mean(r.machine_busy_pct for r in results.values()) if results else 0
    share = statistics.mean(r.cpu_share_pct for r in results.values()) if results else 0
    lines = [
        f"Measured {m['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, PostgreSQL "
        f"{m['postgresql']}, Python {m['python']}; load average {m['load_average_at_start'][0]} at the start "
        f"(other work shares the machine). gunicorn {report['server']['workers']} "
        f"{report['server']['worker_class']} workers; wrk at {report['connections']} connections, "
        f"{report['duration']} s per scenario after a warm-up of the workers (the mixed scenario "
        f"{MIXED_SECONDS:g} s: {report['connections'] - 1} connections reading while one takes "
        "workflow steps and comments). Nothing is cached between requests: every page and API list is "
        "built on each request (only the dashboard's shared overview is kept per clearance and language "
        "until its data changes). Each scenario rotates several users per role, English and French "
        "sessions, and many URLs (partners, requests, list pages and filters).",
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
        if r.floor in results and results[r.floor].rps:
            beside.append(f"{r.rps / results[r.floor].rps:.2f}x {results[r.floor].name}")
        if r.naive in results and results[r.naive].rps:
            beside.append(f"{r.rps / results[r.naive].rps:.1f}x {results[r.naive].name}")
        if r.writer_requests:
            beside.append(f"writer: {r.writer_requests} steps, p95 {r.writer_p95_ms} ms")
        if r.errors or r.writer_errors:
            beside.append(f"{r.errors + r.writer_errors} errors")
        cpu = f"{r.cpu_ms} ({r.app_cpu_ms} + {r.db_cpu_ms})" if r.served else "–"
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
            chosen = scenarios(fixtures, args.only)
            # Every worker loads its code and compiles every template before anything is measured: one
            # pass over all the scenarios' reads, at a few connections (their figures are not kept).
            warm = [entry for s in chosen if s.group not in ("write", "floor") for entry in s.entries[:40]]
            if warm and args.warmup > 0:
                print("Warming the workers up ...", flush=True)
                warmup = Scenario("warm-up", "floor", warm)
                run_wrk(
                    warmup,
                    seconds=max(20.0, args.warmup * 5),
                    connections=args.workers,
                    workdir=Path(workdir),
                )
            for scenario in chosen:
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
