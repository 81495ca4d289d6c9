"""The web tier with its Redis stopped or frozen: the cache, the broker and the counters all on one
redis-server of the test's own (as compose's default puts CACHE_URL, the broker and REDIS_URL on one).

Every cache use fails open (portal/ops/cache.py, the API throttle), publishing from a request gives up
after a short timeout (portal/ops/broker.py) and leaves the work in the outbox, so pages and the API,
reads and writes (creates and workflow actions, by page and by API) still answer; once Redis is back
the outbox sweep publishes what waited, and the cache is used again.
"""

from __future__ import annotations

import contextlib
import datetime
import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType, SimpleNamespace
from typing import Any

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from portal.accounts.models import Role
from portal.api.services import api_token_create
from portal.celery import app as celery_app
from portal.core.models import Marking
from portal.notifications.models import Event
from portal.notifications.outbox import outbox_sweep
from portal.ops import broker, metrics
from portal.settings.base import env, fail_open_cache
from tests.factories import CatalogueItemFactory, DeskFactory, PartnerFactory, UserFactory
from tests.reliability.servers import OwnRedis
from tests.workprogrammes.request_factories import InclusionRequestFactory
from workprogrammes.requests.models import InclusionRequest

# --- What is configured ------------------------------------------------------------------------------


def test_a_redis_cache_fails_open_with_short_socket_timeouts() -> None:
    config = fail_open_cache(env.cache_url_config("redis://cache.example.org:6379/1"))
    assert config["BACKEND"] == "portal.ops.cache.FailOpenRedisCache"
    assert config["OPTIONS"]["socket_connect_timeout"] == settings.CACHE_SOCKET_TIMEOUT_SECONDS
    assert config["OPTIONS"]["socket_timeout"] == settings.CACHE_SOCKET_TIMEOUT_SECONDS
    assert settings.CACHE_SOCKET_TIMEOUT_SECONDS <= 0.5
    assert settings.CACHE_PAUSE_SECONDS >= 1
    # A cache of each process is left as it is.
    local = fail_open_cache(env.cache_url_config("locmemcache://"))
    assert local["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_request_publishes_once_with_short_timeouts() -> None:
    options = broker.publish_transport_options()
    assert options["max_retries"] == 0
    assert options["socket_connect_timeout"] <= 0.5 and options["socket_timeout"] <= 0.5
    assert broker.PUBLISH_TIMEOUT_SECONDS <= 0.5


def test_a_submit_waits_for_a_frozen_redis_under_two_seconds_in_all() -> None:
    """What a submit can wait for on a Redis that accepts connections and never answers, added up: one
    cache command (the cache is then skipped for CACHE_PAUSE_SECONDS), the publish (connecting, then
    one command), and the transitions counter (then paused too)."""
    worst = (
        settings.CACHE_SOCKET_TIMEOUT_SECONDS
        + 2 * broker.PUBLISH_TIMEOUT_SECONDS
        + metrics.COUNTER_TIMEOUT_SECONDS
    )
    assert worst < 2
    assert metrics.PAUSE_AFTER_FAILURE_SECONDS >= 1


def test_every_broker_connection_gives_up_on_a_redis_that_does_not_answer() -> None:
    """Web processes, workers and beat share these (portal/settings/tasks.py; the test workers' settings
    add to them): each broker command waits at most BROKER_SOCKET_TIMEOUT_SECONDS, longer than the 1 s
    a worker waits for tasks on Redis, and a failed publish is tried once more."""
    options = celery_app.conf.broker_transport_options
    assert 1 < options["socket_timeout"] == settings.BROKER_SOCKET_TIMEOUT_SECONDS <= 10
    assert 0 < options["socket_connect_timeout"] <= 5
    assert options["visibility_timeout"] == 2 * 60 * 60
    assert celery_app.conf.task_publish_retry_policy["max_retries"] == 1
    # A request's publish keeps its own shorter timeouts over these.
    assert broker.publish_transport_options()["socket_timeout"] < options["socket_timeout"]


# --- The faults, on a redis-server of this test --------------------------------------------------


@contextlib.contextmanager
def completes_within(seconds: int) -> Iterator[None]:
    """A generous guard, not a measurement: a request that waits for Redis for ever fails the test
    instead of hanging it."""

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise AssertionError(f"still waiting after {seconds} s: something waits for Redis without a timeout")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    server = OwnRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def celery_on_own_redis(own_redis: OwnRedis) -> Iterator[OwnRedis]:
    """This process publishes to the test's redis-server, as a worker or beat would (not eagerly)."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "broker_write_url", "task_always_eager")}
    celery_app.conf.update(task_always_eager=False, broker_url=own_redis.url(0), broker_write_url=None)
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)
    try:
        yield own_redis
    finally:
        if own_redis.frozen:
            own_redis.thaw()
        celery_app.conf.update(saved)
        celery_app._pool = None
        celery_app.__dict__.pop("amqp", None)


def test_celerys_own_publish_to_a_frozen_redis_raises_instead_of_waiting(
    celery_on_own_redis: OwnRedis,
) -> None:
    """A task's automatic retry and beat's periodic tasks are published by Celery's own producer, on the
    app's connection pool: with a frozen broker it must give up, not hold the worker or beat for ever."""
    from kombu.exceptions import OperationalError

    from portal.notifications.tasks import send_deliveries

    send_deliveries.apply_async(args=([1],))  # the pool holds a connection, as in a running worker
    assert redis.Redis.from_url(celery_on_own_redis.url(0)).llen("notifications") == 1
    celery_on_own_redis.freeze()
    with completes_within(60), pytest.raises(OperationalError):
        send_deliveries.apply_async(args=([2],))


@pytest.fixture
def portal_on_own_redis(own_redis: OwnRedis, transactional_db: None) -> Iterator[OwnRedis]:
    """The cache (db 1), the broker and the shared counters (db 0) on the test's redis-server."""
    saved: dict[str, Any] = {
        key: celery_app.conf[key] for key in ("broker_url", "broker_write_url", "task_always_eager")
    }

    def reset_celery() -> None:
        celery_app._pool = None
        celery_app.__dict__.pop("amqp", None)

    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = own_redis.url(0)
    celery_app.conf.broker_write_url = None
    reset_celery()
    metrics._paused_until = 0.0
    cache_config = fail_open_cache(env.cache_url_config(own_redis.url(1)))
    try:
        with override_settings(
            CACHES={"default": cache_config},
            REDIS_URL=own_redis.url(0),
            CELERY_BROKER_URL=own_redis.url(0),
            METRICS_SHARED_COUNTERS=True,
        ):
            yield own_redis
    finally:
        for key, value in saved.items():
            celery_app.conf[key] = value
        reset_celery()
        metrics._paused_until = 0.0


@pytest.fixture
def world(portal_on_own_redis: OwnRedis) -> SimpleNamespace:
    partner = PartnerFactory()
    officer = UserFactory(roles=[Role.OFFICER])
    reviewer = UserFactory(roles=[Role.REVIEWER])
    desk = DeskFactory(partners=[partner], members=[officer])
    _token, text = api_token_create(user=officer, name="fault test", expires_in_days=None)
    api = APIClient(raise_request_exception=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {text}")
    page = Client(raise_request_exception=False)
    page.force_login(officer)
    # An analyst's dashboard has the overview, which is kept in the cache.
    analyst_page = Client(raise_request_exception=False)
    analyst_page.force_login(UserFactory(roles=[Role.ANALYST]))
    return SimpleNamespace(
        partner=partner,
        officer=officer,
        reviewer=reviewer,
        desk=desk,
        api=api,
        page=page,
        analyst_page=analyst_page,
    )


def _draft(world: SimpleNamespace) -> InclusionRequest:
    return InclusionRequestFactory(
        partner=world.partner,
        desk=world.desk,
        requested_by=world.officer,
        catalogue_item=CatalogueItemFactory(),
    )


def _api_body(world: SimpleNamespace) -> dict[str, Any]:
    return {
        "partner": world.partner.iso_code,
        "catalogue_item": CatalogueItemFactory().pk,
        "title": "Exercise Steadfast Jazz",
        "start_date": "2027-03-01",
        "end_date": "2027-03-12",
        "place": "Oberammergau",
        "justification": "Interoperability with a contributor to operations.",
        "mutual_benefit": "Lessons from deployments in return for training places.",
    }


def _page_body(world: SimpleNamespace) -> dict[str, Any]:
    return {
        "partner": world.partner.pk,
        "catalogue_item": CatalogueItemFactory().pk,
        "start_date": "2027-05-03",
        "end_date": "2027-05-14",
        "place": "Oberammergau",
        "justification": "Trains the partner's staff for operations.",
        "mutual_benefit": "Lessons from the partner's deployments in return.",
        "marking": Marking.NATO_UNCLASSIFIED,
    }


def _forget_redis_failures() -> None:
    """The cache and the counters try Redis again at once (after a failure they skip it for a while)."""
    caches["default"].paused_until = 0.0  # type: ignore[attr-defined]
    metrics._paused_until = 0.0


def _everything_a_user_does(world: SimpleNamespace) -> tuple[list[int], dict[str, float]]:
    """Reads and writes through pages and the API; returns the ids of the requests submitted, and the
    seconds each submit (API, page) took to answer."""
    submitted = []
    took: dict[str, float] = {}
    # The API: a list (the throttle reads the cache), a create, a workflow action.
    assert world.api.get("/api/v1/partners/").status_code == 200
    created = world.api.post("/api/v1/requests/", _api_body(world), format="json")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    _forget_redis_failures()  # the submit pays for every timeout, as the first request after a failure
    started = time.monotonic()
    action = world.api.post(
        f"/api/v1/requests/{pk}/submit/", {}, format="json", HTTP_IF_MATCH=created["ETag"]
    )
    took["api"] = time.monotonic() - started
    print(f"API submit answered {action.status_code} in {took['api']:.2f} s")
    assert action.status_code == 200, action.content
    assert action.json()["status"] == "submitted"
    submitted.append(pk)
    # The pages: the dashboard (an analyst's overview is kept in the cache), a create, a workflow action.
    assert world.page.get("/").status_code == 200
    dashboard = world.analyst_page.get("/")
    assert dashboard.status_code == 200
    assert 'id="panel-analyst"' in dashboard.content.decode()
    assert world.page.get("/requests/").status_code == 200
    before = set(InclusionRequest.objects.values_list("pk", flat=True))
    response = world.page.post("/requests/new/", _page_body(world))
    assert response.status_code == 302, response.content
    (page_created,) = set(InclusionRequest.objects.values_list("pk", flat=True)) - before
    draft = _draft(world)
    _forget_redis_failures()
    started = time.monotonic()
    response = world.page.post(f"/requests/{draft.reference}/act/submit/")
    took["page"] = time.monotonic() - started
    print(f"page submit answered {response.status_code} in {took['page']:.2f} s")
    assert response.status_code == 302
    assert InclusionRequest.objects.get(pk=draft.pk).status == "submitted"
    assert InclusionRequest.objects.get(pk=page_created).status == "draft"
    submitted.append(draft.pk)
    return submitted, took


def _queued_event_targets(client: redis.Redis) -> set[int]:
    """The requests whose events wait in the notifications queue."""
    event_ids = {
        int(json.loads(message)["headers"]["argsrepr"].strip("(),"))
        for message in client.lrange("notifications", 0, -1)  # type: ignore[union-attr]
    }
    return set(Event.objects.filter(pk__in=event_ids).values_list("target_id", flat=True))


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_pages_and_api_answer_with_redis_stopped_or_frozen_and_the_outbox_catches_up(
    world: SimpleNamespace, portal_on_own_redis: OwnRedis, fault: str
) -> None:
    server = portal_on_own_redis
    cache_client = redis.Redis.from_url(server.url(1))
    broker_client = redis.Redis.from_url(server.url(0))
    # The cache really is on this server, with the configured timeouts on its connections.
    pool_kwargs = caches["default"]._cache.get_client().connection_pool.connection_kwargs  # type: ignore[attr-defined]
    assert pool_kwargs["socket_timeout"] == settings.CACHE_SOCKET_TIMEOUT_SECONDS
    assert pool_kwargs["socket_connect_timeout"] == settings.CACHE_SOCKET_TIMEOUT_SECONDS

    # Everything works with Redis up (and leaves connections open in this process's pools).
    with completes_within(60):
        _submitted, took_up = _everything_a_user_does(world)
    keys = list(cache_client.scan_iter())
    assert any(b"throttle" in key for key in keys)  # the throttle counts in Redis
    assert any(b"dashboard-overview" in key for key in keys)  # the overview is kept there
    assert broker_client.llen("notifications") == 2  # both submissions published at once
    broker_client.delete("notifications")
    assert Event.objects.filter(published_at__isnull=True).count() == 0

    if fault == "stopped":
        server.stop()
    else:
        server.freeze()
    with completes_within(60):  # without timeouts a frozen Redis holds a request for ever
        submitted, took_down = _everything_a_user_does(world)
    # What Redis's state adds to a submit stays under the 2 s a user may wait (measured against the same
    # submit with Redis up a moment before, so that a busy machine does not count as waiting on Redis).
    for surface in ("api", "page"):
        assert took_down[surface] - took_up[surface] < 2, (surface, took_up, took_down)

    # The state changes are saved; their events wait in the outbox, each tried once.
    waiting = Event.objects.filter(published_at__isnull=True)
    assert sorted(waiting.values_list("target_id", flat=True)) == sorted(submitted)
    assert set(waiting.values_list("publish_attempts", flat=True)) == {1}

    # Redis is back: the beat's sweep publishes what waited, and the cache counts again.
    if fault == "stopped":
        server.start()
    else:
        server.thaw()
    caches["default"].paused_until = 0.0  # type: ignore[attr-defined]  # else skipped a few seconds more
    cache_client.flushdb()
    with completes_within(60):
        # Both waiting events, and any e-mail the sweep queues again besides.
        assert outbox_sweep(now=timezone.now() + datetime.timedelta(minutes=1)) >= 2
        assert world.api.get("/api/v1/partners/").status_code == 200
        assert world.analyst_page.get("/").status_code == 200
    assert Event.objects.filter(published_at__isnull=True).count() == 0
    # Each waiting event is now queued. (A publish to the frozen server was written to its socket
    # before the timeout, so Redis may hold that message twice once thawed: the event is processed
    # once all the same, tests/notifications/test_worker.py.)
    assert set(submitted) <= _queued_event_targets(broker_client)
    keys = list(cache_client.scan_iter())
    assert any(b"throttle" in key for key in keys) and any(b"dashboard-overview" in key for key in keys)
    cache_client.close()
    broker_client.close()
