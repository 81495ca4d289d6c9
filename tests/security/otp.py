"""Two-factor helpers for tests: enrol a user's authenticator with a known key and compute its codes.

- Test client (and `force_login`): tests/conftest.py makes `Client.force_login` also mark the session as
  two-factor verified, as a completed sign-in is; use `force_login_password_only` to test the gate.
- A real sign-in (live server, Playwright): `totp_token(user)` gives a code the user's device accepts
  now; type it on the "Enter your code" page after the password (see `otp_login`).
"""

from __future__ import annotations

import time
from typing import Any

from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.security.selectors import totp_device_confirmed, two_factor_required
from portal.security.services import totp_device_enrol_with_key

# The secret of every authenticator enrolled by these helpers (hex, 20 bytes).
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"
# The password tests/factories.UserFactory gives every user.
FACTORY_PASSWORD = "correct horse battery staple"

# Django's own force_login, kept before tests/conftest.py replaces it.
_original_force_login = Client.force_login


def totp_device(user: Any) -> TOTPDevice:
    """The user's confirmed authenticator, enrolled with TEST_TOTP_KEY if they have none."""
    return totp_device_confirmed(user=user) or totp_device_enrol_with_key(user=user, key_hex=TEST_TOTP_KEY)


def totp_token(user: Any) -> str:
    """A 6-digit code the user's authenticator accepts now (never one already used: codes work once)."""
    device = totp_device(user)
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    step = totp.t()
    if device.last_t >= step:
        # This step's code was used already: the next one is accepted too (tolerance of one step).
        if device.last_t > step:
            time.sleep(totp.step - (totp.time - device.t0) % totp.step + 0.05)
            return totp_token(user)
        totp.time += device.step
    return f"{totp.token():0{device.digits}d}"


def mark_session_verified(client: Client, user: Any) -> None:
    """Record in the client's session that its user confirmed a code (as the "Enter your code" page does)."""
    device = totp_device(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def force_login_password_only(client: Client, user: Any) -> None:
    """Sign in like the password step alone does: the two-factor gate still stands before every page."""
    _original_force_login(client, user)


def otp_login(
    client_or_page: Any, user: Any, *, password: str = FACTORY_PASSWORD, base_url: str = ""
) -> None:
    """Sign in with the password and, if the user's role needs it, the authenticator code.

    With a Django test Client the session is built directly. With a Playwright page the real pages are
    used: the login form, then the "Enter your code" page (first enrolling a known key on the server).
    """
    if isinstance(client_or_page, Client):
        client_or_page.force_login(user)  # verified too, see tests/conftest.py
        return
    page = client_or_page
    needs_code = two_factor_required(user=user)
    if needs_code:
        totp_device(user)
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", password)
    page.click("form[action$='/accounts/login/'] input[type=submit]")
    if needs_code:
        page.wait_for_url("**/account/two-factor/verify/**")
        page.fill("#id_token", totp_token(user))
        page.click("form:has(#id_token) button[type=submit]")


def verified_force_login(self: Client, user: Any, backend: str | None = None) -> None:
    """Client.force_login as tests/conftest.py installs it: a complete sign-in, second factor included."""
    _original_force_login(self, user, backend)
    if two_factor_required(user=user):
        mark_session_verified(self, user)
