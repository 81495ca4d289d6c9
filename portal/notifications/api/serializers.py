"""API representations of in-app notifications and notification preferences."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ..models import Notification, NotificationMode
from ..registry import ROUTES


class NotificationSerializer(serializers.ModelSerializer):
    """One notification, in the language the recipient had when it was written."""

    on_behalf_of = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="username",
        read_only=True,
        allow_null=True,
        help_text=_("Set when received as a delegate."),
    )
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "text",
            "url",
            "on_behalf_of",
            "action_owed",
            "created_at",
            "read_at",
            "is_read",
        ]
        read_only_fields = fields

    def get_is_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(read_only=True, help_text=_("How many notifications were marked read."))


class UnreadCountSerializer(serializers.Serializer):
    unread = serializers.IntegerField(read_only=True)


class PreferenceSerializer(serializers.Serializer):
    kind = serializers.CharField(read_only=True)
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    mode = serializers.ChoiceField(choices=NotificationMode.choices, read_only=True)
    action_owed = serializers.BooleanField(
        read_only=True,
        help_text=_("Asks something of you: always shown in the portal; `mode` sets the e-mail."),
    )


class PreferencesInputSerializer(serializers.Serializer):
    modes = serializers.DictField(
        child=serializers.ChoiceField(choices=NotificationMode.choices),
        allow_empty=False,
        help_text=_('E-mail mode per notification kind, e.g. {"request.submitted": "digest"}.'),
    )

    def validate_modes(self, value: dict[str, Any]) -> dict[str, str]:
        unknown = sorted(set(value) - set(ROUTES))
        if unknown:
            raise serializers.ValidationError(
                _("Unknown notification kinds: %(kinds)s.") % {"kinds": ", ".join(unknown)}
            )
        return {kind: str(mode) for kind, mode in value.items()}
