from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkprogrammesConfig(AppConfig):
    name = "workprogrammes"
    verbose_name = _("Work programmes")

    def ready(self) -> None:
        # History snapshots every column, including the _en/_fr ones modeltranslation adds in its ready().
        from portal.core.history import track_history

        from .models import HISTORY_TRACKED

        track_history(*HISTORY_TRACKED)
        # Registers the inclusion requests' django-rules permissions (user.has_perm("workprogrammes....")).
        from . import permissions  # noqa: F401
