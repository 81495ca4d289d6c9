"""Signing in starts the session's clocks (the session limits of portal/security/middleware.py); a removed
authenticator revokes the API tokens that relied on it."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.services import tokens_revoke_all

from .middleware import ACTIVE_AT, SIGNED_IN_AT
from .selectors import totp_device_confirmed, two_factor_required


@receiver(user_logged_in, dispatch_uid="security-session-clocks")
def start_session_clocks(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Sign-in time and last activity, written with the new session that signing in saves anyway."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[ACTIVE_AT] = now


@receiver(post_delete, sender=TOTPDevice, dispatch_uid="security-authenticator-removed")
def authenticator_removed(sender: Any, instance: TOTPDevice, **kwargs: Any) -> None:
    """An API token acts only while its user meets the second-factor rule of their roles: when the last
    authenticator of a user whose role needs one is removed (a lost phone, in the admin or a shell), their
    tokens stop, and the tokens page says why. A new authenticator does not bring them back."""
    if not instance.confirmed:
        return
    user = instance.user
    if two_factor_required(user=user) and totp_device_confirmed(user=user) is None:
        tokens_revoke_all(user=user, reason="device_removed")
