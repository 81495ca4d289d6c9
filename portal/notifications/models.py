"""The notification outbox (Event), in-app notifications, e-mail deliveries and per-user preferences."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# An event kind is "<subject>.<verb>" (request.submitted, programme.proposed); the kinds the apps register
# (registry.py) are the list of known kinds, so the database only checks the shape.
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
    # What the e-mails say about the subject (reference, status, title), taken when it is fanned out,
    # so that sending an e-mail does not load the subject again.
    summary = models.JSONField(_("summary"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    # Reminders are recorded at most once per subject and day: "<kind>:<target>:<date>".
    dedup_key = models.CharField(_("deduplication key"), max_length=120, null=True, blank=True, unique=True)

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


class NotificationMode(models.TextChoices):
    IMMEDIATELY = "immediately", _("Immediately")
    DIGEST = "digest", _("In a daily digest")
    OFF = "off", _("Off")


class NotificationPreference(models.Model):
    """How a user wants to hear about one kind of event; no row means immediately."""

    Mode = NotificationMode

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=60)
    mode = models.CharField(_("e-mail"), max_length=12, choices=Mode.choices, default=Mode.IMMEDIATELY)

    class Meta:
        ordering = ["user", "kind"]
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notif_one_preference_per_kind"),
            models.CheckConstraint(
                condition=Q(mode__in=NotificationMode.values), name="notif_preference_mode_valid"
            ),
            models.CheckConstraint(condition=Q(kind__regex=KIND_PATTERN), name="notif_preference_kind_shape"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.mode}"


class Notification(models.Model):
    """What one person sees in the portal about one event, written in their language."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=60)
    text = models.CharField(_("text"), max_length=400)
    url = models.CharField(_("link"), max_length=400, blank=True)
    # Set when the recipient receives it as the delegate of someone the event was meant for.
    on_behalf_of = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("on behalf of"),
    )
    action_owed = models.BooleanField(_("action expected"), default=False)
    email_mode = models.CharField(
        _("e-mail"), max_length=12, choices=NotificationMode.choices, default=NotificationMode.IMMEDIATELY
    )
    # The digest e-mail that carried it, once sent in one (digest preference only).
    digest = models.ForeignKey(
        "Delivery", on_delete=models.SET_NULL, null=True, blank=True, related_name="digest_notifications"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notif_recipient_read_idx"),
            models.Index(fields=["recipient", "-created_at"], name="notif_recipient_recent_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(email_mode=NotificationMode.DIGEST, digest__isnull=True),
                name="notif_digest_pending_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient"], name="notif_once_per_event_and_recipient"),
            models.CheckConstraint(
                condition=Q(email_mode__in=NotificationMode.values), name="notif_email_mode_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class DeliveryChannel(models.TextChoices):
    EMAIL = "email", _("E-mail")
    DIGEST = "digest", _("Daily digest e-mail")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # Pending when a backup was restored: it may have gone out before the backup's moment was lost,
    # so it waits for an administrator to release or discard it (manage.py deliveries_hold_restored).
    HELD = "held", _("Held after a restore")
    DISCARDED = "discarded", _("Discarded")


class Delivery(models.Model):
    """One e-mail to one person: for one event, or a daily digest. Sent at most once."""

    Channel = DeliveryChannel
    Status = DeliveryStatus

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    # The in-app notification an e-mail repeats (e-mail channel only).
    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, null=True, blank=True, related_name="deliveries"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    digest_date = models.DateField(_("digest of"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When the sweep last queued it again (a pending e-mail whose task was lost).
    requeued_at = models.DateTimeField(_("queued again"), null=True, blank=True)
    # When a task should take it up: set when it is queued and when a retry is scheduled. A pending
    # e-mail not taken up well after this time has lost its task, and the sweep queues it again.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The attempt, recorded (and committed) before the mail server is spoken to: who sends it and since
    # when. Another task leaves it alone while the claim is live (see sending._claim_seconds).
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claimed_by = models.CharField(_("claimed by"), max_length=200, blank=True)
    # The Message-ID of every attempt: a message sent again after an interrupted attempt is the same
    # message to the mail servers and clients that deduplicate.
    message_id = models.CharField(_("Message-ID"), max_length=250, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("e-mail delivery")
        verbose_name_plural = _("e-mail deliveries")
        indexes = [models.Index(fields=["status", "created_at"], name="notif_delivery_status_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "recipient", "channel"],
                condition=Q(event__isnull=False),
                name="notif_delivery_once_per_event",
            ),
            models.UniqueConstraint(
                fields=["recipient", "digest_date"],
                condition=Q(channel=DeliveryChannel.DIGEST),
                name="notif_digest_once_per_day",
            ),
            models.CheckConstraint(
                condition=(
                    Q(channel=DeliveryChannel.EMAIL, event__isnull=False, digest_date__isnull=True)
                    | Q(channel=DeliveryChannel.DIGEST, event__isnull=True, digest_date__isnull=False)
                ),
                name="notif_delivery_channel_shape",
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="notif_delivery_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=DeliveryChannel.values), name="notif_delivery_channel_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="notif_delivery_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.channel} to {self.recipient_id} ({self.status})"


# Events, notifications and deliveries are logs in their own right; preferences are user settings
# whose changes are worth keeping.
HISTORY_TRACKED: tuple[type[models.Model], ...] = (NotificationPreference,)
