"""Delegation: a principal names a delegate for a date range; the selectors say who acts for whom."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from portal.accounts.models import Delegation
from portal.accounts.selectors import delegation_is_active, delegation_principals
from portal.accounts.services import delegation_create, delegation_end
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def test_delegation_is_active_only_within_its_dates() -> None:
    principal, delegate = UserFactory(), UserFactory()
    delegation_create(principal=principal, delegate=delegate, start_date=_days(0), end_date=_days(5))
    assert delegation_is_active(delegate=delegate, principal=principal, on=_days(0))
    assert delegation_is_active(delegate=delegate, principal=principal, on=_days(5))
    assert delegation_is_active(delegate=delegate, principal=principal)
    assert not delegation_is_active(delegate=delegate, principal=principal, on=_days(6))
    assert not delegation_is_active(delegate=delegate, principal=principal, on=_days(-1))
    # Delegation goes one way only.
    assert not delegation_is_active(delegate=principal, principal=delegate)


def test_ending_a_delegation_early_stops_it_today() -> None:
    principal, delegate = UserFactory(), UserFactory()
    delegation = delegation_create(
        principal=principal, delegate=delegate, start_date=_days(0), end_date=_days(5)
    )
    delegation_end(delegation=delegation, by=principal)
    assert not delegation_is_active(delegate=delegate, principal=principal)
    assert list(delegation_principals(delegate=delegate)) == []


def test_only_principal_or_delegate_may_end_a_delegation() -> None:
    principal, delegate = UserFactory(), UserFactory()
    delegation = delegation_create(
        principal=principal, delegate=delegate, start_date=_days(0), end_date=_days(5)
    )
    with pytest.raises(PermissionError):
        delegation_end(delegation=delegation, by=UserFactory())


def test_principals_lists_whom_the_delegate_acts_for_today() -> None:
    delegate = UserFactory()
    now_a, now_b, later = UserFactory(), UserFactory(), UserFactory()
    delegation_create(principal=now_a, delegate=delegate, start_date=_days(-2), end_date=_days(2))
    delegation_create(principal=now_b, delegate=delegate, start_date=_days(0), end_date=_days(0))
    delegation_create(principal=later, delegate=delegate, start_date=_days(3), end_date=_days(9))
    assert set(delegation_principals(delegate=delegate)) == {now_a, now_b}
    assert set(delegation_principals(delegate=delegate, on=_days(4))) == {later}


def test_delegating_to_oneself_or_backwards_is_refused() -> None:
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        delegation_create(principal=user, delegate=user, start_date=_days(0), end_date=_days(1))
    assert "delegate" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        delegation_create(principal=user, delegate=UserFactory(), start_date=_days(3), end_date=_days(1))
    assert "end_date" in error.value.message_dict


def test_overlapping_delegation_to_the_same_person_is_refused() -> None:
    principal, delegate = UserFactory(), UserFactory()
    delegation_create(principal=principal, delegate=delegate, start_date=_days(0), end_date=_days(5))
    with pytest.raises(ValidationError):
        delegation_create(principal=principal, delegate=delegate, start_date=_days(4), end_date=_days(8))


@pytest.mark.parametrize(
    ("offset_start", "offset_end", "same_user"), [(2, 1, False), (0, 1, True)], ids=["backwards", "oneself"]
)
def test_database_refuses_invalid_delegations(offset_start: int, offset_end: int, same_user: bool) -> None:
    principal = UserFactory()
    delegate = principal if same_user else UserFactory()
    with pytest.raises(IntegrityError):
        Delegation.objects.create(
            principal=principal, delegate=delegate, start_date=_days(offset_start), end_date=_days(offset_end)
        )
