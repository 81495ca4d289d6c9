"""Input and output of the delegation endpoints."""

from __future__ import annotations

from rest_framework import serializers

from ..models import Delegation, User


class PersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "full_name"]


class DelegationSerializer(serializers.ModelSerializer):
    principal = PersonSerializer(read_only=True)
    delegate = PersonSerializer(read_only=True)
    is_active_today = serializers.SerializerMethodField()

    class Meta:
        model = Delegation
        fields = [
            "id",
            "principal",
            "delegate",
            "start_date",
            "end_date",
            "reason",
            "created_at",
            "revoked_at",
            "is_active_today",
        ]

    def get_is_active_today(self, delegation: Delegation) -> bool:
        today = self.context["today"]
        return bool(delegation.revoked_at is None and delegation.start_date <= today <= delegation.end_date)


class DelegationInputSerializer(serializers.Serializer):
    delegate = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        help_text="Username of the colleague who acts for you and receives your notifications.",
    )
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
