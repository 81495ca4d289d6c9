from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """An app only because the named API tokens need a table of their own."""

    name = "portal.api"
    label = "api"
    verbose_name = _("API")

    def ready(self) -> None:
        # The OpenAPI extensions register themselves on import.
        from portal.accounts.services import token_revoker_register

        from . import schema  # noqa: F401
        from .models import TokenRevocation
        from .services import api_tokens_revoke_all

        # An account deactivated, a new password, a role lost or one needing two-factor sign-in gained:
        # the user's tokens stop (portal/accounts/services.py says when).
        token_revoker_register(
            name="api_tokens",
            revoker=lambda user, reason: api_tokens_revoke_all(user=user, reason=TokenRevocation(reason)),
        )
