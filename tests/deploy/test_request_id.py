"""The request id: in the response header, on every log record of the request, in the headers of the tasks
it queues, and on the log records of those tasks."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.utils.module_loading import import_string
from django_guid import get_guid as current_request_id
from django_guid.middleware import guid_middleware

from portal.celery import app as celery_app
from portal.notifications.tasks import publish_event
from portal.ops.request_id import RequestIdScreenMiddleware

from .conftest import OPS_REDIS_URL

pytestmark = pytest.mark.django_db

task_logger = logging.getLogger("tests.deploy.task")


def request_id_middleware(view: Any) -> Any:
    """The request id middleware of settings.MIDDLEWARE, around a view."""

    def respond(request: HttpRequest) -> HttpResponse:
        response = RequestIdScreenMiddleware(guid_middleware(view))(request)
        response.close()  # as the server does once it has sent the response: the request is finished
        return response

    return respond


def log_filters() -> list[logging.Filter]:
    """The filters of settings.LOGGING's console handler."""
    filters = []
    for name in settings.LOGGING["handlers"]["console"]["filters"]:
        options = dict(settings.LOGGING["filters"][name])
        filters.append(import_string(options.pop("()"))(**options))
    return filters


@celery_app.task(name="tests.deploy.log_a_line")
def log_a_line() -> str | None:
    task_logger.info("Working on it.")
    return current_request_id()


def json_log_handler(stream: io.StringIO) -> logging.Handler:
    """A handler formatted and filtered as settings.LOGGING's console handler in JSON mode."""
    options = dict(settings.LOGGING["formatters"]["json"])
    formatter = import_string(options.pop("()"))(**options)
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    for log_filter in log_filters():
        handler.addFilter(log_filter)
    return handler


@pytest.fixture
def captured_json() -> Iterator[tuple[io.StringIO, Any]]:
    """JSON lines written by the portal.access and task loggers while the test runs."""
    stream = io.StringIO()
    handler = json_log_handler(stream)
    loggers = [logging.getLogger("portal.access"), task_logger]
    for logger in loggers:
        logger.addHandler(handler)
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)

    def lines() -> list[dict[str, Any]]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield stream, lines
    for logger, level in zip(loggers, levels, strict=True):
        logger.removeHandler(handler)
        logger.setLevel(level)


def test_a_request_without_an_id_gets_a_new_one_in_the_response() -> None:
    first = Client().get("/accounts/login/")
    second = Client().get("/accounts/login/")
    assert re.fullmatch(r"[0-9a-f]{32}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_an_incoming_id_is_kept() -> None:
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID="lb-7f3a.42:1")
    assert response["X-Request-ID"] == "lb-7f3a.42:1"


@pytest.mark.parametrize("bad", ["two words", "line\nbreak", "x" * 129, "<script>"])
def test_an_id_that_could_forge_log_lines_is_replaced(bad: str) -> None:
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID=bad)
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_the_request_log_record_is_json_with_the_request_id(captured_json: Any) -> None:
    _stream, lines = captured_json
    response = Client().get("/accounts/login/", HTTP_X_REQUEST_ID="abc-123")
    (record,) = lines()
    assert record["request_id"] == "abc-123" == response["X-Request-ID"]
    assert record["logger"] == "portal.access"
    assert record["level"] == "INFO"
    assert (record["method"], record["path"], record["view"], record["status"]) == (
        "GET",
        "/accounts/login/",
        "login",
        200,
    )
    assert record["duration_ms"] >= 0


def test_the_calendar_token_stays_out_of_the_access_log(captured_json: Any) -> None:
    _stream, lines = captured_json
    Client().get("/calendar/s3cr3t-token-value.ics")
    (record,) = lines()
    assert "s3cr3t" not in json.dumps(record)
    assert record["path"] == "/calendar/<str:token>.ics"


@pytest.fixture
def real_broker(ops_redis: redis.Redis) -> Iterator[redis.Redis]:
    """This process publishes to the tests' Redis database instead of running tasks eagerly."""
    saved = {key: celery_app.conf[key] for key in ("broker_url", "broker_write_url", "task_always_eager")}
    celery_app.conf.task_always_eager = False
    celery_app.conf.broker_url = OPS_REDIS_URL
    celery_app.conf.broker_write_url = None
    celery_app._pool = None
    celery_app.__dict__.pop("amqp", None)
    try:
        yield ops_redis
    finally:
        for key, value in saved.items():
            celery_app.conf[key] = value
        celery_app._pool = None
        celery_app.__dict__.pop("amqp", None)


def test_a_task_queued_by_a_request_carries_its_id(real_broker: redis.Redis) -> None:
    def view(request: HttpRequest) -> HttpResponse:
        publish_event.delay(12345)
        return HttpResponse()

    request = RequestFactory().post("/", HTTP_X_REQUEST_ID="req-publish-1")
    request_id_middleware(view)(request)

    # Routed to the notifications queue, with the request id among the message's headers.
    (raw,) = real_broker.lrange("notifications", 0, -1)
    message = json.loads(raw)
    assert message["headers"]["task"] == "portal.notifications.tasks.publish_event"
    assert message["headers"]["X-Request-ID"] == "req-publish-1"


def test_a_task_runs_with_the_request_id_of_its_message(captured_json: Any) -> None:
    _stream, lines = captured_json
    result = log_a_line.apply(headers={"X-Request-ID": "from-the-message"})
    assert result.get() == "from-the-message"
    (record,) = lines()
    assert record["request_id"] == "from-the-message"
    assert record["task_name"] == "tests.deploy.log_a_line"
    assert record["task_id"] == result.id
    assert current_request_id() is None  # nothing leaks into what runs next


def test_a_task_run_inside_a_request_keeps_the_requests_id(captured_json: Any) -> None:
    _stream, lines = captured_json
    seen: list[str | None] = []

    def view(request: HttpRequest) -> HttpResponse:
        seen.append(log_a_line.apply().get())
        return HttpResponse()

    request_id_middleware(view)(RequestFactory().get("/", HTTP_X_REQUEST_ID="outer-1"))
    assert seen == ["outer-1"]
    assert [line["request_id"] for line in lines()] == ["outer-1"]


def test_records_outside_requests_and_tasks_have_no_id() -> None:
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "message", None, None)
    for log_filter in log_filters():
        log_filter.filter(record)
    assert record.request_id is None  # type: ignore[attr-defined]
    assert not hasattr(record, "task_id")
