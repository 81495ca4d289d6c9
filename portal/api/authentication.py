"""Token authentication: knox's, with the token's user and the user's roles read in one query.

knox reads every token of the user on each request, to delete the expired ones, and the role check
would then read the user's groups. Here one ORM query reads the tokens with the key presented, their
users and the users' group names. An expired token is refused (401) and kept, so that its owner sees on
the API tokens page which token stopped and when (the page lists expired tokens for that reason).
"""

from __future__ import annotations

import binascii
import functools
from hmac import compare_digest
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from portal.security.selectors import api_token_refusal

from .models import ApiToken


@functools.cache
def _tokens_with_users() -> QuerySet[ApiToken]:
    """Tokens with their users and the users' group names: the query's shape, built once per process.

    Resolving the group names' subquery costs more than running the query; `tokens_with_key` adds only
    its filter to a copy. Never evaluated itself (each request's queryset is a new one): nothing of a
    request, and no access decision, is kept.
    """
    group_names = Group.objects.filter(user=OuterRef("user_id")).values("name")
    return ApiToken.objects.select_related("user").annotate(group_names=ArraySubquery(group_names)).order_by()


def tokens_with_key(key: str) -> QuerySet[ApiToken]:
    """The tokens whose key (the token's first characters) is `key`, with their users and group names."""
    return _tokens_with_users().filter(token_key=key)


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
            auth_token.user.remember_group_names(auth_token.group_names)
            refusal = api_token_refusal(token=auth_token)
            if refusal:
                raise exceptions.AuthenticationFailed(refusal)
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Invalid token."))
