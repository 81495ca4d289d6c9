from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """An app only because the named API tokens need a table of their own."""

    name = "portal.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # The OpenAPI extensions register themselves on import.
        from . import schema  # noqa: F401
