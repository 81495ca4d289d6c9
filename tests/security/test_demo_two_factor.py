"""The demo accounts that need two-factor get the printed demo key, so `make run` can be tried."""

from __future__ import annotations

import time

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import Role
from portal.security.demo import DEMO_TOTP_KEY_HEX, demo_totp_enrol
from portal.security.services import totp_verify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_reviewer_secretary_and_admin_get_the_printed_key_and_others_none() -> None:
    for username, role in [
        ("viewer", Role.VIEWER),
        ("reviewer", Role.REVIEWER),
        ("admin", Role.ADMINISTRATOR),
    ]:
        UserFactory(username=username, roles=[role])

    assert demo_totp_enrol(usernames=["viewer", "reviewer", "admin"]) == ["admin", "reviewer"]

    assert not TOTPDevice.objects.filter(user__username="viewer").exists()
    reviewer_device = TOTPDevice.objects.get(user__username="reviewer", confirmed=True)
    assert reviewer_device.key == DEMO_TOTP_KEY_HEX
    totp = TOTP(reviewer_device.bin_key)
    totp.time = time.time()
    assert totp_verify(user=reviewer_device.user, token=f"{totp.token():06d}") == reviewer_device


def test_a_users_own_authenticator_is_never_replaced_by_the_demo_key() -> None:
    reviewer = UserFactory(username="reviewer", roles=[Role.REVIEWER])
    own = TOTPDevice.objects.create(user=reviewer, name="phone", confirmed=True)
    demo_totp_enrol(usernames=["reviewer"])
    assert list(TOTPDevice.objects.filter(user=reviewer)) == [own]
