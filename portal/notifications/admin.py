"""Admin of notifications: the outbox, notifications, preferences, and e-mail deliveries (failed ones
visible, filtered by status, and retryable; those held after a restore released or discarded)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import delivery_actions
from .models import Delivery, Event, Notification, NotificationPreference


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "target_type",
        "target_id",
        "actor",
        "created_at",
        "published_at",
        "processed_at",
    ]
    list_filter = [
        "kind",
        ("published_at", admin.EmptyFieldListFilter),
        ("processed_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["kind", "dedup_key"]
    list_select_related = ["target_type", "actor"]
    readonly_fields = [field.name for field in Event._meta.fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "channel",
        "recipient",
        "event",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "sent_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["recipient__username", "recipient__email", "last_error"]
    list_select_related = ["recipient", "event"]
    readonly_fields = [field.name for field in Delivery._meta.fields]
    actions = ["retry", "release", "discard"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Retry the selected failed e-mails"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        queued = sum(delivery_actions.delivery_retry(delivery=delivery) for delivery in queryset)
        self.message_user(
            request,
            ngettext("%(count)d e-mail queued again.", "%(count)d e-mails queued again.", queued)
            % {"count": queued},
            messages.SUCCESS,
        )

    @admin.action(description=_("Send the selected held e-mails after all"))
    def release(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        released = delivery_actions.deliveries_release(
            delivery_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext("%(count)d held e-mail queued.", "%(count)d held e-mails queued.", released)
            % {"count": released},
            messages.SUCCESS,
        )

    @admin.action(description=_("Discard the selected held e-mails"))
    def discard(self, request: HttpRequest, queryset: QuerySet[Delivery]) -> None:
        discarded = delivery_actions.deliveries_discard(
            delivery_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(
            request,
            ngettext("%(count)d held e-mail discarded.", "%(count)d held e-mails discarded.", discarded)
            % {"count": discarded},
            messages.SUCCESS,
        )


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "recipient", "kind", "text", "on_behalf_of", "email_mode", "created_at", "read_at"]
    list_filter = ["kind", "email_mode", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["recipient__username", "text"]
    list_select_related = ["recipient", "on_behalf_of"]
    readonly_fields = [field.name for field in Notification._meta.fields]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "mode"]
    list_filter = ["kind", "mode"]
    search_fields = ["user__username"]
