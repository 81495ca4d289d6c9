"""Fixtures of the notification tests: the people around a request, and a real Celery worker on Redis."""

from __future__ import annotations

import datetime
import itertools
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import pytest
import redis
from django.db import connection
from django.utils import timezone

from portal.accounts.models import Role
from portal.celery import app as celery_app
from tests.factories import CatalogueItemFactory, DeskFactory, PartnerFactory, UserFactory
from tests.notifications.mailbox import read_mailbox
from workprogrammes.requests.models import InclusionRequest

REPO = Path(__file__).resolve().parents[2]
_references = itertools.count(1)


@pytest.fixture
def world(db: None) -> SimpleNamespace:
    """A desk with its partner, head and officer; reviewers on and off the desk; a secretary; others."""
    partner = PartnerFactory(iso_code="KR", name_en="Republic of Korea", name_fr="République de Corée")
    officer = UserFactory(username="officer", roles=[Role.OFFICER], first_name="Olivia", last_name="Officer")
    head = UserFactory(username="head", roles=[Role.OFFICER], first_name="Hugo", last_name="Head")
    desk_reviewer = UserFactory(
        username="desk_reviewer", roles=[Role.REVIEWER], first_name="Rita", last_name="R"
    )
    other_reviewer = UserFactory(username="other_reviewer", roles=[Role.REVIEWER])
    desk = DeskFactory(
        code="asia-pacific", name="Asia-Pacific desk", partners=[partner], members=[officer, desk_reviewer]
    )
    desk.head = head
    desk.save(update_fields=["head"])
    return SimpleNamespace(
        partner=partner,
        desk=desk,
        officer=officer,
        head=head,
        desk_reviewer=desk_reviewer,
        other_reviewer=other_reviewer,
        secretary=UserFactory(username="secretary", roles=[Role.COUNCIL_SECRETARY]),
        watcher=UserFactory(username="watcher", roles=[Role.VIEWER]),
        bystander=UserFactory(username="bystander", roles=[Role.OFFICER]),
    )


@pytest.fixture
def make_request(world: SimpleNamespace) -> Callable[..., InclusionRequest]:
    """An inclusion request of the world's officer, in the given status (submitted by default)."""

    def make(status: str = InclusionRequest.Status.SUBMITTED, **fields: Any) -> InclusionRequest:
        values: dict[str, Any] = {
            "reference": f"IR-2026-{next(_references):04d}",
            "partner": world.partner,
            "desk": world.desk,
            "catalogue_item": CatalogueItemFactory(),
            "title": "Maritime security course",
            "start_date": datetime.date(2026, 3, 2),
            "end_date": datetime.date(2026, 3, 6),
            "justification": "Builds interoperability.",
            "mutual_benefit": "Both sides train together.",
            "status": status,
            "requested_by": world.officer,
            "submitted_at": None if status == InclusionRequest.Status.DRAFT else timezone.now(),
            "needs_council_decision": None if status == InclusionRequest.Status.DRAFT else True,
        }
        values.update(fields)
        return InclusionRequest.objects.create(**values)

    return make


@pytest.fixture
def flushable_db(transactional_db: None) -> None:
    """A transactional test database that Django can empty afterwards.

    knox's migrations create `knox_authtoken` although the portal swaps that model out
    (KNOX_TOKEN_MODEL), so Django's flush leaves the table out and PostgreSQL then refuses to truncate
    the users it refers to. Nothing uses the table; the test database does without it.
    """
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS knox_authtoken")


# --- A real worker --------------------------------------------------------------------------------


class Worker:
    """A `celery -A portal worker` process on the test database, its own Redis db and queue."""

    def __init__(self, live: LiveCelery, name: str, env: dict[str, str]) -> None:
        self.live = live
        self.log = live.tmp / f"worker-{name}.log"
        self.env = env
        self.process: subprocess.Popen[bytes] | None = None

    # What the process logs once it is at work.
    ready_marker = " ready."

    def command(self) -> list[str]:
        return [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "portal",
            "worker",
            "-Q",
            self.live.queue,
            "-P",
            "prefork",
            "-c",
            "2",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "info",
            "-n",
            f"{self.live.queue}-{self.log.stem}@%h",
        ]

    def start(self, timeout: float = 60) -> Worker:
        command = self.command()
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"The worker exited:\n{self.log.read_text()}")
            if self.ready_marker in self.log.read_text(errors="replace"):
                return self
            time.sleep(0.1)
        raise RuntimeError(f"The worker did not start:\n{self.log.read_text()}")

    def stop(self, timeout: float = 20) -> None:
        """Warm shutdown; killed if it does not stop in time."""
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """SIGKILL the worker and its pool processes at once: nothing gets to clean up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)


class Beat(Worker):
    """`celery -A portal beat` (django-celery-beat's scheduler, the portal's schedule) on the test
    database, queuing every periodic task to the run's queue."""

    ready_marker = "beat: Starting..."

    def command(self) -> list[str]:
        return [str(Path(sys.executable).parent / "celery"), "-A", "portal", "beat", "-l", "info"]


