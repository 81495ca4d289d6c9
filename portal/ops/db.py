"""The database router: writes and migrations on the primary; read-heavy report queries on a replica.

DATABASES always has a "replica" alias: the server of DATABASE_REPLICA_URL (a streaming replica of the
primary), or, when that is unset, the primary itself under a second name (a test mirror in the tests).
Report queries (portal/reports/tabular/) are pinned with `.using(reporting_database())`, which names the
replica only when one is configured (settings.REPORTS_DATABASE): a replica lags the primary by a moment,
so the pages that show what a user has just written keep reading the primary.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Model

PRIMARY = "default"
REPLICA = "replica"


def reporting_database() -> str:
    """The alias report queries read from."""
    alias = str(getattr(settings, "REPORTS_DATABASE", PRIMARY))
    return alias if alias in settings.DATABASES else PRIMARY


class PrimaryReplicaRouter:
    """Reads default to the primary (a query pinned to the replica stays there); every write and every
    migration goes to the primary, whatever a queryset was pinned to."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        return None

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool | None:
        # The replica holds the same rows as the primary: objects read from either may be related.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints: Any) -> bool:
        # The replica follows the primary's schema through replication.
        return db == PRIMARY
