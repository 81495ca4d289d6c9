"""`manage.py load_demo`: load the demo data set (idempotent) and print the demo logins."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.core.demo import DEMO_PASSWORD, demo_load


class Command(BaseCommand):
    help = "Load the demo data set: the source text's facts, realistic volume, one user per role."

    def handle(self, *args: Any, **options: Any) -> None:
        result = demo_load()
        created = sum(result.tally.created.values())
        updated = sum(result.tally.updated.values())
        if created or updated:
            for name in sorted(set(result.tally.created) | set(result.tally.updated)):
                self.stdout.write(
                    f"  {name}: {result.tally.created[name]} created, {result.tally.updated[name]} updated"
                )
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {created} rows created, {updated} updated."))
        site = getattr(settings, "SITE_URL", "http://127.0.0.1:8000")
        self.stdout.write(f"\nSign in at {site}/accounts/login/ as:")
        for login in result.logins:
            note = "" if login.created else "  (existing account, password unchanged)"
            self.stdout.write(f"  {login.username:<10} {', '.join(login.roles):<18} {DEMO_PASSWORD}{note}")
