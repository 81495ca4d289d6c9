"""Several hosts, one database and one Redis: two gunicorn instances and two Celery workers, started here
as separate processes on their own ports, with the production settings.

A request goes through the whole workflow (create, submit, start review, recommend, send to the Council,
decide) through the API, each step on the other web instance than the step before, each user with a
personal API token (tokens need no second factor). Then every notification must have been delivered
exactly once, whichever worker took it: one e-mail per delivery row, across the mailboxes of both
workers. On the way: both instances report ready with two live workers, the workers' log lines carry
the request id of the request that queued their task, and both instances report the same
installation-wide metrics.
"""

from __future__ import annotations

import email
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import redis
from django.db import connection

from portal.accounts.models import User
from portal.api.services import api_token_create
from portal.notifications.models import Delivery, Event
from tests.factories import CatalogueItemFactory
from workprogrammes.requests.models import InclusionRequest, StatusChange

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_DB = int(os.environ.get("DEPLOY_MULTI_HOST_REDIS_DB", "9"))
REDIS_URL = f"redis://127.0.0.1:6379/{REDIS_DB}"
METRICS_TOKEN = "multi-host-metrics-token"
STARTUP_SECONDS = 60
SETTLE_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _database_url() -> str:
    db = connection.settings_dict
    user = f"{quote(db['USER'])}@" if db.get("USER") else ""
    return f"postgres://{user}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self) -> Process:
        with self.log.open("wb") as log:
            self.popen = subprocess.Popen(
                self.command,
                cwd=REPO,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    def check_alive(self) -> None:
        assert self.popen is not None
        if self.popen.poll() is not None:
            raise AssertionError(f"{self.name} exited:\n{self.log.read_text(errors='replace')[-4000:]}")

    def stop(self) -> None:
        if self.popen is None or self.popen.poll() is not None:
            return
        os.killpg(self.popen.pid, signal.SIGTERM)
        try:
            self.popen.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(10)

    def json_lines(self) -> list[dict[str, Any]]:
        lines = []
        for line in self.log.read_text(errors="replace").splitlines():
            if line.startswith("{"):
                try:
                    lines.append(json.loads(line))
                except ValueError:
                    continue
        return lines


@dataclass
class Web(Process):
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@dataclass
class Stack:
    tmp: Path
    webs: list[Web] = field(default_factory=list)
    workers: list[Process] = field(default_factory=list)

    def everything(self) -> list[Process]:
        return [*self.webs, *self.workers]

    def mailboxes(self) -> list[Path]:
        return [self.tmp / f"mail-{worker.name}" for worker in self.workers]

    def mails(self) -> list[email.message.Message]:
        """Every message the workers' file mail backends wrote (one file per connection, messages in it
        separated by a line of 79 dashes)."""
        messages = []
        for mailbox in self.mailboxes():
            for path in sorted(mailbox.glob("*.log")) if mailbox.exists() else []:
                for chunk in path.read_text().split("-" * 79):
                    if chunk.strip():
                        messages.append(email.message_from_string(chunk.strip()))
        return messages

    def logs(self) -> str:
        return "\n\n".join(
            f"== {p.name}\n{p.log.read_text(errors='replace')[-3000:]}" for p in self.everything()
        )


def http(
    web: Web,
    method: str,
    path: str,
    *,
    token: str | None = None,
    body: Any = None,
    request_id: str | None = None,
    if_match: str | None = None,
) -> tuple[int, Any, dict[str, str]]:
    """One request to an instance: (status, parsed JSON body or text, headers)."""
    headers = {"Accept": "application/json"}
    if if_match:
        headers["If-Match"] = if_match
    if token:
        headers["Authorization"] = token
    if request_id:
        headers["X-Request-ID"] = request_id
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(web.url + path, data=data, method=method, headers=headers)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            status, raw, response_headers = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, raw, response_headers = error.code, error.read(), dict(error.headers)
    text = raw.decode(errors="replace")
    try:
        parsed: Any = json.loads(text)
    except ValueError:
        parsed = text
    return status, parsed, response_headers


def wait_for(predicate: Callable[[], Any], *, timeout: float, what: str, stack: Stack) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process in stack.everything():
            process.check_alive()
        result = predicate()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"Timed out waiting for {what}.\n{stack.logs()}")


