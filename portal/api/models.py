"""Named per-user API tokens (django-rest-knox stores only a digest; the token is shown once)."""

from __future__ import annotations

import pghistory
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class TokenRevocation(models.TextChoices):
    """Why the portal revoked a token by itself (a token its owner revokes is deleted)."""

    ROLE_GAINED = "role_gained", _("You were given a role that needs two-factor sign-in.")
    ROLE_LOST = "role_lost", _("One of your roles was removed.")
    PASSWORD_CHANGED = "password_changed", _("Your password was changed.")
    DEACTIVATED = "deactivated", _("Your account was deactivated.")


# Audited (who made, revoked or removed which token, when); the digest stays out of the history.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    exclude=["digest"],
    obj_field=None,
    model_name="ApiTokenEvent",
)
class ApiToken(AbstractAuthToken):
    """A token a user created on their profile page, named so they can tell their tokens apart."""

    name = models.CharField(_("name"), max_length=100)
    second_factor = models.BooleanField(
        _("made after a second factor"),
        default=False,
        help_text=_("Created in a session confirmed with an authenticator code."),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_reason = models.CharField(
        _("reason revoked"), max_length=20, choices=TokenRevocation.choices, blank=True
    )

    class Meta:
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        indexes = [models.Index(fields=["user", "created"], name="api_token_user_created_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.token_key}…)"

    @property
    def is_expired(self) -> bool:
        return self.expiry is not None and self.expiry <= timezone.now()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
