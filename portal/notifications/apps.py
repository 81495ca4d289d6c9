import datetime

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from portal.core.history import track_history

        from .models import HISTORY_TRACKED

        track_history(*HISTORY_TRACKED)

        from portal.ops.health import Backlog, backlog_reader_register

        from .selectors import notification_backlog

        def backlog(waiting: datetime.timedelta) -> list[Backlog]:
            counts = notification_backlog(waiting_longer_than=waiting)
            return [
                Backlog("events", "events", counts["events"]),
                Backlog("emails", "e-mails", counts["emails"]),
            ]

        # /readyz fails when events or e-mails wait too long.
        backlog_reader_register(name="notifications", reader=backlog)

        # Each app's event kinds, subjects, links and reminders (its notifications.py; registry.py).
        autodiscover_modules("notifications")
