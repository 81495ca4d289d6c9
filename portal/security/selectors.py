"""Reads about a user's sign-in security: whether two-factor is required, and their authenticator."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django_otp.plugins.otp_totp.models import TOTPDevice


def two_factor_required(*, user: Any) -> bool:
    """Whether this user must confirm a one-time code after their password (by role, see settings)."""
    roles = tuple(getattr(settings, "OTP_REQUIRED_ROLES", ()))
    return bool(roles and user is not None and user.is_authenticated and user.has_role(*roles))


def totp_device_confirmed(*, user: Any) -> TOTPDevice | None:
    """The user's enrolled authenticator (a confirmed TOTP device), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def two_factor_verified(*, user: Any) -> bool:
    """The session's user confirmed a one-time code since signing in (django-otp's OTPMiddleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())
