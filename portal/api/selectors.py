"""Reads on API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.accounts.models import User

from .models import ApiToken


def api_token_list(*, user: User) -> QuerySet[ApiToken]:
    """The user's tokens, newest first (expired ones included, so the user sees why one stopped)."""
    return ApiToken.objects.filter(user=user).order_by("-created")
