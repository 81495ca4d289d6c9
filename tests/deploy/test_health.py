"""/healthz and /readyz: JSON for load balancers, no sign-in, 503 naming whatever is failing."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis
from django.db import connections
from django.test import Client, override_settings

from portal.ops import health
from portal.ops.heartbeat import heartbeat_write

from .conftest import UNREACHABLE_REDIS_URL

pytestmark = pytest.mark.django_db

QUEUES = ("notifications", "exports", "default")


@pytest.fixture
def down_database() -> Iterator[str]:
    """The "replica" alias replaced by a connection to a port nothing listens on: a server that is down."""
    original = connections["replica"]
    settings_dict = {**original.settings_dict, "HOST": "127.0.0.1", "PORT": "1"}
    connections["replica"] = type(original)(settings_dict, alias="replica")
    try:
        yield "replica"
    finally:
        connections["replica"].close()
        connections["replica"] = original


def test_healthz_answers_without_touching_the_database_or_signing_in(django_assert_num_queries) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_reports_each_check_as_ok(ops_redis: redis.Redis) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["failing"] == []
    assert set(body["checks"]) == {"database", "redis", "workers", "queue"}
    assert all(check["status"] == "ok" for check in body["checks"].values())


@pytest.mark.django_db(databases=["default", "replica"])
def test_readyz_is_503_naming_the_database_that_is_down(ops_redis: redis.Redis, down_database: str) -> None:
    with override_settings(HEALTH_CHECK_DATABASES=["default", down_database]):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database:replica"]
    assert body["checks"]["database:replica"]["status"] == "failing"
    assert body["checks"]["database:replica"]["detail"] == "OperationalError"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "ok"


def test_readyz_is_503_naming_redis_when_it_is_unreachable() -> None:
    with override_settings(REDIS_URL=UNREACHABLE_REDIS_URL, CELERY_BROKER_URL=UNREACHABLE_REDIS_URL):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert "redis" in body["failing"]
    assert body["checks"]["redis"]["detail"] == "ConnectionError"
    assert body["checks"]["database"]["status"] == "ok"


def test_readyz_needs_a_live_worker_on_every_queue(ops_redis: redis.Redis) -> None:
    with override_settings(CELERY_TASK_ALWAYS_EAGER=False):
        nobody = Client().get("/readyz")
        heartbeat_write(hostname="worker-a@host", queues=["notifications", "default"])
        exports_missing = Client().get("/readyz")
        heartbeat_write(hostname="worker-b@host", queues=["exports"])
        served = Client().get("/readyz")

    assert nobody.status_code == 503
    assert nobody.json()["failing"] == ["workers"]
    assert exports_missing.status_code == 503
    workers = exports_missing.json()["checks"]["workers"]
    assert workers["detail"] == "No live worker consumes: exports"
    assert workers["queues"] == {"notifications": 1, "exports": 0, "default": 1}
    assert served.status_code == 200
    assert served.json()["checks"]["workers"]["workers"] == 2


def test_a_stale_heartbeat_does_not_count(ops_redis: redis.Redis, settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = time.time() - settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS - 1
    heartbeat_write(hostname="gone@host", queues=list(QUEUES), now=old)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["workers"]["workers"] == 0


def test_probes_answer_any_host_over_plain_http(ops_redis: redis.Redis, settings) -> None:
    """A load balancer probes by address over HTTP: no DisallowedHost, no redirect to HTTPS."""
    settings.ALLOWED_HOSTS = ["portal.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    client = Client(HTTP_HOST="10.0.0.7:8000")
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/accounts/login/").status_code == 400  # everything else still checks the host


def test_probes_accept_only_safe_methods() -> None:
    assert Client().post("/healthz").status_code == 405


def test_a_check_that_breaks_unexpectedly_fails_without_saying_why(
    ops_redis: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """django-health-check's rule: an unexpected error is logged, and the answer says only "unknown error"."""

    def broken(self: health.QueueCheck) -> None:
        raise RuntimeError("secret detail from 10.0.0.9")

    monkeypatch.setattr(health.QueueCheck, "run", broken)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["queue"]
    assert response.json()["checks"]["queue"]["detail"] == "unknown error"
