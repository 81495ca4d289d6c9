"""Token authentication: knox's, in one prepared query that checks only the token presented.

knox reads every token of the user on each request, to delete the expired ones, and the role check
then reads the user's groups. Here the token, its user and the user's group names come in one query,
prepared once per database connection (building and planning it cost more than running it). An
expired token is refused (401) and kept, so that its owner sees on the API tokens page which token
stopped and when (the page lists expired tokens for that reason).
"""

from __future__ import annotations

import binascii
import functools
from hmac import compare_digest
from typing import Any

from django.db import router
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from psycopg2 import sql
from rest_framework import exceptions

from portal.accounts.models import User
from portal.core.prepared import fetch_prepared
from portal.security.selectors import api_token_refusal

from .models import ApiToken

STATEMENT = "portal_api_token_lookup"


@functools.cache
def _fields() -> tuple[list[Any], list[Any]]:
    """The fields read for the token and for its user (each model's concrete fields)."""
    return list(ApiToken._meta.concrete_fields), list(User._meta.concrete_fields)


@functools.cache
def _attnames() -> tuple[list[str], list[str]]:
    token_fields, user_fields = _fields()
    return [field.attname for field in token_fields], [field.attname for field in user_fields]


def _statement(cursor: Any) -> str:
    token_fields, user_fields = _fields()
    memberships = User.groups.through._meta
    groups = User.groups.field.related_model._meta
    columns = [
        *(sql.SQL("t.{}").format(sql.Identifier(field.column)) for field in token_fields),
        *(sql.SQL("u.{}").format(sql.Identifier(field.column)) for field in user_fields),
        sql.SQL(
            "ARRAY(SELECT g.name FROM {groups} g JOIN {memberships} m ON m.group_id = g.id"
            " WHERE m.user_id = u.id)"
        ).format(groups=sql.Identifier(groups.db_table), memberships=sql.Identifier(memberships.db_table)),
    ]
    query = sql.SQL(
        "PREPARE {name} (text) AS SELECT {columns} FROM {tokens} t JOIN {users} u ON u.id = t.user_id"
        " WHERE t.token_key = $1"
    )
    return query.format(
        name=sql.Identifier(STATEMENT),
        columns=sql.SQL(", ").join(columns),
        tokens=sql.Identifier(ApiToken._meta.db_table),
        users=sql.Identifier(User._meta.db_table),
    ).as_string(cursor)


def tokens_with_key(key: str) -> list[tuple[ApiToken, list[str]]]:
    """The tokens whose key (the token's first characters) is `key`, with their users and group names."""
    token_names, user_names = _attnames()
    alias = router.db_for_read(ApiToken)
    found = []
    for row in fetch_prepared(alias, STATEMENT, _statement, [key]):
        token = ApiToken.from_db(alias, token_names, row[: len(token_names)])
        token.user = User.from_db(alias, user_names, row[len(token_names) : -1])
        found.append((token, list(row[-1])))
    return found


class PortalTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes) -> tuple[Any, ApiToken]:
        text = token.decode("utf-8")
        candidates = tokens_with_key(text[: CONSTANTS.TOKEN_KEY_LENGTH])
        if candidates:
            try:
                digest = hash_token(text)
            except (TypeError, binascii.Error):
                raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        for auth_token, group_names in candidates:
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.is_expired:
                break
            auth_token.user.remember_group_names(group_names)
            refusal = api_token_refusal(token=auth_token)
            if refusal:
                raise exceptions.AuthenticationFailed(refusal)
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(_("Invalid token."))
