from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "portal.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        # Registers the reports.* permission rules before any view or API asks for them.
        # Deactivating an account revokes its calendar feed's secret URL too.
        from portal.accounts.services import credential_revoker_register

        from . import permissions  # noqa: F401
        from .services import calendar_feed_revoke

        credential_revoker_register(name="calendar_feed", revoker=calendar_feed_revoke)
