"""The database out of reach: 503 with Retry-After (a page in the user's language, the API's error body),
never a 500; a read whose connection dropped in the middle is tried once more (portal/ops/unavailable.py).

The outage is a PostgreSQL server of the test's own (a copy of the test database), stopped and started
again; the dropped connection is the portal's own session on the shared server, ended from another one.
"""

from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg2
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from rest_framework.test import APIClient

from portal.accounts.models import Role
from portal.api.services import api_token_create
from portal.ops.unavailable import database_unavailable
from tests.factories import CatalogueItemFactory, DeskFactory, PartnerFactory, UserFactory
from tests.reliability.servers import OwnPostgres
from workprogrammes.requests.models import InclusionRequest


def _api_client(user: Any, **headers: str) -> APIClient:
    _token, text = api_token_create(user=user, name="fault test", expires_in_days=None)
    client = APIClient(raise_request_exception=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {text}", **headers)
    return client


def _draft_body(partner: Any) -> dict[str, Any]:
    return {
        "partner": partner.iso_code,
        "catalogue_item": CatalogueItemFactory().pk,
        "title": "Exercise Steadfast Jazz",
        "start_date": "2027-03-01",
        "end_date": "2027-03-12",
        "place": "Oberammergau",
        "justification": "Interoperability with a contributor to operations.",
        "mutual_benefit": "Lessons from deployments in return for training places.",
    }


# --- Which errors mean "out of reach" ------------------------------------------------------------


def test_only_connection_failures_count_as_the_database_out_of_reach(transactional_db: None) -> None:
    from django.db import OperationalError

    with pytest.raises(OperationalError) as cancelled, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL statement_timeout = 1")
        cursor.execute("SELECT pg_sleep(1)")
    assert not database_unavailable(cancelled.value)  # a slow query is the portal's fault: 500
    assert not database_unavailable(ValueError("not a database error"))

    params = {**connection.get_connection_params(), "port": 1}
    with pytest.raises(psycopg2.OperationalError) as refused:
        psycopg2.connect(**params)
    wrapped = OperationalError(str(refused.value))
    wrapped.__cause__ = refused.value
    assert database_unavailable(wrapped)


# --- A server that is stopped ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def own_postgres(django_db_setup: None, django_db_blocker: Any) -> Iterator[OwnPostgres]:
    """A cluster of this module's own, holding a copy of the (migrated, empty) test database."""
    directory = Path(tempfile.mkdtemp(prefix="portal-fault-pg-"))  # pytest's own is closed to `postgres`
    server = OwnPostgres(directory)
    try:
        server.init()
        server.start()
        with django_db_blocker.unblock():
            server.copy_database(source=connection.settings_dict, name="portal_copy")
        yield server
    finally:
        server.stop()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture
def portal_on_own_postgres(own_postgres: OwnPostgres, transactional_db: None) -> Iterator[OwnPostgres]:
    """The portal's connection (and the replica alias, its mirror) on the test's own server."""
    keys = ("HOST", "PORT", "NAME", "USER", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
    saved = {key: connection.settings_dict.get(key) for key in keys}
    connection.close()
    connection.settings_dict.update(
        HOST="127.0.0.1",
        PORT=str(own_postgres.port),
        NAME="portal_copy",
        USER="postgres",
        CONN_MAX_AGE=60,
        CONN_HEALTH_CHECKS=True,
    )
    try:
        yield own_postgres
    finally:
        connection.close()
        connection.settings_dict.update(saved)
        own_postgres.start() if not (own_postgres.data / "postmaster.pid").exists() else None


def test_while_the_database_is_stopped_pages_and_api_answer_503_with_retry_after(
    portal_on_own_postgres: OwnPostgres,
) -> None:
    server = portal_on_own_postgres
    partner = PartnerFactory()
    officer = UserFactory(roles=[Role.OFFICER])
    DeskFactory(partners=[partner], members=[officer])
    api = _api_client(officer)
    page = Client(raise_request_exception=False)
    page.force_login(officer)
    body = _draft_body(partner)
    assert api.get("/api/v1/partners/").status_code == 200
    assert page.get("/partners/").status_code == 200

    server.stop()

    for response in (
        api.get("/api/v1/partners/"),
        api.post("/api/v1/requests/", body, format="json"),
        api.get("/api/v1/partners/", HTTP_ACCEPT_LANGUAGE="fr"),
    ):
        assert response.status_code == 503
        assert response["Retry-After"] == str(settings.DATABASE_RETRY_AFTER_SECONDS)
        assert response["Content-Type"] == "application/json"
        error = response.json()["error"]
        assert error["code"] == "service_unavailable"
    assert "Retry-After" in api.get("/api/v1/partners/").json()["error"]["message"]

    english = page.get("/partners/")
    assert english.status_code == 503
    assert english["Retry-After"] == str(settings.DATABASE_RETRY_AFTER_SECONDS)
    text = english.content.decode()
    assert "<h1>Service temporarily unavailable</h1>" in text
    assert "The portal cannot reach its database at the moment" in text
    assert f"Try again in {settings.DATABASE_RETRY_AFTER_SECONDS} seconds." in text
    french = page.get("/partners/", HTTP_ACCEPT_LANGUAGE="fr")
    assert french.status_code == 503
    assert "<h1>Service momentanément indisponible</h1>" in french.content.decode()
    assert french["Content-Language"] == "fr"
    saving = page.post("/requests/new/", {"partner": partner.pk, "justification": "Kept by the browser."})
    assert saving.status_code == 503
    assert "go back to it with your browser" in saving.content.decode()

    server.start()  # back: the next requests are served
    assert api.get("/api/v1/partners/").status_code == 200
    assert page.get("/partners/").status_code == 200
    assert api.post("/api/v1/requests/", body, format="json").status_code == 201


# --- A connection dropped in the middle of a request ------------------------------------------------


def _terminate(pid: int) -> None:
    """End the portal's session from another connection, and wait until it is gone."""
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        other.autocommit = True
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s, 5000)", [pid])
    finally:
        other.close()


@contextlib.contextmanager
def connection_dropped_before(
    sql_fragment: str, *, times: int, armed: Callable[[], bool] = lambda: True
) -> Iterator[Callable[[], int]]:
    """The portal's connection is ended just before each of the next `times` queries containing
    `sql_fragment` (once `armed()` is true); yields a function giving how many drops are left."""
    left = [times]

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        if left[0] and sql_fragment in sql and armed():
            left[0] -= 1
            _terminate(context["connection"].connection.info.backend_pid)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(wrapper):
        yield lambda: left[0]


@pytest.fixture
def officer_world(transactional_db: None) -> Iterator[tuple[Any, APIClient, Client]]:
    """An officer and a partner of their desk. A request that ends on a dropped connection leaves it
    to be closed at request_finished, which the test client does not send: closed here after the test."""
    partner = PartnerFactory()
    officer = UserFactory(roles=[Role.OFFICER])
    DeskFactory(partners=[partner], members=[officer])
    page = Client(raise_request_exception=False)
    page.force_login(officer)
    yield partner, _api_client(officer), page
    connection.close()


def test_a_read_whose_connection_dropped_is_tried_once_more(officer_world: tuple) -> None:
    partner, api, page = officer_world
    with connection_dropped_before('FROM "partners_partner"', times=1) as left:
        response = api.get("/api/v1/partners/")
    assert left() == 0  # the connection was dropped
    assert response.status_code == 200
    assert partner.iso_code in {row["iso_code"] for row in response.json()["results"]}

    with connection_dropped_before('FROM "partners_partner"', times=1) as left:
        response = page.get("/partners/")
    assert left() == 0
    assert response.status_code == 200

    with connection_dropped_before('FROM "partners_partner"', times=1) as left:
        response = api.head("/api/v1/partners/")
    assert (left(), response.status_code) == (0, 200)


def test_a_read_is_tried_only_once_more(officer_world: tuple) -> None:
    _partner, api, _page = officer_world
    with connection_dropped_before('FROM "partners_partner"', times=2) as left:
        response = api.get("/api/v1/partners/")
    assert left() == 0
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.DATABASE_RETRY_AFTER_SECONDS)


