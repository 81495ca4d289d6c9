"""After a backup is restored: hold the e-mails it recorded as pending, then release or discard them.

    manage.py restored_deliveries hold [--before 2027-01-31T02:00:00Z]
    manage.py restored_deliveries list
    manage.py restored_deliveries release (--all | ID ...)
    manage.py restored_deliveries discard (--all | ID ...)

`make restore` runs `hold` on the restored database; after a point-in-time recovery run it yourself
before any worker starts. Administrators can also release or discard held e-mails in the admin
(E-mail deliveries, status "Held after a restore").
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from portal.notifications import delivery_actions
from portal.notifications.models import Delivery


class Command(BaseCommand):
    help = "Hold the pending e-mails of a restored backup; list, release or discard held e-mails."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["hold", "list", "release", "discard"])
        parser.add_argument("ids", nargs="*", type=int, help="deliveries to release or discard")
        parser.add_argument("--all", action="store_true", help="every held delivery")
        parser.add_argument(
            "--before",
            help="hold only e-mails created before this moment (ISO 8601; default: now, i.e. all pending)",
        )

    def handle(self, *args: Any, action: str, ids: list[int], **options: Any) -> None:
        if action == "hold":
            before = parse_datetime(options["before"]) if options["before"] else None
            if options["before"] and before is None:
                raise CommandError(f"Not a date and time: {options['before']!r}")
            counts = delivery_actions.deliveries_hold_restored(before=before)
            self.stdout.write(
                f"Held {counts['held']} pending e-mails ({counts['events']} unprocessed events fanned "
                "out first). Release or discard them: manage.py restored_deliveries release|discard."
            )
            return
        held = Delivery.objects.filter(status=Delivery.Status.HELD).order_by("pk")
        if action == "list":
            for delivery in held.select_related("recipient", "event"):
                about = delivery.event.kind if delivery.event else f"digest of {delivery.digest_date}"
                created = f"{delivery.created_at:%Y-%m-%d %H:%M}"
                self.stdout.write(f"{delivery.pk}\t{created}\t{delivery.recipient.email}\t{about}")
            self.stdout.write(f"{held.count()} held e-mails.")
            return
        if not ids and not options["all"]:
            raise CommandError("Name the deliveries (IDs) or pass --all.")
        chosen = list(held.values_list("pk", flat=True)) if options["all"] else ids
        if action == "release":
            count = delivery_actions.deliveries_release(delivery_ids=chosen)
            self.stdout.write(f"Released {count} e-mails: they are queued for sending.")
        else:
            count = delivery_actions.deliveries_discard(delivery_ids=chosen)
            self.stdout.write(f"Discarded {count} e-mails: they will not be sent.")
