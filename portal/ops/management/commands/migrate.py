"""`manage.py migrate` as the schema's owner (DATABASE_OWNER_URL), never as the application role.

The application connects as a role that owns nothing (portal/ops/db_roles.py); creating and altering
tables is the owner's. When DATABASE_OWNER_URL is unset, the migrations run as DATABASE_URL's user.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import migrate

from portal.ops.db_roles import as_owner


class Command(migrate.Command):
    help = "Apply the migrations as the database owner (DATABASE_OWNER_URL), then grant the app role."

    def handle(self, *args: Any, **options: Any) -> None:
        with as_owner(options["database"]):
            super().handle(*args, **options)
