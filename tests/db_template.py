"""One migration per test run, however many parallel processes run it.

Migrating the test database (about 100 migrations) takes the better part of a minute of CPU. Under
pytest-xdist each process used to create and migrate a database of its own, so a four-process run paid
for it four times over, all at once. Now the first process to get there migrates a template database,
once per run, and each process's database is created as a copy of it (PostgreSQL's CREATE DATABASE ...
TEMPLATE, a file copy); pytest-django's own set-up then finds every migration applied.

The template carries the run's id (xdist's `testrunuid`) as its comment, so a later run, which may
bring new migrations, always builds it afresh.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg2
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent


def _url(credentials: Mapping[str, Any], database: str) -> str:
    user = quote(str(credentials.get("USER") or ""), safe="")
    password = credentials.get("PASSWORD") or ""
    auth = f"{user}:{quote(str(password), safe='')}" if password else user
    host = credentials.get("HOST") or ""
    port = f":{credentials['PORT']}" if credentials.get("PORT") else ""
    return f"postgres://{auth}@{quote(str(host), safe='')}{port}/{database}"


def template_ready(*, name: str, run_id: str, app: Mapping[str, Any], owner: Mapping[str, Any]) -> None:
    """Make sure the template database `name` holds every migration of this run (built once, under a
    lock that the other processes wait on)."""
    admin = psycopg2.connect(
        dbname="postgres",
        user=owner.get("USER") or None,
        password=owner.get("PASSWORD") or None,
        host=owner.get("HOST") or None,
        port=owner.get("PORT") or None,
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s))", [name])
            cursor.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s", [name]
            )
            row = cursor.fetchone()
            if row is not None and row[0] == run_id:
                return
            database = sql.Identifier(name)
            cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(database))
            environment = {
                **os.environ,
                "DATABASE_URL": _url(app, name),
                "DATABASE_OWNER_URL": _url(owner, name),
                "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            }
            subprocess.run(
                [sys.executable, str(ROOT / "manage.py"), "migrate", "--no-input", "--verbosity", "0"],
                cwd=ROOT,
                env=environment,
                check=True,
            )
            cursor.execute(sql.SQL("COMMENT ON DATABASE {} IS %s").format(database), [run_id])
    finally:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock_all()")
        admin.close()
