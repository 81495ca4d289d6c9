"""Named per-user API tokens (django-rest-knox stores only a digest; the token is shown once), and the
answers kept for API writes sent with an Idempotency-Key."""

from __future__ import annotations

import pghistory
from django.conf import settings
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
    AUTHENTICATOR_REMOVED = (
        "device_removed",
        _("Your authenticator was removed, and your role needs two-factor sign-in."),
    )


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


class IdempotencyKey(models.Model):
    """The first answer to an API POST sent with an `Idempotency-Key` header (portal/api/idempotency.py).

    Written in the transaction of the write itself, so the key exists exactly when the write does; a
    retry with the same key gets this answer again instead of doing the write a second time.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=2000)
    # SHA-256 of the method, the path with its query and the body: the same key with another request
    # is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    headers = models.JSONField(default=dict)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_user_key_uniq")]

    def __str__(self) -> str:
        return f"{self.key} ({self.method} {self.path})"
