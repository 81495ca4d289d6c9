"""Audit rows are append-only in the database: a trigger on every history event table refuses UPDATE and
DELETE, whoever sends them (the portal, a shell, raw SQL). Only the table owner's TRUNCATE remains, which
the test runner uses to empty tables between tests and which no code of the portal issues.

The triggers are (re)installed after every `migrate`, on every pghistory event model there is then, so
a model tracked later is protected without anyone remembering to.
"""

from __future__ import annotations

from typing import Any

import pghistory.models
from django.apps import AppConfig
from django.apps import apps as django_apps
from django.db import DEFAULT_DB_ALIAS, connections

FUNCTION_NAME = "portal_audit_refuse_change"
TRIGGER_NAME = "portal_audit_append_only"

_FUNCTION_SQL = f"""
CREATE OR REPLACE FUNCTION {FUNCTION_NAME}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
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


def protect_event_tables(*, using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """Install the append-only trigger on every existing event table; returns the tables protected."""
    connection = connections[using]
    existing = set(connection.introspection.table_names())
    tables = [table for table in event_tables() if table in existing]
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(_FUNCTION_SQL)
        for table in tables:
            cursor.execute(
                f"CREATE OR REPLACE TRIGGER {TRIGGER_NAME} BEFORE UPDATE OR DELETE ON {quote(table)} "
                f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION_NAME}()"
            )
    return tables


def protect_after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate runs once per app after all migrations: act on the audit app's turn only."""
    if sender.label == "audit":
        protect_event_tables(using=using)
