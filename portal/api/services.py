"""Writes on API tokens: create (the token is returned once, only its digest is kept) and revoke; the
expiry of the answers kept for Idempotency-Keys."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from portal.accounts.models import User

from .models import ApiToken, IdempotencyKey, TokenRevocation

security_log = logging.getLogger("portal.security")


@transaction.atomic
def api_token_create(
    *, user: User, name: str, expires_in_days: int | None, second_factor: bool = False
) -> tuple[ApiToken, str]:
    """A new named token for the user; returns the row and the token text, which is never stored.

    `second_factor`: the session creating it was confirmed with an authenticator code. A token made
    without one does not act for a user whose roles need two-factor sign-in (portal/security/selectors.py).
    """
    expiry = datetime.timedelta(days=expires_in_days) if expires_in_days else None
    token, text = ApiToken.objects.create(
        user=user, expiry=expiry, name=name.strip(), second_factor=second_factor
    )
    return token, text


@transaction.atomic
def api_token_revoke(*, user: User, digest: str) -> bool:
    """Delete one of the user's own tokens; False if it was not theirs or is already gone."""
    deleted, _ = ApiToken.objects.filter(user=user, digest=digest).delete()
    return deleted > 0


@transaction.atomic
def api_tokens_revoke_all(*, user: User, reason: TokenRevocation) -> int:
    """Revoke every token of the user still in force, keeping them with the reason so that the tokens
    page says which stopped and why; returns how many."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    if revoked:
        security_log.warning("API tokens revoked user=%s reason=%s count=%s", user.pk, reason.value, revoked)
    return revoked


def idempotency_keys_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the answers kept for Idempotency-Keys older than IDEMPOTENCY_KEY_HOURS; how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(hours=settings.IDEMPOTENCY_KEY_HOURS)
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
