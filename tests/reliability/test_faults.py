"""Faults survived, on the real PostgreSQL and Redis.

- The database restarted while the portal is idle: the next request succeeds (connection health checks).
- Redis down: the pages still work, and the notification outbox catches up once it is back.
- A Celery worker killed in the middle of a task: the work is done exactly once. That is tested with a
  real worker in tests/notifications/test_worker.py (test_pool_process_killed_in_the_middle_of_a_send_
  delivers_exactly_once, test_worker_killed_outright_mid_send_is_finished_by_a_new_worker_exactly_once).
- A broker down or hanging at submit: tests/notifications/test_worker.py (test_broker_down_at_submit_...).
- Messages lost by the broker, a database outage under a worker, a mail server that hangs or never
  answers, the task time limits, a worker lost after a send (the duplicate counted), readiness within
  20 s of every worker killed: tests/notifications/test_worker_faults.py. A restored backup holding its
  pending e-mails: tests/reliability/test_backup.py.
"""

from __future__ import annotations

import datetime
import socket
import time
from collections.abc import Iterator
from io import BytesIO
from typing import Any

import psycopg2
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from portal.accounts.models import Role
from portal.api.services import api_token_create
from portal.celery import app as celery_app
from portal.notifications.models import Event, Notification
from portal.notifications.outbox import outbox_sweep
from tests.factories import CatalogueItemFactory, DeskFactory, PartnerFactory, UserFactory
from tests.workprogrammes.request_factories import InclusionRequestFactory
from workprogrammes.requests.models import InclusionRequest

# --- The database restarted ------------------------------------------------------------------------


def _wsgi_get(path: str, **headers: str) -> int:
    """A GET through Django's own WSGI handler, as gunicorn calls it (the test Client skips the
    request_started handler that checks persistent connections, so it cannot show this)."""
    environ = RequestFactory().get(path, **headers).environ
    environ["wsgi.input"] = BytesIO()
    status: list[str] = []
    body = WSGIHandler()(environ, lambda line, _headers, *args: status.append(line))
    b"".join(body)
    body.close()  # request_finished: the connection is kept (CONN_MAX_AGE) or closed if broken
    return int(status[0].split()[0])


def _terminate_portal_connections(pid: int) -> None:
    """What a server restart does to the portal's idle connection, from another connection."""
    params = connection.get_connection_params()
    other = psycopg2.connect(**params)
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


@pytest.fixture
def persistent_connection(transactional_db: None) -> Iterator[None]:
    """The connection settings of production (base.py): kept 60 s, checked before reuse."""
    saved = {key: connection.settings_dict.get(key) for key in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")}
    connection.close()
    connection.settings_dict.update(CONN_MAX_AGE=60, CONN_HEALTH_CHECKS=True)
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.update(saved)


def test_production_keeps_connections_and_checks_them_before_reuse() -> None:
    from portal.settings import base

    assert base.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
    assert base.DATABASES["default"]["CONN_MAX_AGE"] > 0
    assert settings.ROOT_URLCONF == "portal.urls"


def test_the_next_request_after_a_database_restart_succeeds(persistent_connection: None) -> None:
    officer = UserFactory(roles=[Role.OFFICER])
    _token, text = api_token_create(user=officer, name="monitor", expires_in_days=None)
    auth = {"HTTP_AUTHORIZATION": f"Token {text}"}
    assert _wsgi_get("/api/v1/partners/", **auth) == 200
    pid = connection.connection.info.backend_pid  # the idle connection the portal keeps
    assert connection.connection is not None

    _terminate_portal_connections(pid)
    time.sleep(0.2)

    assert _wsgi_get("/api/v1/partners/", **auth) == 200
    assert connection.connection.info.backend_pid != pid  # a fresh connection served it


def test_without_the_health_check_the_read_is_tried_once_more(persistent_connection: None) -> None:
    """The control: with CONN_HEALTH_CHECKS off the same restart breaks the request's first query; a read
    is then run once more on a new connection (portal/ops/unavailable.py), and never answers 500."""
    officer = UserFactory(roles=[Role.OFFICER])
    _token, text = api_token_create(user=officer, name="monitor", expires_in_days=None)
    auth = {"HTTP_AUTHORIZATION": f"Token {text}"}
    connection.settings_dict["CONN_HEALTH_CHECKS"] = False
    connection.close()  # the setting is read when connecting
    assert _wsgi_get("/api/v1/partners/", **auth) == 200
    pid = connection.connection.info.backend_pid
    _terminate_portal_connections(pid)
    time.sleep(0.2)

    assert _wsgi_get("/api/v1/partners/", **auth) == 200
    assert connection.connection.info.backend_pid != pid  # a fresh connection served it


# --- Redis down ---------------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens once the probe is closed


@pytest.fixture
def redis_down(transactional_db: None) -> Iterator[None]:
    """This process publishes to a Redis that refuses connections, as when the server is stopped."""
    saved: dict[str, Any] = {
        key: celery_app.conf[key] for key in ("broker_url", "broker_write_url", "task_always_eager")
    }
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
    celery_app.conf.broker_write_url = None
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)
    try:
        yield
    finally:
        for key, value in saved.items():
            celery_app.conf[key] = value
        celery_app._pool = None
        celery_app.__dict__.pop("amqp", None)


def test_pages_work_with_redis_down_and_the_outbox_catches_up(redis_down: None) -> None:
    partner = PartnerFactory()
    officer = UserFactory(roles=[Role.OFFICER])
    reviewer = UserFactory(roles=[Role.REVIEWER])
    desk = DeskFactory(partners=[partner], members=[officer])
    draft = InclusionRequestFactory(
        partner=partner, desk=desk, requested_by=officer, catalogue_item=CatalogueItemFactory()
    )
    client = Client()
    client.force_login(officer)

    started = time.monotonic()
    response = client.post(f"/requests/{draft.reference}/act/submit/")
    elapsed = time.monotonic() - started
    assert response.status_code == 302
    assert elapsed < 3, f"submitting took {elapsed:.1f} s with Redis down"
    assert InclusionRequest.objects.get(pk=draft.pk).status == "submitted"
    for path in ("/", "/requests/", f"/requests/{draft.reference}/", "/notifications/", "/partners/"):
        assert client.get(path).status_code == 200, path
    event = Event.objects.get(kind="request.submitted")
    assert event.published_at is None  # waiting in the outbox
    assert not Notification.objects.exists()

    # Redis is back. The beat's sweep publishes what waited; the work runs in this process here
    # (eager), as a worker would run it (tests/notifications/test_worker.py does it with a real one).
    celery_app.conf.task_always_eager = True
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=1)) == 1
    event.refresh_from_db()
    assert event.published_at is not None and event.processed_at is not None
    assert Notification.objects.filter(recipient=reviewer, event=event).count() == 1
    assert outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=2)) == 0  # nothing twice
