from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    """Sign-in hardening (lockout, two-factor), session limits, headers and the log of refused accesses."""

    name = "portal.security"
    label = "security"
    verbose_name = _("Security")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the sign-in receiver)
