"""`manage.py db_roles`: the owner and the application role, created idempotently by a superuser."""

from __future__ import annotations

from typing import Any

import environ
import psycopg2
import pytest
from django.conf import settings

from portal.ops.db_roles import roles_ensure


def _superuser_params() -> dict[str, Any]:
    config = environ.Env.db_url_config(settings.DATABASE_SUPERUSER_URL)
    params = {
        "dbname": config.get("NAME") or "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    return {key: value for key, value in params.items() if value is not None}


def _attributes(role: str) -> tuple[bool, bool, bool]:
    with psycopg2.connect(**_superuser_params()) as connection, connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolcreatedb, rolcanlogin FROM pg_roles WHERE rolname = %s", [role])
        row = cursor.fetchone()
    connection.close()
    return row


def test_the_roles_are_made_once_and_stay_as_they_should_when_made_again() -> None:
    owner, app = settings.DATABASE_OWNER["USER"], settings.DATABASE_APP_USER
    for _run in range(2):
        roles_ensure(
            superuser_params=_superuser_params(),
            owner=owner,
            owner_password="",
            app=app,
            app_password="",
            databases=[],
            create_databases=[],
        )
    assert _attributes(owner) == (False, True, True)  # owns the schema, creates test databases
    assert _attributes(app) == (False, False, True)  # owns nothing, creates nothing


def test_a_superuser_is_never_taken_for_the_portals_roles() -> None:
    superuser = _superuser_params()["user"]
    with pytest.raises(ValueError, match="is a superuser"):
        roles_ensure(
            superuser_params=_superuser_params(),
            owner=settings.DATABASE_OWNER["USER"],
            owner_password="",
            app=superuser,
            app_password="",
            databases=[],
            create_databases=[],
        )
    assert _attributes(superuser)[0] is True
