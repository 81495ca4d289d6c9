"""Input and output of the delegation endpoints."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.accounts.models import Delegation, User
from portal.accounts.selectors import NO_DELEGATION_MESSAGE, delegation_principals
from portal.accounts.services import DELEGATION_MAX_DAYS

from ..serializers import FastRepresentationMixin


class ActingForField(serializers.SlugRelatedField):
    """`acting_for`: the username of someone who named the caller their delegate for today.

    An unknown username and a person who has not named the caller get the same error, so the field
    does not tell who has an account.
    """

    default_error_messages = {
        "does_not_exist": NO_DELEGATION_MESSAGE,
        "invalid": NO_DELEGATION_MESSAGE,
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault(
            "help_text", _("Username of the colleague you act for under a delegation active today.")
        )
        super().__init__(slug_field="username", queryset=User.objects.none(), **kwargs)

    def get_queryset(self) -> QuerySet[User]:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return User.objects.none()
        principals = delegation_principals(delegate=user).values("pk")
        return User.objects.filter(Q(pk=user.pk) | Q(pk__in=principals), is_active=True)


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
    start_date = serializers.DateField(help_text=_("No later than a year from today."))
    end_date = serializers.DateField(
        help_text=format_lazy(
            _("Inclusive; a delegation lasts at most {days} days."), days=DELEGATION_MAX_DAYS
        )
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class UserRefSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["username", "name"]
        read_only_fields = fields

    def get_name(self, obj: User) -> str:
        return obj.get_full_name() or obj.get_username()