@pytest.fixture
def stack(tmp_path: Path) -> Iterator[Stack]:
    """Two web instances and two workers on the test database and a Redis database of their own."""
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    common = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "multi-host-test-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": _database_url(),
        "DATABASE_REPLICA_URL": "",
        "CONN_MAX_AGE": "0",
        "REDIS_URL": REDIS_URL,
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "WORKER_HEARTBEAT_SECONDS": "2",
        "METRICS_TOKEN": METRICS_TOKEN,
        "SENTRY_DSN": "",
        "STORAGE_BACKEND": "filesystem",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(tmp_path / "static"),
        "PROMETHEUS_MULTIPROC_DIR": "",
        "PYTHONPATH": str(REPO),
    }
    common.pop("PROMETHEUS_MULTIPROC_DIR")
    stack = Stack(tmp=tmp_path)
    for name in ("a", "b"):
        port = _free_port()
        stack.webs.append(
            Web(
                name=f"web-{name}",
                command=[
                    str(BIN / "gunicorn"),
                    "--config",
                    "python:portal.ops.gunicorn_conf",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "1",
                    "portal.wsgi:application",
                ],
                env=common,
                log=tmp_path / f"web-{name}.log",
                port=port,
            )
        )
        stack.workers.append(
            Process(
                name=f"worker-{name}",
                command=[
                    str(BIN / "celery"),
                    "-A",
                    "portal",
                    "worker",
                    "-Q",
                    "notifications,exports,default",
                    "-c",
                    "1",
                    "-n",
                    f"deploy-{name}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "-l",
                    "info",
                ],
                env={**common, "EMAIL_URL": f"filemail:///{tmp_path}/mail-worker-{name}"},
                log=tmp_path / f"worker-{name}.log",
            )
        )
    try:
        for process in stack.everything():
            process.start()
        yield stack
    finally:
        for process in stack.everything():
            process.stop()
        client.flushdb()
        client.close()


def _token(user: User) -> str:
    _row, text = api_token_create(user=user, name="multi-host test", expires_in_days=None, second_factor=True)
    return f"Token {text}"


def _ready_with_two_workers(web: Web) -> dict[str, Any] | None:
    try:
        status, body, _headers = http(web, "GET", "/readyz")
    except OSError:
        return None  # not listening yet
    if status == 200 and body["checks"]["workers"]["workers"] == 2:
        return dict(body)
    return None


def _metric(text: str, line_start: str) -> float:
    for line in text.splitlines():
        if line.startswith(line_start):
            return float(line.rsplit(" ", 1)[1])
    raise AssertionError(f"{line_start} not in the metrics")


