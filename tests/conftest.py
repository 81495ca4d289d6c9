"""Shared fixtures: named users, one per role, plus an outsider officer of another desk."""

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client, TransactionTestCase
from django.utils import translation

from portal.accounts.models import Role, User
from portal.ops.db_roles import as_owner, credentials_use, owner_credentials
from tests.db_template import template_ready
from tests.factories import DeskFactory, PartnerFactory, UserFactory
from tests.security.otp import otp_login as otp_login_helper
from tests.security.otp import verified_force_login

# The database roles (portal/ops/db_roles.py): the test database is created, migrated and dropped by the
# owner, and emptied by it after each transactional test (TRUNCATE is the owner's alone); everything else,
# the tests and the code they call, runs on the application role's connection, as in production.
_app_credentials: dict[str, Any] = {}

# `make test` runs the suite in parallel processes (pytest-xdist). Each process has its own test database
# (pytest-django names it), media folder (portal/settings/test.py) and, for the tests that start Celery
# workers or read a Redis database whole (tests/deploy, tests/notifications), Redis databases of its own:
# 12-15, 8-11 and 4-7 for up to four processes. With more processes, those tests all run in one process
# (--dist loadgroup) on the modules' own defaults.
_REDIS_DATABASES = {"NOTIF_TEST_REDIS_DB": 12, "DEPLOY_TEST_REDIS_DB": 8, "DEPLOY_MULTI_HOST_REDIS_DB": 4}
_REDIS_BOUND = ("tests/deploy/", "tests/notifications/")
_WORKERS = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and _WORKERS <= 4:
    for _name, _first in _REDIS_DATABASES.items():
        os.environ.setdefault(_name, str(_first + int(_WORKER.removeprefix("gw"))))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    if _WORKERS <= 4:
        return
    for item in items:
        if any(part in item.nodeid for part in _REDIS_BOUND):
            item.add_marker(pytest.mark.xdist_group("redis-bound"))


def pytest_configure(config: pytest.Config) -> None:
    # WhiteNoise serves STATIC_ROOT (filled by collectstatic in deployments) and warns on every
    # middleware set-up when the folder is missing: the tests serve from the finders, into an empty one.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings: None, request: pytest.FixtureRequest) -> None:
    """pytest-django sets the test database up on the default connection: the owner's, for that time.

    Under pytest-xdist each process's database is a copy of a template migrated once per run
    (tests/db_template.py)."""
    owner = owner_credentials()
    workerinput = getattr(request.config, "workerinput", None)
    if owner and workerinput is not None:
        test_settings = connections.settings["default"]["TEST"]
        template = f"{test_settings['NAME'].removesuffix('_' + _WORKER)}_template"
        template_ready(
            name=template, run_id=workerinput["testrunuid"], app=connections.settings["default"], owner=owner
        )
        test_settings["TEMPLATE"] = template
        connections["default"].settings_dict["TEST"]["TEMPLATE"] = template
    if owner:
        _app_credentials.update(credentials_use("default", owner))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None) -> Iterator[None]:
    """Once the owner has created and migrated the test database, the tests connect as the app role."""
    if not _app_credentials:
        yield
        return
    owner = credentials_use("default", _app_credentials)
    yield
    credentials_use("default", owner)


@pytest.fixture(autouse=True, scope="session")
def _transactional_tests_are_emptied_by_the_owner() -> Iterator[None]:
    """Emptying every table after a transactional test (Django's flush, a TRUNCATE) is the owner's."""
    empty = TransactionTestCase._fixture_teardown

    def fixture_teardown(self: TransactionTestCase) -> None:
        with as_owner():
            empty(self)

    with mock.patch.object(TransactionTestCase, "_fixture_teardown", fixture_teardown):
        yield


@pytest.fixture
def viewer(db: None) -> User:
    return UserFactory(username="viewer", roles=[Role.VIEWER])


@pytest.fixture
def partner(db: None):
    return PartnerFactory(iso_code="JP", name_en="Japan", name_fr="Japon")


@pytest.fixture
def officer(db: None, partner) -> User:
    user = UserFactory(username="officer", roles=[Role.OFFICER])
    DeskFactory(
        code="asia-pacific",
        name_en="Asia-Pacific desk",
        name_fr="Bureau Asie-Pacifique",
        partners=[partner],
        members=[user],
    )
    return user


@pytest.fixture
def other_officer(db: None) -> User:
    """An officer whose desk covers another partner: the outsider of permission tests."""
    user = UserFactory(username="other_officer", roles=[Role.OFFICER])
    DeskFactory(
        code="latin-america",
        name_en="Latin America desk",
        name_fr="Bureau Amérique latine",
        partners=[PartnerFactory()],
        members=[user],
    )
    return user


@pytest.fixture
def reviewer(db: None) -> User:
    return UserFactory(username="reviewer", roles=[Role.REVIEWER])


@pytest.fixture
def secretary(db: None) -> User:
    return UserFactory(username="secretary", roles=[Role.COUNCIL_SECRETARY])


@pytest.fixture
def analyst(db: None) -> User:
    return UserFactory(username="analyst", roles=[Role.ANALYST])


@pytest.fixture
def administrator(db: None) -> User:
    return UserFactory(username="administrator", roles=[Role.ADMINISTRATOR], is_staff=True)


@pytest.fixture
def viewer_client(viewer: User) -> Client:
    client = Client()
    client.force_login(viewer)
    return client


@pytest.fixture(autouse=True, scope="session")
def _force_login_includes_the_second_factor() -> Iterator[None]:
    """`client.force_login(user)` signs in completely: reviewers, secretaries and administrators need a
    confirmed authenticator code (portal/security), so their session is marked verified too. Tests of the
    two-factor gate itself use tests.security.otp.force_login_password_only."""
    with mock.patch.object(Client, "force_login", verified_force_login):
        yield


@pytest.fixture
def otp_login() -> Callable[..., None]:
    """`otp_login(client_or_page, user)`: password and, where the role needs it, the authenticator code."""
    return otp_login_helper


@pytest.fixture(autouse=True)
def _default_language_after_each_test() -> Iterator[None]:
    """Every test starts in the default language: one that renders a page in French (the test client
    activates the request's language in this thread) leaves no French behind for the next."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
