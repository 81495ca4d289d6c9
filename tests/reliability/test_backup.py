"""`make backup` / `make restore`: a dump of the database restored into a scratch database has the
same rows in every table."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg2
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.utils import timezone

from portal.notifications.fan_out import event_fan_out
from portal.notifications.models import Delivery, Event
from portal.notifications.outbox import event_record
from portal.notifications.tasks import outbox_sweep
from portal.ops.db_roles import CREDENTIAL_KEYS, owner_credentials
from tests.factories import ContributionFactory, MilestoneFactory, ProgrammeActivityFactory, UserFactory
from tests.notifications.conftest import LiveCelery
from tests.security.world import build_world
from workprogrammes.requests.models import InclusionRequest

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
    # Every event fanned out, as a worker would have done: the restore then adds no row of its own (it
    # fans out the events a backup holds unprocessed; see the next test).
    for event_id in Event.objects.filter(processed_at__isnull=True).values_list("pk", flat=True):
        event_fan_out(event_id=event_id)
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


def _delivery_status(url: str, delivery_id: int) -> str:
    with closing(psycopg2.connect(url)) as conn, conn.cursor() as cursor:
        cursor.execute("SELECT status FROM notifications_delivery WHERE id = %s", [delivery_id])
        return str(cursor.fetchone()[0])


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("flushable_db")
def test_a_restored_backup_holds_its_pending_emails_until_an_administrator_releases_them(
    tmp_path: Path,
    scratch_database: str,
    live_celery: LiveCelery,
    world: SimpleNamespace,
    make_request: Callable[..., InclusionRequest],
) -> None:
    """The backup recorded e-mails as pending (no worker had run) and one as sent. A worker on the restored
    database sends none of them, even after the sweep, until an administrator releases one."""
    request = make_request(reviewer=world.desk_reviewer)
    request.watchers.add(world.watcher)
    target_type = ContentType.objects.get_for_model(request)
    pending_event, sent_event = (
        Event.objects.create(
            kind="request.returned", target_type=target_type, target_id=request.pk, actor=world.desk_reviewer
        )
        for _ in range(2)
    )
    event_fan_out(event_id=pending_event.pk)  # the officer's e-mails, pending (both events')
    pending = Delivery.objects.get(event=pending_event)
    Delivery.objects.filter(event=sent_event).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    with transaction.atomic():  # published, never processed: fanned out by the hold, 3 e-mails
        event_record(kind="request.approved", target=request, actor=world.secretary)
    assert not Delivery.objects.filter(event__kind="request.approved").exists()

    source = connection.settings_dict["NAME"]
    env = {**os.environ, "DATABASE_URL": f"{_server_url()}/{source}", "BACKUP_DIR": str(tmp_path)}
    subprocess.run(["make", "--no-print-directory", "backup"], cwd=ROOT, env=env, check=True)
    [dump] = list(tmp_path.glob(f"{source}-*.dump"))
    restore = subprocess.run(
        ["make", "--no-print-directory", "restore", f"DUMP={dump}", f"DB={scratch_database}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert restore.returncode == 0, restore.stderr
    assert "Held 4 pending e-mails (1 unprocessed events fanned out first)" in restore.stdout

    restored = f"{_server_url()}/{scratch_database}"
    worker = live_celery.worker(env={"DATABASE_URL": restored}).start()
    outbox_sweep.delay()
    live_celery.wait_for(
        lambda: re.search(r"outbox_sweep\[[^]]+\] succeeded", worker.log.read_text(errors="replace")),
        what="the sweep on the restored database",
    )
    assert live_celery.mails() == []

    release = subprocess.run(
        [sys.executable, "manage.py", "restored_deliveries", "release", str(pending.pk)],
        cwd=ROOT,
        env={**worker.env, "DATABASE_URL": restored},
        capture_output=True,
        text=True,
        check=False,
    )
    assert release.returncode == 0, release.stderr
    assert "Released 1 e-mails" in release.stdout
    live_celery.wait_for(live_celery.mails, what="the released e-mail")
    assert [m["to"] for m in live_celery.mails()] == [[world.officer.email]]
    assert _delivery_status(restored, pending.pk) == Delivery.Status.SENT
