"""Each request reads its user in one query with the roles and whether anyone has named them delegate
today: the session's sign-in backend and the API token's lookup alike. Nothing is kept between requests."""

import datetime
from unittest import mock

import pytest
from django.utils import timezone
from knox.settings import CONSTANTS

from portal.accounts.backends import PortalModelBackend
from portal.accounts.models import Role, User
from portal.accounts.services import delegation_create, delegation_end
from portal.api.authentication import PortalTokenAuthentication
from portal.api.services import api_token_create
from tests.factories import DeskFactory, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _signed_in(user: User) -> User:
    """The user as the next request with their session reads them."""
    signed_in = PortalModelBackend().get_user(user.pk)
    assert signed_in is not None
    return signed_in


def test_the_session_user_comes_with_roles_desks_and_no_delegation_in_one_query(
    django_assert_num_queries,
) -> None:
    user = UserFactory(roles=[Role.OFFICER, Role.ANALYST])
    japan, korea, australia = PartnerFactory(), PartnerFactory(), PartnerFactory()
    DeskFactory(partners=[japan, korea], members=[user])
    DeskFactory(partners=[korea, australia], head=user)
    DeskFactory(partners=[PartnerFactory()])
    with django_assert_num_queries(1):
        signed_in = PortalModelBackend().get_user(user.pk)
        assert signed_in is not None
        assert signed_in.roles == {Role.OFFICER, Role.ANALYST}
        assert signed_in.has_role(Role.OFFICER)
        assert signed_in.desk_partner_ids == {japan.pk, korea.pk, australia.pk}
        assert signed_in.heads_a_desk
        assert signed_in.acting_for_today == ()


def test_a_user_without_desks_reads_none_in_the_same_query(django_assert_num_queries) -> None:
    user = UserFactory(roles=[Role.VIEWER])
    DeskFactory(partners=[PartnerFactory()])
    with django_assert_num_queries(1):
        signed_in = _signed_in(user)
        assert signed_in.desk_partner_ids == frozenset()
        assert not signed_in.heads_a_desk


def test_a_delegate_today_reads_whom_they_act_for() -> None:
    principal = UserFactory(roles=[Role.OFFICER])
    delegate = UserFactory(roles=[Role.OFFICER])
    delegation_create(principal=principal, delegate=delegate, start_date=_days(0), end_date=_days(3))
    assert [p.pk for p in _signed_in(delegate).acting_for_today] == [principal.pk]


def test_a_delegation_not_yet_begun_or_ended_early_names_no_one() -> None:
    principal, delegate = UserFactory(), UserFactory()
    delegation_create(principal=principal, delegate=delegate, start_date=_days(2), end_date=_days(3))
    assert _signed_in(delegate).acting_for_today == ()

    today = delegation_create(principal=principal, delegate=delegate, start_date=_days(0), end_date=_days(1))
    assert _signed_in(delegate).acting_for_today != ()
    delegation_end(delegation=today, by=principal)
    assert _signed_in(delegate).acting_for_today == ()


def test_a_deactivated_principal_is_not_acted_for() -> None:
    principal, delegate = UserFactory(), UserFactory()
    delegation_create(principal=principal, delegate=delegate, start_date=_days(0), end_date=_days(3))
    principal.is_active = False
    principal.save(update_fields=["is_active"])
    assert _signed_in(delegate).acting_for_today == ()


def test_a_deactivated_or_unknown_user_is_no_one() -> None:
    user = UserFactory(is_active=False)
    assert PortalModelBackend().get_user(user.pk) is None
    assert PortalModelBackend().get_user(user.pk + 1000) is None


def test_a_role_removed_between_requests_is_gone_on_the_next() -> None:
    user = UserFactory(roles=[Role.REVIEWER])
    assert _signed_in(user).has_role(Role.REVIEWER)
    user.groups.clear()
    assert not _signed_in(user).has_role(Role.REVIEWER)


def test_the_token_user_comes_with_roles_and_delegation_in_one_query(django_assert_num_queries) -> None:
    principal = UserFactory(roles=[Role.OFFICER])
    delegate = UserFactory(roles=[Role.ANALYST])
    delegation_create(principal=principal, delegate=delegate, start_date=_days(0), end_date=_days(3))
    _token, key = api_token_create(user=delegate, name="script", expires_in_days=1, second_factor=True)
    lonely = UserFactory(roles=[Role.ANALYST])
    _other, lonely_key = api_token_create(user=lonely, name="script", expires_in_days=1, second_factor=True)
    assert len(key) > CONSTANTS.TOKEN_KEY_LENGTH

    with django_assert_num_queries(1):
        user, _ = PortalTokenAuthentication().authenticate_credentials(lonely_key.encode())
        assert user.roles == {Role.ANALYST}
        assert user.acting_for_today == ()

    user, _ = PortalTokenAuthentication().authenticate_credentials(key.encode())
    assert user.roles == {Role.ANALYST}
    assert [p.pk for p in user.acting_for_today] == [principal.pk]


def test_the_next_day_reads_that_days_delegations() -> None:
    """The query's definition is kept per day: a delegation starting tomorrow counts from tomorrow on."""
    principal, delegate = UserFactory(), UserFactory()
    delegation_create(principal=principal, delegate=delegate, start_date=_days(1), end_date=_days(2))
    assert _signed_in(delegate).acting_for_today == ()
    tomorrow = _days(1)
    with (
        mock.patch("portal.accounts.backends.timezone.localdate", return_value=tomorrow),
        mock.patch("portal.accounts.selectors.timezone.localdate", return_value=tomorrow),
    ):
        assert [p.pk for p in _signed_in(delegate).acting_for_today] == [principal.pk]
