"""Token authentication: knox's, with the token's user, their roles, desks and delegations read in one
query.

knox reads every token of the user on each request, to delete the expired ones, and the role check
would then read the user's groups. Here one ORM query reads the tokens with the key presented, their
users and the users' group names. An expired token is refused (401) and kept, so that its owner sees on
the API tokens page which token stopped and when (the page lists expired tokens for that reason).
"""

from __future__ import annotations

import binascii
import datetime
import functools
from hmac import compare_digest
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from portal.accounts.selectors import request_context_annotations
from portal.security.selectors import api_token_refusal

from .models import ApiToken


@functools.lru_cache(maxsize=2)
def _tokens_with_request_context(today: datetime.date) -> QuerySet[ApiToken]:
    """Tokens with their users and what each request reads about them, for that day: the definition of a
    query, never run itself (see accounts.selectors.users_with_request_context)."""
    return (
        ApiToken.objects.select_related("user")
        .annotate(**request_context_annotations("user_id", today))
        .order_by()
    )


def tokens_with_key(key: str) -> QuerySet[ApiToken]:
    """The tokens whose key (the token's first characters) is `key`, with their users and what each request
    reads about them (accounts.selectors.request_context_annotations), read afresh."""
    return _tokens_with_request_context(timezone.localdate()).filter(token_key=key)


class PortalTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes) -> tuple[Any, ApiToken]:
        text = token.decode("utf-8")
        candidates = list(tokens_with_key(text[: CONSTANTS.TOKEN_KEY_LENGTH]))
        if candidates:
            try:
                digest = hash_token(text)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        for auth_token in candidates:
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.is_expired:
                break
            auth_token.user.remember_request_context(auth_token)
            refusal = api_token_refusal(token=auth_token)
            if refusal:
                raise exceptions.AuthenticationFailed(refusal)
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Invalid token."))
