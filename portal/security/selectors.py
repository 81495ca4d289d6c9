"""Reads about a user's sign-in security: whether two-factor is required, and their authenticator."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User


def two_factor_required(*, user: User | AnonymousUser) -> bool:
    """Whether this user must confirm a one-time code after their password (by role, see settings)."""
    roles = tuple(getattr(settings, "OTP_REQUIRED_ROLES", ()))
    return bool(roles and user.is_authenticated and user.has_role(*roles))


def totp_device_confirmed(*, user: User) -> TOTPDevice | None:
    """The user's enrolled authenticator (a confirmed TOTP device), if any."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def two_factor_verified(*, user: User | AnonymousUser) -> bool:
    """The session's user confirmed a one-time code since signing in (django-otp's OTPMiddleware)."""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def api_token_refusal(*, token: Any) -> str | None:
    """Why this API token may not act now, or None when it may.

    A token acts only while it is not revoked, its user is active, and, when the user's current roles
    need two-factor sign-in, it was made in a session confirmed with an authenticator code: a token made
    before the user held such a role never stands in for the second factor. (Expiry is checked with
    the token's digest, portal/api/authentication.py.) The user's roles are those read with the token.
    """
    user = token.user
    if token.revoked_at is not None:
        reason = token.get_revoked_reason_display() or _("It was revoked.")
        return _("This token was revoked: %(reason)s Create a new one on the API tokens page.") % {
            "reason": reason
        }
    if not user.is_active:
        return _("This token's account is deactivated.")
    if two_factor_required(user=user) and not token.second_factor:
        return _(
            "Your role needs two-factor sign-in, and this token was made without it. Sign in with your "
            "authenticator code and create a new token on the API tokens page."
        )
    return None
