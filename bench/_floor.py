"""The floor of the API lists: raw psycopg2 and json.dumps of the same page of rows, as a tiny WSGI app.

Served by gunicorn with the same worker settings as the portal, on another port (bench/run.py):

- /activities/  the first 50 programme activities by start date, as GET /api/v1/activities/ gives them;
- /requests/    the 50 newest inclusion requests, as GET /api/v1/requests/ gives them.

One SQL query per page, joins for the nested objects, a dict per row and json.dumps: no framework, no
authentication, no permission check. What the API does above this is the price of its framework.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from typing import Any

import psycopg2

DSN = os.environ.get(
    "BENCH_FLOOR_DSN",
    "dbname=ccportal_scale host=127.0.0.1 port=5432 user=postgres",
)
PAGE = 50
CLEARANCE = 10

ACTIVITY_STATUS = {
    "planned": "Planned",
    "confirmed": "Confirmed",
    "held": "Held",
    "reported": "Reported",
    "cancelled": "Cancelled",
}
REQUEST_STATUS = {
    "draft": "Draft",
    "submitted": "Submitted",
    "under_review": "Under review",
    "returned": "Returned for changes",
    "recommended": "Recommended",
    "not_recommended": "Not recommended",
    "awaiting_council": "Awaiting council",
    "approved": "Approved",
    "approved_exempt": "Approved (exempt)",
    "rejected": "Rejected",
    "deferred": "Deferred",
    "withdrawn": "Withdrawn",
}

ACTIVITIES_SQL = """
SELECT a.id, a.programme_id, p.iso_code, p.name_en, p.name_fr, w.year,
       c.id, c.code, c.title_en, c.title_fr, c.needs_council_decision,
       a.title_en, a.title_fr, a.objective, a.start_date, a.end_date, a.place, a.lead, a.status,
       a.marking, a.releasability
FROM workprogrammes_programmeactivity a
JOIN workprogrammes_workprogramme w ON w.id = a.programme_id
JOIN partners_partner p ON p.id = w.partner_id
LEFT JOIN workprogrammes_catalogueitem c ON c.id = a.catalogue_item_id
WHERE a.marking <= %s AND w.marking <= %s
ORDER BY a.start_date, a.id
LIMIT %s
"""

REQUESTS_SQL = """
SELECT r.id, r.reference, p.iso_code, p.name_en, p.name_fr, d.code,
       a.id, a.title_en, a.title_fr, a.start_date, a.end_date, a.place,
       c.id, c.code, c.title_en, c.title_fr, c.needs_council_decision,
       r.title, r.start_date, r.end_date, r.place, r.status, r.revision, r.needs_council_decision,
       u.username, u.first_name, u.last_name, v.username, v.first_name, v.last_name,
       r.submitted_at, r.due_at, r.decided_at, r.marking, r.releasability, r.created_at, r.updated_at
FROM workprogrammes_inclusionrequest r
JOIN partners_partner p ON p.id = r.partner_id
JOIN accounts_desk d ON d.id = r.desk_id
LEFT JOIN workprogrammes_programmeactivity a ON a.id = r.programme_activity_id
LEFT JOIN workprogrammes_catalogueitem c ON c.id = r.catalogue_item_id
JOIN accounts_user u ON u.id = r.requested_by_id
LEFT JOIN accounts_user v ON v.id = r.reviewer_id
WHERE r.marking <= %s
ORDER BY r.created_at DESC, r.id DESC
LIMIT %s
"""

_connection: Any = None


def _cursor() -> Any:
    global _connection
    if _connection is None or _connection.closed:
        _connection = psycopg2.connect(DSN)
        _connection.autocommit = True
    return _connection.cursor()


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _person(username: str | None, first: str | None, last: str | None) -> dict[str, str] | None:
    if username is None:
        return None
    return {"username": username, "name": f"{first} {last}".strip() or username}


def _activities() -> list[dict[str, Any]]:
    with _cursor() as cursor:
        cursor.execute(ACTIVITIES_SQL, [CLEARANCE, CLEARANCE, PAGE])
        rows = cursor.fetchall()
    return [
        {
            "id": r[0],
            "programme": r[1],
            "partner": {"iso_code": r[2], "name": r[3] or r[4], "name_en": r[3], "name_fr": r[4]},
            "year": r[5],
            "catalogue_item": None
            if r[6] is None
            else {
                "id": r[6],
                "code": r[7],
                "title": r[8] or r[9],
                "title_en": r[8],
                "title_fr": r[9],
                "needs_council_decision": r[10],
            },
            "title": r[11] or r[12],
            "title_en": r[11],
            "title_fr": r[12],
            "objective": r[13],
            "start_date": _iso(r[14]),
            "end_date": _iso(r[15]),
            "place": r[16],
            "lead": r[17],
            "status": r[18],
            "status_label": ACTIVITY_STATUS[r[18]],
            "marking": r[19],
            "releasability": r[20],
        }
        for r in rows
    ]


def _requests() -> list[dict[str, Any]]:
    with _cursor() as cursor:
        # Its joins taken in the written order, as the portal's request list takes them
        # (portal.core.planner.joins_in_written_order).
        cursor.execute("BEGIN; SET LOCAL join_collapse_limit = 4")
        cursor.execute(REQUESTS_SQL, [CLEARANCE, PAGE])
        rows = cursor.fetchall()
        cursor.execute("COMMIT")
    results = []
    for r in rows:
        activity = (
            None
            if r[6] is None
            else {
                "id": r[6],
                "title": r[7] or r[8],
                "title_en": r[7],
                "title_fr": r[8],
                "start_date": _iso(r[9]),
                "end_date": _iso(r[10]),
                "place": r[11],
            }
        )
        item = (
            None
            if r[12] is None
            else {
                "id": r[12],
                "code": r[13],
                "title": r[14] or r[15],
                "title_en": r[14],
                "title_fr": r[15],
                "needs_council_decision": r[16],
            }
        )
        results.append(
            {
                "id": r[0],
                "reference": r[1],
                "partner": {"iso_code": r[2], "name": r[3] or r[4], "name_en": r[3], "name_fr": r[4]},
                "desk": r[5],
                "programme_activity": activity,
                "catalogue_item": item,
                "activity_title": activity["title"] if activity else (r[17] or (item or {}).get("title", "")),
                "activity_start": activity["start_date"] if activity else _iso(r[18]),
                "activity_end": activity["end_date"] if activity else _iso(r[19]),
                "activity_place": activity["place"] if activity else r[20],
                "title": r[17],
                "start_date": _iso(r[18]),
                "end_date": _iso(r[19]),
                "place": r[20],
                "status": r[21],
                "status_label": REQUEST_STATUS[r[21]],
                "revision": r[22],
                "needs_council_decision": r[23],
                "requested_by": _person(r[24], r[25], r[26]),
                "reviewer": _person(r[27], r[28], r[29]),
                "submitted_at": _iso(r[30]),
                "due_at": _iso(r[31]),
                "decided_at": _iso(r[32]),
                "marking": r[33],
                "releasability": r[34],
                "created_at": _iso(r[35]),
                "updated_at": _iso(r[36]),
            }
        )
    return results


ROUTES: dict[str, Callable[[], list[dict[str, Any]]]] = {"/activities/": _activities, "/requests/": _requests}


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    route = ROUTES.get(environ.get("PATH_INFO", ""))
    if route is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    body = json.dumps({"next": None, "previous": None, "results": route()}).encode()
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
