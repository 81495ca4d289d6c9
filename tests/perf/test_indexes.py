"""Every query of the hot pages and API lists reads the big tables through an index.

The benchmark's own data generator (bench/generate) loads a small scale of its data set into the test
database (10,000 activities, 2,500 requests and their timelines, 40,000 history events), PostgreSQL
analyses it, and the pages are requested as their users request them. Each query they run is then
explained and run (EXPLAIN (ANALYZE, FORMAT JSON)): none may read half a big table or more.

PostgreSQL rightly reads a table of a few thousand rows whole rather than through an index; so that the
plans show what it does at scale, sequential scans are priced out of its choices (enable_seqscan = off,
for the EXPLAIN only). A table still read whole, sequentially or along an index with no condition on
it, then means that no index can serve the query: the index it needs is missing.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from portal.accounts.models import Role, User
from portal.ops.db_roles import as_owner
from workprogrammes.requests.models import InclusionRequest

GENERATOR = Path(settings.BASE_DIR) / "bench" / "generate"
SCALE = 0.05

# The tables that grow without bound: activities, requests and their timelines, contributions, and
# their history events.
GROWING = (
    "workprogrammes_programmeactivity",
    "workprogrammes_inclusionrequest",
    "workprogrammes_statuschange",
    "workprogrammes_requestrevision",
    "workprogrammes_comment",
    "operations_contribution",
)
BIG_TABLES = frozenset(GROWING) | {f"{table}event" for table in GROWING}
# Reading this many rows of a table is not reading it whole, whatever its size.
MIN_ROWS = 200
# Prepended by pghistory's middleware to every query of a request (a second statement to leave out).
HISTORY_CONTEXT = re.compile(r"^SELECT set_config\('pghistory\.context_id'.*?\);\s*", re.S)


def _generator() -> Any:
    loader = importlib.machinery.SourceFileLoader("bench_generate", str(GENERATOR))
    spec = importlib.util.spec_from_loader("bench_generate", loader)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def scale_data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    """The generated data, in a transaction rolled back after this module's tests.

    Written as the schema's owner: the generator moves the request-number sequence on (setval), which
    the application role may not do."""
    with django_db_blocker.unblock(), as_owner(), transaction.atomic():
        with connection.cursor() as cursor:
            _generator().populate(cursor.cursor, scale=SCALE)
            cursor.execute("ANALYZE")
        yield
        transaction.set_rollback(True)


def _user(role: str, **filters: Any) -> User:
    candidates = User.objects.filter(is_active=True, clearance=10, groups__name=role, **filters).order_by(
        "pk"
    )
    return next(user for user in candidates if user.roles == frozenset({role}))


def _client(user: User, *, token: str = "") -> Client:
    if token:
        return Client(HTTP_AUTHORIZATION=f"Token {token}")
    client = Client()
    client.force_login(user)
    return client


# Nodes that read all their input before giving a row: a scan below one of them is not cut short by a
# LIMIT above it.
BLOCKING = {"Sort", "Incremental Sort", "Aggregate", "Hash", "Materialize", "Unique", "SetOp", "WindowAgg"}


def _nodes(plan: dict[str, Any], bounded: bool = False) -> Iterator[tuple[dict[str, Any], bool]]:
    """Every node of the plan, and whether a LIMIT above it stops it early (an ordered index walk)."""
    if plan["Node Type"] == "Limit":
        bounded = True
    elif plan["Node Type"] in BLOCKING or plan.get("Parent Relationship") in ("SubPlan", "InitPlan"):
        bounded = False
    yield plan, bounded
    for child in plan.get("Plans", []):
        yield from _nodes(child, bounded)


def _rows_read(node: dict[str, Any]) -> float:
    kept = node.get("Actual Rows", 0)
    removed = node.get("Rows Removed by Filter", 0) + node.get("Rows Removed by Index Recheck", 0)
    return float((kept + removed) * node.get("Actual Loops", 1))


def _whole_reads_of_big_tables(sql: str, sizes: dict[str, float]) -> list[str]:
    """The big tables this query reads (nearly) whole: half their rows or more in one scan node."""
    sql = HISTORY_CONTEXT.sub("", sql).strip()
    if not sql.upper().startswith(("SELECT", "WITH")):
        return []  # writes, savepoints, session saves
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
        explained = cursor.fetchone()[0]
        transaction.set_rollback(True)
    plan = (json.loads(explained) if isinstance(explained, str) else explained)[0]["Plan"]
    return [
        f"{node['Node Type']} on {node['Relation Name']} ({_rows_read(node):.0f} rows read)"
        for node, bounded in _nodes(plan)
        if node.get("Relation Name") in sizes
        # An index walked in the list's order stops at the page's last row, whatever the table's size.
        and not (bounded and node["Node Type"] in ("Index Scan", "Index Only Scan"))
        and _rows_read(node) >= max(MIN_ROWS, sizes[node["Relation Name"]] / 2)
    ]


def _table_sizes() -> dict[str, float]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)", [sorted(BIG_TABLES)]
        )
        return {name: float(rows) for name, rows in cursor.fetchall()}


def _queries_of(client: Client, path: str, method: str = "get", **extra: Any) -> list[str]:
    getattr(client, method)(path, **extra)  # warm: what a page caches across requests is cached
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(path, **extra)
    assert response.status_code < 400, (path, response.status_code)
    return [query["sql"] for query in queries.captured_queries]


def _hot_pages() -> list[tuple[str, Client, str]]:
    from portal.api.services import api_token_create

    viewer, reviewer = _user(Role.VIEWER), _user(Role.REVIEWER)
    analyst, secretary = _user(Role.ANALYST), _user(Role.COUNCIL_SECRETARY)
    officer = _user(Role.OFFICER, desks__isnull=False)
    _, token = api_token_create(user=viewer, name="explain", expires_in_days=1)
    reference = InclusionRequest.objects.filter(status="approved", marking=10).order_by("pk").first()
    assert reference is not None
    api = _client(viewer, token=token)
    return [
        ("partner directory", _client(viewer), "/partners/"),
        ("partner search", _client(viewer), "/partners/?q=korea"),
        ("partner profile", _client(viewer), "/partners/JP/"),
        ("review queue", _client(reviewer), "/requests/queue/"),
        ("review queue search", _client(reviewer), "/requests/queue/?q=maritime&status=awaiting_council"),
        ("my requests", _client(officer), "/requests/"),
        ("request page", _client(reviewer), f"/requests/{reference.reference}/"),
        ("dashboard, analyst", _client(analyst), "/"),
        ("dashboard, reviewer", _client(reviewer), "/"),
        ("dashboard, officer", _client(officer), "/"),
        ("dashboard, secretary", _client(secretary), "/"),
        ("API activities", api, "/api/v1/activities/"),
        ("API activities of a partner", api, "/api/v1/activities/?partner=JP&year=2020"),
        ("API requests", api, "/api/v1/requests/"),
        ("API request search", api, "/api/v1/requests/?q=maritime"),
        ("API request", api, f"/api/v1/requests/{reference.pk}/"),
        ("API catalogue search", api, "/api/v1/catalogue/?q=cyber"),
    ]


@pytest.mark.django_db
def test_hot_pages_read_the_big_tables_through_indexes(scale_data: None) -> None:
    cache.clear()
    sizes = _table_sizes()
    found: dict[str, list[str]] = {}
    for name, client, path in _hot_pages():
        for sql in _queries_of(client, path):
            scans = _whole_reads_of_big_tables(sql, sizes)
            if scans:
                found.setdefault(name, []).append(f"{', '.join(scans)}: {sql[:300]}")
    assert not found, json.dumps(found, indent=2)


@pytest.mark.django_db
def test_the_cursor_pages_after_the_first_use_the_index_too(scale_data: None) -> None:
    from portal.api.services import api_token_create

    _, token = api_token_create(user=_user(Role.VIEWER), name="explain-next", expires_in_days=1)
    api = _client(_user(Role.VIEWER), token=token)
    for path in ("/api/v1/activities/", "/api/v1/requests/"):
        next_page = api.get(path).json()["next"]
        assert next_page, path
        for sql in _queries_of(api, next_page.replace("http://testserver", "")):
            assert not _whole_reads_of_big_tables(sql, _table_sizes()), sql[:300]
