"""API inputs and outputs of a request's workflow: a step (with its reason where the row asks for one),
reassigning a review, and the review queue's bulk actions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from portal.accounts.models import User
from portal.api.accounts.serializers import ActingForField
from portal.api.serializers import StrictInputSerializer

from ...workflow_steps import BULK_ACTIONS
from .serializers import TEXT_MAX


class TransitionInputSerializer(StrictInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    acting_for = ActingForField()


class TransitionWithReasonInputSerializer(TransitionInputSerializer):
    reason = serializers.CharField(max_length=TEXT_MAX, help_text=_("Required for this action."))


class ReassignInputSerializer(StrictInputSerializer):
    reviewer = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        help_text=_("Username of the reviewer who takes the review over."),
    )
    reason = serializers.CharField(max_length=4000, help_text=_("Why; recorded in the timeline."))


class BulkActionInputSerializer(StrictInputSerializer):
    action = serializers.ChoiceField(choices=list(BULK_ACTIONS.items()))
    requests = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        max_length=200,
        help_text=_("Ids of the requests (at most 200)."),
    )
    reason = serializers.CharField(
        max_length=4000,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Required to return, not recommend or reassign."),
    )
    reviewer = serializers.SlugRelatedField(
        slug_field="username",
        queryset=User.objects.filter(is_active=True),
        required=False,
        allow_null=True,
        help_text=_("Only to reassign: username of the new reviewer."),
    )


class BulkResultSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="request.pk")
    reference = serializers.CharField(source="request.reference")
    done = serializers.BooleanField()
    status = serializers.CharField(source="request.status")
    message = serializers.CharField()


class BulkResultsSerializer(serializers.Serializer):
    results = BulkResultSerializer(many=True, help_text=_("One line per request, in the order given."))
