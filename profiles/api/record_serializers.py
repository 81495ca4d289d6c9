"""API inputs for keeping a partner's record current.

Each input serializer parses the fields its service writes (partners/services.py, operations/services.py),
so the schema documents them. The rules are the models' own (`clean`, run by the services'
`full_clean`): a required English title, a currency code in capitals; the operations offered are those
still running. A refusal is a 400 naming the field, as on the pages.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from operations.models import Contribution, Operation
from operations.services import CONTRIBUTION_FIELDS
from partners.models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    PartnerEngagementLevel,
)
from partners.services import DIALOGUE_MEETING_FIELDS, LIAISON_ARRANGEMENT_FIELDS, MILESTONE_FIELDS
from portal.api.serializers import StrictInputSerializer
from portal.api.serializers import translated as translated_fields


class RecordInputSerializer(StrictInputSerializer, serializers.ModelSerializer):
    """The fields of a partner's record an officer writes; they are checked with the record's own rules
    when it is saved (a refusal names the field)."""


class MilestoneInputSerializer(RecordInputSerializer):
    class Meta:
        model = Milestone
        fields = list(MILESTONE_FIELDS)


class DialogueMeetingInputSerializer(RecordInputSerializer):
    class Meta:
        model = DialogueMeeting
        fields = list(DIALOGUE_MEETING_FIELDS)


class LiaisonArrangementInputSerializer(RecordInputSerializer):
    operation: serializers.SlugRelatedField[Operation] = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Operation.objects.alive(),
        required=False,
        allow_null=True,
        help_text=_("Operation code, e.g. isaf, when posted to an operational HQ."),
    )

    class Meta:
        model = LiaisonArrangement
        fields = list(LIAISON_ARRANGEMENT_FIELDS)


class ContributionInputSerializer(RecordInputSerializer):
    operation: serializers.SlugRelatedField[Operation] = serializers.SlugRelatedField(
        slug_field="code", queryset=Operation.objects.alive(), help_text=_("Operation code, e.g. isaf.")
    )

    class Meta:
        model = Contribution
        fields = list(CONTRIBUTION_FIELDS)


class ContributionRecordSerializer(serializers.ModelSerializer):
    """A contribution as its partner's record keeps it (every field the officer writes)."""

    operation: serializers.SlugRelatedField[Operation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Contribution
        fields = [
            "id",
            *CONTRIBUTION_FIELDS,
            *translated_fields("command_arrangement", "decision_making_association", "description"),
            "updated_at",
        ]
        fields = list(dict.fromkeys(fields))
        read_only_fields = fields


class CooperationInputSerializer(StrictInputSerializer):
    """The areas the partner chose and its engagement level, both given in full."""

    engagement_level = serializers.ChoiceField(choices=PartnerEngagementLevel.choices)
    areas: serializers.SlugRelatedField[CooperationArea] = serializers.SlugRelatedField(
        slug_field="code",
        queryset=CooperationArea.objects.all(),
        many=True,
        help_text=_("Codes of every area the partner chose (those left out are dropped)."),
    )


class HistoryChangeSerializer(serializers.Serializer):
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    old = serializers.CharField(read_only=True)
    new = serializers.CharField(read_only=True)


class HistoryEntrySerializer(serializers.Serializer):
    """One change to the partner's record (record_selectors.HistoryEntry)."""

    at = serializers.DateTimeField(read_only=True)
    user = serializers.SerializerMethodField()
    record_kind = serializers.CharField(read_only=True)
    record_title = serializers.CharField(read_only=True)
    action = serializers.CharField(read_only=True)
    changes = HistoryChangeSerializer(many=True, read_only=True)

    def get_user(self, entry: Any) -> str | None:
        """The username of who made the change; empty for changes the portal made itself."""
        return entry.user.get_username() if entry.user is not None else None