def test_a_request_through_the_workflow_on_two_hosts_notifies_everyone_once(
    stack: Stack, officer: User, reviewer: User, secretary: User, partner: Any
) -> None:
    item = CatalogueItemFactory(needs_council_decision=True)
    tokens = {"officer": _token(officer), "reviewer": _token(reviewer), "secretary": _token(secretary)}
    web_a, web_b = stack.webs

    # Both instances come up and see the same two workers, whose heartbeats are in the shared Redis.
    for web in stack.webs:
        ready = wait_for(
            lambda web=web: _ready_with_two_workers(web),
            timeout=STARTUP_SECONDS,
            what="readiness",
            stack=stack,
        )
        assert ready["checks"]["workers"]["queues"] == {"notifications": 2, "exports": 2, "default": 2}

    steps: list[tuple[str, str, str, dict[str, Any]]] = [
        ("submit", "officer", "submitted", {}),
        ("start-review", "reviewer", "under_review", {}),
        ("recommend", "reviewer", "recommended", {"reason": "Sound and useful."}),
        ("send-to-council", "reviewer", "awaiting_council", {}),
        (
            "decision",
            "secretary",
            "approved",
            {"outcome": "approved", "reference": "PO(2031)0042", "reason": "Agreed by written procedure."},
        ),
    ]
    request_ids: dict[str, str] = {}

    create_id = f"mh-create-{uuid.uuid4().hex[:8]}"
    status, body, headers = http(
        web_a,
        "POST",
        "/api/v1/requests/",
        token=tokens["officer"],
        request_id=create_id,
        body={
            "partner": partner.iso_code,
            "catalogue_item": item.pk,
            "title": "Maritime security course",
            "start_date": "2031-03-02",
            "end_date": "2031-03-06",
            "place": "Naples",
            "justification": "Builds interoperability.",
            "mutual_benefit": "Both sides train together.",
        },
    )
    assert status == 201, body
    assert headers["X-Request-ID"] == create_id
    pk = body["id"]

    for number, (action, actor, expected_status, payload) in enumerate(steps):
        web = (web_b, web_a)[number % 2]  # the creation was on A: B, A, B, A, B
        request_ids[action] = f"mh-{action}-{uuid.uuid4().hex[:8]}"
        # A workflow action names the version it acts on (If-Match with the ETag of a GET).
        _status, _body, seen = http(web, "GET", f"/api/v1/requests/{pk}/", token=tokens[actor])
        status, body, headers = http(
            web,
            "POST",
            f"/api/v1/requests/{pk}/{action}/",
            token=tokens[actor],
            body=payload,
            request_id=request_ids[action],
            if_match=seen["ETag"],
        )
        assert status == 200, (action, web.name, body)
        assert body["status"] == expected_status
        assert headers["X-Request-ID"] == request_ids[action]

    inclusion_request = InclusionRequest.objects.get(pk=pk)
    assert inclusion_request.status == "approved"
    assert StatusChange.objects.filter(request=inclusion_request).count() == len(steps)

    # Every event published, fanned out and every e-mail sent, by whichever worker took it.
    events = Event.objects.filter(target_id=pk, target_type__model="inclusionrequest")

    def settled() -> bool:
        if events.count() < len(steps) or events.filter(processed_at__isnull=True).exists():
            return False
        deliveries = Delivery.objects.filter(event__in=events)
        if deliveries.exclude(status=Delivery.Status.SENT).exists():
            return False
        return len(stack.mails()) >= deliveries.count()

    wait_for(settled, timeout=SETTLE_SECONDS, what="every notification to be sent", stack=stack)
    time.sleep(1)  # a duplicate, if there were one, would arrive now

    deliveries = list(Delivery.objects.filter(event__in=events).select_related("recipient"))
    assert deliveries, "the workflow notified nobody"
    assert all(delivery.attempts == 1 for delivery in deliveries)
    assert len({(d.event_id, d.recipient_id) for d in deliveries}) == len(deliveries)
    mails = stack.mails()
    assert len(mails) == len(deliveries)
    assert Counter(mail["To"] for mail in mails) == Counter(d.recipient.email for d in deliveries)

    # The workers' log lines of the tasks a request queued carry that request's id.
    worker_lines = [line for worker in stack.workers for line in worker.json_lines()]
    submit_task_lines = [line for line in worker_lines if line.get("request_id") == request_ids["submit"]]
    assert any(
        line.get("task_name") == "portal.notifications.tasks.publish_event" for line in submit_task_lines
    )
    assert all(line.get("task_id") for line in submit_task_lines)
    web_lines = [line for web in stack.webs for line in web.json_lines()]
    assert any(
        line.get("logger") == "portal.access" and line.get("request_id") == request_ids["submit"]
        for line in web_lines
    )

    # Installation-wide metrics are the same on both instances; per-process ones are each its own.
    scrapes = []
    for web in stack.webs:
        status, text, _headers = http(web, "GET", "/metrics", token=f"Bearer {METRICS_TOKEN}")
        assert status == 200
        scrapes.append(text)
    for text in scrapes:
        assert (
            _metric(text, 'portal_workflow_transitions_total{from_status="draft",to_status="submitted"}') == 1
        )
        published = _metric(
            text,
            'portal_celery_tasks_total{outcome="success",task="portal.notifications.tasks.publish_event"}',
        )
        assert published == events.count()
        assert _metric(text, 'portal_celery_workers{queue="notifications"}') == 2
        assert _metric(text, 'portal_celery_queue_length{queue="notifications"}') == 0
