"""`manage.py db_roles`: create the database owner and the application role, once per server.

Run by a PostgreSQL superuser (DATABASE_SUPERUSER_URL); the role names and passwords are those of
DATABASE_OWNER_URL and DATABASE_URL. Running it again corrects the roles and changes nothing else.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.ops.db_roles import roles_ensure, superuser_params


class Command(BaseCommand):
    help = "Create the database owner and the application role (which owns nothing), idempotently."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--superuser-url",
            default="",
            help="A superuser's connection URL (default: DATABASE_SUPERUSER_URL).",
        )
        parser.add_argument(
            "--adopt",
            action="append",
            default=[],
            metavar="DATABASE",
            help="Another database to give to the owner if it exists (e.g. a test database made before).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        url = options["superuser_url"] or getattr(settings, "DATABASE_SUPERUSER_URL", "")
        if not url:
            raise CommandError("Give a superuser's URL: --superuser-url or DATABASE_SUPERUSER_URL.")
        owner = getattr(settings, "DATABASE_OWNER", None) or {}
        app = settings.DATABASES["default"]
        if not owner:
            raise CommandError("DATABASE_OWNER_URL is not set: the portal would run as the owner itself.")
        try:
            done = roles_ensure(
                superuser_params=superuser_params(url),
                owner=owner["USER"],
                owner_password=owner.get("PASSWORD") or "",
                app=app["USER"],
                app_password=app.get("PASSWORD") or "",
                databases=options["adopt"],
                create_databases=[owner["NAME"]],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        for line in done:
            self.stdout.write(line)
