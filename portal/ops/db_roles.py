"""The portal's two PostgreSQL roles: the owner, which owns the schema and runs the migrations, and the
application role, which the web tier and the workers connect as and which owns nothing.

The application role holds DML grants only (SELECT, INSERT, UPDATE, DELETE on the portal's tables, no
TRUNCATE, no CREATE), and on the audit tables (pghistory's context and event tables) only SELECT and
INSERT: it can neither change nor remove what the audit trail says, and, owning no table, it cannot
disable a trigger or alter a table either. The owner's default privileges give the application role the
same grants on the tables a later migration creates; `audit_privileges_grant` (after every `migrate`)
puts the audit tables' narrower grants back.

`roles_ensure` (the `db_roles` command) is run once per server by a superuser: it creates both roles,
gives the portal's database to the owner and lets the application role connect. It may be run again.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import psycopg2
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from psycopg2 import sql

CREDENTIAL_KEYS = ("USER", "PASSWORD", "HOST", "PORT")


def owner_credentials() -> dict[str, Any]:
    """USER, PASSWORD, HOST and PORT of the owner (DATABASE_OWNER_URL); empty when the portal runs
    with one role for everything (then the migrations run as DATABASE_URL's user)."""
    owner = getattr(settings, "DATABASE_OWNER", None) or {}
    return {key: owner.get(key, "") for key in CREDENTIAL_KEYS} if owner else {}


def credentials_use(alias: str, credentials: Mapping[str, Any]) -> dict[str, Any]:
    """Point the alias's connection at other credentials (the next query reconnects); returns the old."""
    settings_dict = connections.settings[alias]
    previous = {key: settings_dict.get(key, "") for key in CREDENTIAL_KEYS}
    connections[alias].close()
    settings_dict.update(credentials)
    connections[alias].settings_dict.update(credentials)
    return previous


@contextmanager
def as_owner(alias: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Run the block on a connection of the owner role (migrations, emptying tables in the tests)."""
    owner = owner_credentials()
    if not owner:
        yield
        return
    previous = credentials_use(alias, owner)
    try:
        yield
    finally:
        credentials_use(alias, previous)


def app_role_name(alias: str = DEFAULT_DB_ALIAS) -> str:
    """The application role: the user of DATABASE_URL (the alias's configured user)."""
    return str(getattr(settings, "DATABASE_APP_USER", "") or connections.settings[alias].get("USER") or "")


# --- After every migrate, as the owner: the application role's grants -------------------------------


def _is_superuser(cursor: Any, role: str) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = %s", [role])
    row = cursor.fetchone()
    return bool(row and row[0])


def privileges_grant(
    *, audit_tables: list[str], written_by_owner: list[str], using: str = DEFAULT_DB_ALIAS
) -> bool:
    """Give the application role DML on every table, SELECT and INSERT only on the audit tables (SELECT
    only on those in `written_by_owner`, written by the owner's functions), and the same DML for tables
    created later by this owner. Does nothing (False) when the application and the
    migrations use one role (a single-role installation, or the embedded development server)."""
    connection = connections[using]
    app = str(getattr(settings, "DATABASE_APP_USER", "") or "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        owner = cursor.fetchone()[0]
        if not app or app == owner:
            return False
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [app])
        if cursor.fetchone() is None:
            return False
        if _is_superuser(cursor, app):
            raise RuntimeError(
                f"The application role {app!r} is a PostgreSQL superuser: it could disable the audit "
                "trail's triggers. Connect the portal as a role that owns nothing (README, Security)."
            )
        role = sql.Identifier(app)
        statements = [
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(role),
            sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}").format(role),
            sql.SQL("REVOKE TRUNCATE, REFERENCES, TRIGGER ON ALL TABLES IN SCHEMA public FROM {}").format(
                role
            ),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(role),
            sql.SQL("GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {}").format(role),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public"
                " GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {}"
            ).format(role),
            sql.SQL(
                "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {}"
            ).format(role),
        ]
        existing = set(connection.introspection.table_names(cursor))
        for table in audit_tables:
            if table in existing:
                statements.append(
                    sql.SQL("REVOKE UPDATE, DELETE, TRUNCATE ON {} FROM {}").format(
                        sql.Identifier(table), role
                    )
                )
        for table in written_by_owner:
            if table in existing:
                statements.append(sql.SQL("REVOKE INSERT ON {} FROM {}").format(sql.Identifier(table), role))
        for statement in statements:
            cursor.execute(statement)
    return True


# --- Once per server, as a superuser: the roles and the database ---------------------------------------


def _role_ensure(cursor: Any, *, name: str, password: str, createdb: bool) -> None:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name])
    verb = "ALTER" if cursor.fetchone() else "CREATE"
    options = sql.SQL(" LOGIN NOSUPERUSER NOCREATEROLE NOREPLICATION NOBYPASSRLS {}").format(
        sql.SQL("CREATEDB" if createdb else "NOCREATEDB")
    )
    statement = sql.SQL("{} ROLE {}").format(sql.SQL(verb), sql.Identifier(name)) + options
    if password:
        statement += sql.SQL(" PASSWORD {}").format(sql.Literal(password))
    cursor.execute(statement)


