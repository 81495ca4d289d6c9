"""`make backup` / `make restore`: a dump of the database restored into a scratch database has the
same rows in every table."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.db import connection

from portal.ops.db_roles import CREDENTIAL_KEYS, owner_credentials
from tests.factories import ContributionFactory, MilestoneFactory, ProgrammeActivityFactory, UserFactory
from tests.security.world import build_world

ROOT = Path(__file__).resolve().parents[2]


def _owner() -> dict[str, str]:
    """The database owner's credentials: backups and restores are the owner's (the app role owns
    nothing, may not create a database, and is granted nothing in a restored one)."""
    owner = owner_credentials() or {key: connection.settings_dict.get(key) or "" for key in CREDENTIAL_KEYS}
    return {key: str(value or "") for key, value in owner.items()}


def _server_url() -> str:
    owner = _owner()
    user = f"{owner['USER']}@" if owner["USER"] else "postgres@"
    return f"postgres://{user}{owner['HOST'] or '127.0.0.1'}:{owner['PORT'] or 5432}"


def _owner_params(dbname: str) -> dict[str, Any]:
    owner = _owner()
    params = {
        "dbname": dbname,
        "user": owner["USER"] or None,
        "password": owner["PASSWORD"] or None,
        "host": owner["HOST"] or None,
        "port": owner["PORT"] or None,
    }
    return {key: value for key, value in params.items() if value is not None}


def _row_counts(dbname: str) -> dict[str, int]:
    with psycopg2.connect(**_owner_params(dbname)) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        tables = [row[0] for row in cursor.fetchall()]
        counts = {}
        for table in tables:
            cursor.execute(f'SELECT count(*) FROM "{table}"')  # noqa: S608 (names from the catalogue)
            counts[table] = cursor.fetchone()[0]
    conn.close()
    return counts


@pytest.fixture
def scratch_database() -> Iterator[str]:
    name = f"{connection.settings_dict['NAME']}_restore"[:63]
    admin = psycopg2.connect(**_owner_params("postgres"))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_scratch_database_with_every_row(
    tmp_path: Path, scratch_database: str
) -> None:
    build_world()  # a record of every kind, with history rows from the triggers
    for _ in range(3):
        MilestoneFactory()
        ContributionFactory()
        ProgrammeActivityFactory()
        UserFactory()
    source = connection.settings_dict["NAME"]
    env = {**os.environ, "DATABASE_URL": f"{_server_url()}/{source}", "BACKUP_DIR": str(tmp_path)}

    backup = subprocess.run(
        ["make", "--no-print-directory", "backup"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert backup.returncode == 0, backup.stderr
    [dump] = list(tmp_path.glob(f"{source}-*.dump"))
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    restore = subprocess.run(
        ["make", "--no-print-directory", "restore", f"DUMP={dump}", f"DB={scratch_database}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert restore.returncode == 0, restore.stderr

    original, restored = _row_counts(source), _row_counts(scratch_database)
    assert len(original) > 50
    assert sum(original.values()) > 100
    assert restored == original

    again = subprocess.run(
        ["make", "--no-print-directory", "restore", f"DUMP={dump}", f"DB={scratch_database}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert again.returncode != 0  # never over an existing database
    assert "exists already" in again.stderr
