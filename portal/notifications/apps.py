from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "portal.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from portal.core.history import track_history

        from .models import HISTORY_TRACKED

        track_history(*HISTORY_TRACKED)