def test_a_write_whose_connection_dropped_is_not_repeated_and_not_saved(officer_world: tuple) -> None:
    partner, api, _page = officer_world
    with connection_dropped_before('INSERT INTO "workprogrammes_inclusionrequest"', times=1) as left:
        response = api.post("/api/v1/requests/", _draft_body(partner), format="json")
    assert left() == 0
    assert response.status_code == 503
    assert not InclusionRequest.objects.exists()


def test_a_create_whose_answer_failed_after_the_write_is_not_saved(
    officer_world: tuple, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The service has written the draft, then reading it back for the answer loses the connection: the
    answer is 503 and the draft is not kept, so a client that tries again makes one draft, not two."""
    from workprogrammes.requests import services

    partner, api, _page = officer_world
    created: list[Any] = []
    create = services.inclusion_request_create

    def create_and_note(**kwargs: Any) -> Any:
        created.append(create(**kwargs))
        return created[-1]

    monkeypatch.setattr(services, "inclusion_request_create", create_and_note)
    with connection_dropped_before("SELECT", times=1, armed=lambda: bool(created)) as left:
        response = api.post("/api/v1/requests/", _draft_body(partner), format="json")
    assert left() == 0
    assert response.status_code == 503
    assert not InclusionRequest.objects.exists()
    assert api.post("/api/v1/requests/", _draft_body(partner), format="json").status_code == 201
    assert InclusionRequest.objects.count() == 1
