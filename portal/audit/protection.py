"""The audit trail is enforced by the database, not by the portal's good manners.

- Every history event table (pghistory) has a trigger that refuses UPDATE and DELETE, whoever sends them:
  pghistory's own pgtrigger Protect trigger ("append_only", settings.PGHISTORY_APPEND_ONLY), declared in
  each event model's Meta and installed by the migrations.
- The context table (`pghistory_context`: who, from where) refuses DELETE; its rows are written only by
  pghistory's `_pgh_attach_context()`, installed here as SECURITY DEFINER (it runs as the owner), which
  completes the context of the connection's own requests and no older one.
- The application connects as a role that owns nothing (portal/ops/db_roles.py): on these tables it holds
  SELECT and INSERT only, so it can neither UPDATE, DELETE nor TRUNCATE them, and, not owning them, it
  cannot disable or drop their triggers. Only the owner (migrations; the test runner emptying tables
  between tests) can TRUNCATE.

What is here (the context table's trigger and function, and the grants) is (re)installed after every
`migrate`, on every audit table there is then, so a model tracked later is covered without anyone
remembering to.
"""

from __future__ import annotations

from typing import Any

import pghistory.models
from django.apps import AppConfig
from django.apps import apps as django_apps
from django.db import DEFAULT_DB_ALIAS, connections

from portal.ops.db_roles import privileges_grant

FUNCTION_NAME = "portal_audit_refuse_change"
# The event tables' trigger of earlier installations, replaced by pghistory's "append_only" (dropped here).
_FORMER_TRIGGER_NAME = "portal_audit_append_only"
CONTEXT_TRIGGER_NAME = "portal_audit_context_kept"

_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION_NAME}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

# pghistory's own function (pghistory.models.Context.install_pgh_attach_context_func), with two changes:
# it runs with its owner's rights (the application role may not write the context table itself), and
# it updates a context only when that context was created on the calling connection (a request's user
# is known only once DRF has authenticated it), never an older one.
_ATTACH_CONTEXT_SQL = """
CREATE OR REPLACE FUNCTION _pgh_attach_context() RETURNS {table}.id%TYPE
SECURITY DEFINER SET search_path = pg_catalog, public AS $$
    DECLARE
        _pgh_context_id UUID;
        _pgh_context_metadata JSONB;
    BEGIN
        BEGIN
            SELECT INTO _pgh_context_id CURRENT_SETTING('pghistory.context_id');
            SELECT INTO _pgh_context_metadata CURRENT_SETTING('pghistory.context_metadata');
            EXCEPTION WHEN OTHERS THEN
        END;
        IF _pgh_context_id IS NOT NULL AND _pgh_context_metadata IS NOT NULL THEN
            INSERT INTO {table} (id, metadata, created_at, updated_at)
                VALUES (_pgh_context_id, _pgh_context_metadata, NOW(), NOW())
                ON CONFLICT (id) DO UPDATE
                    SET metadata = EXCLUDED.metadata, updated_at = EXCLUDED.updated_at
                    WHERE {table}.metadata != EXCLUDED.metadata
                      AND {table}.created_at >= (
                          SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid());
            RETURN _pgh_context_id;
        ELSE
            RETURN NULL;
        END IF;
    END;
$$ LANGUAGE plpgsql;
"""


def event_tables() -> list[str]:
    """The database tables of every history event model (pghistory), sorted."""
    return sorted(
        {
            model._meta.db_table
            for model in django_apps.get_models()
            if issubclass(model, pghistory.models.Event) and model._meta.managed and not model._meta.proxy
        }
    )


def context_table() -> str:
    return str(pghistory.models.Context._meta.db_table)


def audit_tables() -> list[str]:
    """Every table of the audit trail: the context table and the event tables."""
    return sorted([context_table(), *event_tables()])


def protect_context_table(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Install the context table's DELETE trigger and the context function (the event tables' triggers
    come with their migrations), and drop the event tables' former hand-written triggers."""
    connection = connections[using]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname = %s", [_FORMER_TRIGGER_NAME]
        )
        for (table,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER {_FORMER_TRIGGER_NAME} ON {table}")
        if context_table() not in connection.introspection.table_names(cursor):
            return
        cursor.execute(_FUNCTION_SQL)
        cursor.execute(_ATTACH_CONTEXT_SQL.format(table=quote(context_table())))
        cursor.execute(
            f"CREATE OR REPLACE TRIGGER {CONTEXT_TRIGGER_NAME} BEFORE DELETE ON {quote(context_table())} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}()"
        )


def protect_after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate runs once per app after all migrations: act on the audit app's turn only."""
    if sender.label == "audit":
        protect_context_table(using=using)
        privileges_grant(audit_tables=audit_tables(), written_by_owner=[context_table()], using=using)
