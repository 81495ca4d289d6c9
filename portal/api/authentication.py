"""Token authentication: knox's, in one query that checks only the token presented.

knox reads every token of the user on each request, to delete the expired ones, and the role check
then reads the user's groups. Here the token, its user and the user's role names come in one query: an
expired token is refused (401) and kept, so that its owner sees on the API tokens page which token
stopped and when (the page lists expired tokens for that reason).
"""

from __future__ import annotations

import binascii
from hmac import compare_digest
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions

from .models import ApiToken


class PortalTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes) -> tuple[Any, ApiToken]:
        text = token.decode("utf-8")
        candidates = (
            ApiToken.objects.filter(token_key=text[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
            .annotate(
                group_names=ArraySubquery(Group.objects.filter(user=OuterRef("user_id")).values("name"))
            )
        )
        for auth_token in candidates:
            try:
                digest = hash_token(text)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.is_expired:
                break
            auth_token.user.remember_group_names(auth_token.group_names)
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Invalid token."))
