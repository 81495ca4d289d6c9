"""`manage.py load_demo`: load the demo data set (idempotent) and print the demo logins."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from portal.demo.facts.people import DEMO_PASSWORD
from portal.demo.loader import demo_load
from portal.security.demo import DEMO_TOTP_KEY_BASE32, demo_totp_enrol


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
        needing_code = demo_totp_enrol(usernames=[login.username for login in result.logins])
        if needing_code:
            self.stdout.write(
                f"\n{', '.join(needing_code)} also enter a code from an authenticator app: add the key\n"
                f"  {DEMO_TOTP_KEY_BASE32}\n(time-based, 6 digits, 30 s) to the app once, "
                "or turn the requirement off with OTP_REQUIRED_ROLES= in .env."
            )
