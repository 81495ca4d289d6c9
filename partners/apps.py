from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners")

    def ready(self) -> None:
        # History snapshots every column, including the _en/_fr ones modeltranslation adds in its ready().
        from portal.core.history import track_history

        from .models import HISTORY_TRACKED

        track_history(*HISTORY_TRACKED)
        # Registers the "partners.edit_record" rule.
        from . import permissions  # noqa: F401