def _database_adopt(params: dict[str, Any], *, database: str, owner: str, app: str) -> None:
    """Give the database and everything in its public schema to the owner; let the app role connect."""
    with psycopg2.connect(**{**params, "dbname": database}) as connection, connection.cursor() as cursor:
        cursor.execute(sql.SQL("ALTER SCHEMA public OWNER TO {}").format(sql.Identifier(owner)))
        cursor.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        cursor.execute(
            """
            SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'
                   WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, c.relname
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'S', 'v', 'm')
              AND pg_get_userbyid(c.relowner) <> %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype = 'e')
              AND NOT (c.relkind = 'S' AND EXISTS (
                  SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
            """,
            [owner],
        )
        for kind, name in cursor.fetchall():
            cursor.execute(
                sql.SQL("ALTER {} {} OWNER TO {}").format(
                    sql.SQL(kind), sql.Identifier(name), sql.Identifier(owner)
                )
            )
        cursor.execute(
            """
            SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = 'public' AND pg_get_userbyid(p.proowner) <> %s
              AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
            """,
            [owner],
        )
        for (signature,) in cursor.fetchall():
            cursor.execute(
                sql.SQL("ALTER FUNCTION {} OWNER TO {}").format(sql.SQL(signature), sql.Identifier(owner))
            )
    connection.close()


def superuser_params(url: str) -> dict[str, Any]:
    """psycopg2's connection parameters for a superuser's URL (its database, or `postgres`)."""
    import environ

    config = environ.Env.db_url_config(url)
    params = {
        "dbname": config.get("NAME") or "postgres",
        "user": config.get("USER") or None,
        "password": config.get("PASSWORD") or None,
        "host": config.get("HOST") or None,
        "port": config.get("PORT") or None,
    }
    return {key: value for key, value in params.items() if value is not None}


def roles_ensure(
    *,
    superuser_params: dict[str, Any],
    owner: str,
    owner_password: str,
    app: str,
    app_password: str,
    databases: list[str],
    create_databases: list[str],
) -> list[str]:
    """Create (or correct) the owner and application roles, and give each database to the owner:
    those in `create_databases` are created when missing, the others only adopted when they exist.
    Returns what was done, one line each."""
    if not owner or not app or owner == app:
        raise ValueError("The owner and the application role must be two different roles.")
    done = []
    admin = psycopg2.connect(**{**superuser_params, "dbname": superuser_params.get("dbname") or "postgres"})
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            for name in (owner, app):
                if _is_superuser(cursor, name):
                    # Never demote a superuser the installation may depend on: the URLs name the wrong role.
                    raise ValueError(
                        f"The role {name!r} is a superuser: DATABASE_URL and DATABASE_OWNER_URL must name "
                        "roles of their own (e.g. ccportal_app and ccportal_owner)."
                    )
            _role_ensure(cursor, name=owner, password=owner_password, createdb=True)
            _role_ensure(cursor, name=app, password=app_password, createdb=False)
            done.append(f"Roles {owner} (owner, may create databases) and {app} (application, owns nothing).")
            for database in dict.fromkeys([*create_databases, *databases]):
                cursor.execute(
                    "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = %s", [database]
                )
                row = cursor.fetchone()
                if row is None:
                    if database not in create_databases:
                        continue
                    cursor.execute(
                        sql.SQL("CREATE DATABASE {} OWNER {}").format(
                            sql.Identifier(database), sql.Identifier(owner)
                        )
                    )
                    done.append(f"Database {database} created, owned by {owner}.")
                elif row[0] != owner:
                    cursor.execute(
                        sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                            sql.Identifier(database), sql.Identifier(owner)
                        )
                    )
                    done.append(f"Database {database} given to {owner}.")
                cursor.execute(
                    sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(
                        sql.Identifier(database), sql.Identifier(app)
                    )
                )
                _database_adopt(superuser_params, database=database, owner=owner, app=app)
    finally:
        admin.close()
    return done
