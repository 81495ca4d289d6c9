"""Shared fixtures: named users, one per role, plus an outsider officer of another desk."""

from collections.abc import Callable, Iterator
from unittest import mock

import pytest
from django.test import Client

from portal.accounts.models import Role, User
from tests.factories import DeskFactory, PartnerFactory, UserFactory
from tests.security.otp import otp_login as otp_login_helper
from tests.security.otp import verified_force_login


@pytest.fixture
def viewer(db: None) -> User:
    return UserFactory(username="viewer", roles=[Role.VIEWER])


@pytest.fixture
def partner(db: None):
    return PartnerFactory(iso_code="JP", name_en="Japan", name_fr="Japon")


@pytest.fixture
def officer(db: None, partner) -> User:
    user = UserFactory(username="officer", roles=[Role.OFFICER])
    DeskFactory(code="asia-pacific", name="Asia-Pacific desk", partners=[partner], members=[user])
    return user


@pytest.fixture
def other_officer(db: None) -> User:
    """An officer whose desk covers another partner: the outsider of permission tests."""
    user = UserFactory(username="other_officer", roles=[Role.OFFICER])
    DeskFactory(code="latin-america", name="Latin America desk", partners=[PartnerFactory()], members=[user])
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
