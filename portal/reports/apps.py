from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "portal.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Registers the reports.* permission rules before any view or API asks for them.
        from . import permissions  # noqa: F401
