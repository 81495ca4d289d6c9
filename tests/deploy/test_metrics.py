"""/metrics: protected (staff or the scraper's bearer token), and counting what the issue asks for."""

from __future__ import annotations

import datetime
import json

import pytest
import redis
from celery.signals import task_success
from django.conf import settings
from django.test import Client, override_settings
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from portal.accounts.models import User
from portal.notifications import tasks as notification_tasks
from portal.ops import metrics
from portal.ops.heartbeat import heartbeat_write
from tests.factories import CatalogueItemFactory
from workprogrammes.requests import services
from workprogrammes.workflow_steps import RequestStep, request_step

from .conftest import UNREACHABLE_REDIS_URL

pytestmark = pytest.mark.django_db

TOKEN = "metrics-token-for-tests"


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """{(sample name, sorted labels): value} of an exposition."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def scrape() -> str:
    with override_settings(METRICS_TOKEN=TOKEN):
        response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    return response.content.decode()


def test_anonymous_visitors_are_asked_to_authenticate() -> None:
    response = Client().get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="metrics"'


def test_signed_in_users_who_are_not_staff_are_refused(viewer_client: Client) -> None:
    assert viewer_client.get("/metrics").status_code == 403


def test_staff_read_the_metrics_signed_in(administrator: User, ops_redis: redis.Redis) -> None:
    client = Client()
    client.force_login(administrator)
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "django_http_responses_total_by_status_view_method_total" in response.content.decode()


@pytest.mark.parametrize(
    ("configured", "sent", "expected"),
    [
        (TOKEN, f"Bearer {TOKEN}", 200),
        (TOKEN, "Bearer wrong", 401),
        (TOKEN, f"Token {TOKEN}", 401),
        ("", "Bearer ", 401),  # no token configured: token access is off
    ],
)
def test_the_bearer_token(configured: str, sent: str, expected: int, ops_redis: redis.Redis) -> None:
    with override_settings(METRICS_TOKEN=configured):
        response = Client().get("/metrics", HTTP_AUTHORIZATION=sent)
    assert response.status_code == expected


# django-prometheus's names (portal/ops/middleware.py).
RESPONSES = "django_http_responses_total_by_status_view_method_total"
LATENCY_COUNT = "django_http_requests_latency_seconds_by_view_method_count"


def test_requests_are_counted_by_route_and_status() -> None:
    labels = {"method": "GET", "view": "login", "status": "200"}
    before = REGISTRY.get_sample_value(RESPONSES, labels) or 0
    Client().get("/accounts/login/")
    Client().get("/accounts/login/")
    assert REGISTRY.get_sample_value(RESPONSES, labels) == before + 2
    duration = {"method": "GET", "view": "login"}
    assert REGISTRY.get_sample_value(LATENCY_COUNT, duration) >= 2


def test_paths_that_reach_no_route_share_one_label() -> None:
    """A label per path would let anyone grow the metrics without end."""
    labels = {"method": "GET", "view": "<unnamed view>", "status": "404"}
    before = REGISTRY.get_sample_value(RESPONSES, labels) or 0
    client = Client()
    client.get("/no-such-page-1/")
    client.get("/no-such-page-2/")
    assert REGISTRY.get_sample_value(RESPONSES, labels) == before + 2


def test_invented_methods_share_one_label() -> None:
    labels = {"method": "<invalid method>", "view": "login"}
    before = REGISTRY.get_sample_value(LATENCY_COUNT, labels) or 0
    Client().generic("FROBNICATE", "/accounts/login/")
    assert REGISTRY.get_sample_value(LATENCY_COUNT, labels) == before + 1
    assert REGISTRY.get_sample_value(LATENCY_COUNT, {"method": "FROBNICATE", "view": "login"}) is None


def test_queue_lengths_unacked_messages_and_live_workers_are_read_from_redis(ops_redis: redis.Redis) -> None:
    ops_redis.lpush("exports", "a", "b", "c")
    ops_redis.lpush("exports\x06\x163", "high priority")  # kombu's key for priority 3
    ops_redis.lpush("notifications", "n")
    ops_redis.hset("unacked", mapping={"tag-1": "m1", "tag-2": "m2"})
    heartbeat_write(hostname="w1@host", queues=["notifications", "exports", "default"])
    heartbeat_write(hostname="w2@host", queues=["exports"])

    values = samples(scrape())

    assert values[("portal_celery_queue_length", (("queue", "exports"),))] == 4
    assert values[("portal_celery_queue_length", (("queue", "notifications"),))] == 1
    assert values[("portal_celery_queue_length", (("queue", "default"),))] == 0
    assert values[("portal_celery_unacked_messages", ())] == 2
    assert values[("portal_celery_workers", (("queue", "exports"),))] == 2
    assert values[("portal_celery_workers", (("queue", "default"),))] == 1
    assert values[("portal_redis_up", ())] == 1


def test_workflow_transitions_are_counted_once_committed(
    officer: User, partner, ops_redis: redis.Redis, django_capture_on_commit_callbacks
) -> None:
    draft = services.inclusion_request_create(
        actor=officer,
        partner=partner,
        catalogue_item=CatalogueItemFactory(),
        title="Maritime security course",
        start_date=datetime.date(2031, 3, 2),
        end_date=datetime.date(2031, 3, 6),
        justification="Builds interoperability.",
        mutual_benefit="Both sides train together.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        request_step(request=draft, step=RequestStep(actor=officer, action="submit"))

    values = samples(scrape())
    key = ("portal_workflow_transitions_total", (("from_status", "draft"), ("to_status", "submitted")))
    assert values[key] == 1


def test_a_rolled_back_transition_is_not_counted(officer: User, partner, ops_redis: redis.Redis) -> None:
    draft = services.inclusion_request_create(
        actor=officer,
        partner=partner,
        catalogue_item=CatalogueItemFactory(),
        title="Course",
        start_date=datetime.date(2031, 3, 2),
        end_date=datetime.date(2031, 3, 6),
        justification="Builds interoperability.",
        mutual_benefit="Both sides train together.",
    )
    request_step(
        request=draft, step=RequestStep(actor=officer, action="submit")
    )  # the test's transaction never commits
    assert ops_redis.hgetall("portal:metrics:portal_workflow_transitions") == {}


def test_task_outcomes_of_workers_are_counted_and_eager_runs_are_not(ops_redis: redis.Redis) -> None:
    task = notification_tasks.outbox_sweep
    task_success.send(sender=task, result=0)  # what a worker's run of the task sends
    task_success.send(sender=task, result=0)
    task.apply()  # eager, in this process: not a worker's outcome

    values = samples(scrape())
    key = ("portal_celery_tasks_total", (("outcome", "success"), ("task", task.name)))
    assert values[key] == 2
    field = json.dumps([task.name, "success"])
    assert int(ops_redis.hget("portal:metrics:portal_celery_tasks", field)) == 2


def test_counting_pauses_after_redis_fails_so_requests_never_wait_on_it(
    ops_redis: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    attempts = []
    real_client = metrics.redis_client

    def client(url: str, **options: float) -> redis.Redis:
        attempts.append(url)
        assert options["timeout"] <= 0.25  # a request never waits long for a counter
        return real_client(url, **options)

    monkeypatch.setattr(metrics, "redis_client", client)
    with override_settings(REDIS_URL=UNREACHABLE_REDIS_URL):
        metrics.shared_counter_inc(metrics.CELERY_TASKS, task="t", outcome="success")
        metrics.shared_counter_inc(metrics.CELERY_TASKS, task="t", outcome="success")
    assert len(attempts) == 1  # the second was dropped without trying
    metrics.shared_counter_inc(metrics.CELERY_TASKS, task="t", outcome="success")
    assert len(attempts) == 1  # still paused, even with Redis back
    assert ops_redis.hgetall(metrics.CELERY_TASKS.key) == {}


def test_tests_count_nothing_unless_they_ask() -> None:
    assert settings.METRICS_SHARED_COUNTERS is False


def test_metrics_still_answer_when_redis_is_down() -> None:
    with override_settings(REDIS_URL=UNREACHABLE_REDIS_URL, CELERY_BROKER_URL=UNREACHABLE_REDIS_URL):
        values = samples(scrape())
    assert values[("portal_redis_up", ())] == 0
    assert not any(name == "portal_celery_queue_length" for name, _labels in values)
