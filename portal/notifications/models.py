"""The notification outbox (Event), in-app notifications, e-mail deliveries and per-user preferences."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# An event kind is "<subject>.<verb>" (request.submitted, programme.proposed); the routing table in
# routing.py is the list of known kinds, so the database only checks the shape.
KIND_PATTERN = r"^[a-z_]+\.[a-z_]+$"


class Event(models.Model):
    """A domain event written in the same transaction as the state change it describes (the outbox)."""

    kind = models.CharField(_("kind"), max_length=60)
    target_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    target_id = models.PositiveBigIntegerField(_("target id"))
    target = GenericForeignKey("target_type", "target_id")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    data = models.JSONField(_("data"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    # Set when the message reached the broker; the sweep republishes rows still null.
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Set when a worker has fanned the event out into notifications and deliveries.
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    publish_attempts = models.PositiveIntegerField(_("publish attempts"), default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        indexes = [
            models.Index(fields=["target_type", "target_id"], name="notif_event_target_idx"),
            models.Index(
                fields=["created_at"], condition=Q(processed_at__isnull=True), name="notif_event_pending_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__regex=KIND_PATTERN), name="notif_event_kind_shape"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"


HISTORY_TRACKED: tuple[type[models.Model], ...] = ()
