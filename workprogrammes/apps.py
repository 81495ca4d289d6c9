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
        # Registers the django-rules permissions (user.has_perm("workprogrammes....")) of the inclusion
        # requests and of the programmes (manage_programme, start_programme, import_catalogue).
        from . import permissions, programme_permissions  # noqa: F401