class LiveCelery:
    """The test process publishing to a dedicated Redis db and queue, and the workers it starts."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.queue = f"notif-test-{uuid.uuid4().hex[:12]}"
        self.redis_db = int(os.environ.get("NOTIF_TEST_REDIS_DB", "13"))
        self.broker_url = f"redis://127.0.0.1:6379/{self.redis_db}"
        self.mailbox = tmp / "mailbox.jsonl"
        self.block_file = tmp / "block-sending"
        self.blocked_file = tmp / "sending-blocked"
        self.die_after_file = tmp / "die-after-send"
        self.hang_file = tmp / "hang-then-fail-sending"
        self.workers: list[Worker] = []

    def database_url(self) -> str:
        db = connection.settings_dict
        user = f"{quote(db['USER'])}@" if db.get("USER") else ""
        return f"postgres://{user}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"

    def environment(self, env: dict[str, str] | None = None) -> dict[str, str]:
        """The environment (settings) of a worker or beat of this run; `env` adds or overrides."""
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "DATABASE_URL": self.database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "NOTIF_TEST_QUEUE": self.queue,
            "NOTIF_TEST_MAILBOX": str(self.mailbox),
            "NOTIF_TEST_BLOCK_FILE": str(self.block_file),
            "NOTIF_TEST_BLOCKED_FILE": str(self.blocked_file),
            "NOTIF_TEST_DIE_AFTER_FILE": str(self.die_after_file),
            "NOTIF_TEST_HANG_FILE": str(self.hang_file),
            # Heartbeats go to this run's Redis db, where a test can read them.
            "REDIS_URL": self.broker_url,
            "PYTHONPATH": str(REPO),
            "LOG_LEVEL": "INFO",
            **(env or {}),
        }

    def worker(
        self,
        name: str = "a",
        transport_options: dict[str, Any] | None = None,
        env: dict[str, str] | None = None,
    ) -> Worker:
        """A worker on this run's queue; `env` adds or overrides its environment (settings)."""
        options = {"NOTIF_TEST_TRANSPORT_OPTIONS": json.dumps(transport_options or {})}
        worker = Worker(self, name, self.environment({**options, **(env or {})}))
        self.workers.append(worker)
        return worker

    def beat(self, env: dict[str, str] | None = None) -> Beat:
        """Beat, queuing the portal's periodic tasks to this run's queue; stopped with the workers."""
        beat = Beat(self, "beat", self.environment(env))
        self.workers.append(beat)
        return beat

    def mails(self) -> list[dict[str, Any]]:
        return read_mailbox(self.mailbox)

    def wait_for(self, predicate: Callable[[], Any], timeout: float = 30, what: str = "") -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = predicate()
            if result:
                return result
            time.sleep(0.1)
        logs = "\n".join(w.log.read_text(errors="replace")[-4000:] for w in self.workers if w.log.exists())
        raise AssertionError(f"Timed out waiting for {what or predicate}.\nWorker logs:\n{logs}")

    def unacknowledged(self) -> set[bytes]:
        """Delivery tags of this run's messages that a worker took and has not acknowledged (Redis keeps
        them in one hash for every queue of the database)."""
        client = redis.Redis.from_url(self.broker_url)
        try:
            return {
                tag
                for tag, raw in client.hgetall("unacked").items()
                if self.queue in json.loads(raw)[1:]  # [message, exchange, routing key]
            }
        finally:
            client.close()

    def forget_unacknowledged(self) -> None:
        """Drop this run's unacknowledged messages: a killed worker's would otherwise be put back in the
        run's queue when their visibility timeout ends, hours later, with nobody to consume them."""
        tags = self.unacknowledged()
        if tags:
            client = redis.Redis.from_url(self.broker_url)
            client.hdel("unacked", *tags)
            client.zrem("unacked_index", *tags)
            client.close()

    def point_broker_at(self, url: str) -> None:
        """Make this process publish to `url` (the app caches its connections and queues)."""
        celery_app.conf.broker_url = url
        celery_app.conf.broker_write_url = None
        _reset_celery_caches()


def _reset_celery_caches() -> None:
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)


@pytest.fixture
def live_celery(tmp_path: Path) -> Iterator[LiveCelery]:
    """Celery for real: this process publishes to Redis, workers started by the test consume.

    Use with `@pytest.mark.django_db(transaction=True)`, so the worker sees the committed rows.
    """
    live = LiveCelery(tmp_path)
    saved = {
        key: celery_app.conf[key]
        for key in (
            "broker_url",
            "broker_write_url",
            "task_always_eager",
            "task_default_queue",
            "task_routes",
        )
    }
    celery_app.conf.task_always_eager = False
    celery_app.conf.task_default_queue = live.queue
    # Every task to this run's own queue, not to the queues the settings route them to.
    celery_app.conf.task_routes = {}
    live.point_broker_at(live.broker_url)
    shared_url = live.broker_url
    client = redis.Redis.from_url(shared_url)
    try:
        yield live
    finally:
        for worker in live.workers:
            worker.stop()
        if live.broker_url == shared_url:  # not moved to a server of the test's own (gone by now)
            live.forget_unacknowledged()
        for key, value in saved.items():
            celery_app.conf[key] = value
        _reset_celery_caches()
        # Leave nothing of this run's queue behind in the test Redis db.
        for key in client.scan_iter(f"*{live.queue}*"):
            client.delete(key)
        client.close()


def pytest_configure() -> None:
    # The French e-mails and texts need the compiled catalogues (the project's and this app's);
    # `make test` compiles them, this covers a plain pytest run after a .po changed.
    for po in [
        *REPO.glob("locale/*/LC_MESSAGES/django.po"),
        *REPO.glob("portal/*/locale/*/LC_MESSAGES/django.po"),
    ]:
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "-o", str(mo), str(po)], check=True)
