"""API representations of the Council's meetings, agendas and decisions, and what its endpoints accept."""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.accounts.serializers import ActingForField
from portal.api.serializers import StrictInputSerializer

from ...programmes.api.serializers import PartnerRefSerializer
from ...requests.api.serializers import TEXT_MAX, CouncilDecisionSerializer
from ...requests.models import (
    InclusionRequest,
)
from ..models import (
    OUTSIDE_MEETING_REASON_MIN_LENGTH,
    SILENCE_LONGEST,
    AgendaItem,
    CouncilDecisionOutcome,
    CouncilMeeting,
    CouncilMeetingKind,
)


class DecisionInputSerializer(StrictInputSerializer):
    outcome = serializers.ChoiceField(choices=CouncilDecisionOutcome.choices)
    reference = serializers.CharField(
        max_length=60, help_text=_("Decision sheet reference, e.g. PO(2027)0012.")
    )
    conditions = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=CouncilMeeting.objects.all(),
        required=False,
        allow_null=True,
        help_text=_("The meeting that took the decision, on or after its date; none: give a reason."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=TEXT_MAX,
        help_text=format_lazy(
            _(
                "Required (at least {count} characters) when the decision was taken outside a Council "
                "meeting: how and why; otherwise an optional note for the timeline."
            ),
            count=OUTSIDE_MEETING_REASON_MIN_LENGTH,
        ),
    )
    acting_for = ActingForField()


class RescheduleInputSerializer(StrictInputSerializer):
    meeting = serializers.PrimaryKeyRelatedField(
        queryset=CouncilMeeting.objects.all(), help_text=_("A planned meeting later than the deferral.")
    )


class AgendaRequestSerializer(serializers.ModelSerializer):
    """The request on an agenda item, as the decision sheet lists it (its details are at its own URL)."""

    partner = PartnerRefSerializer(read_only=True)
    activity_title = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = InclusionRequest
        fields = ["id", "reference", "partner", "activity_title", "status", "status_label", "marking"]
        read_only_fields = fields


class AgendaItemSerializer(serializers.ModelSerializer):
    request = AgendaRequestSerializer(read_only=True)

    class Meta:
        model = AgendaItem
        fields = [
            "id",
            "position",
            "status",
            "request",
            "silence_deadline",
            "silence_broken_at",
            "silence_broken_by",
            "silence_broken_reason",
        ]
        read_only_fields = fields


class CouncilMeetingSerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(read_only=True)
    open_count = serializers.IntegerField(read_only=True, help_text=_("Items scheduled or under silence."))

    class Meta:
        model = CouncilMeeting
        fields = ["id", "date", "reference", "kind", "status", "notes", "item_count", "open_count"]
        read_only_fields = fields


class CouncilMeetingDetailSerializer(serializers.ModelSerializer):
    agenda = serializers.SerializerMethodField()

    class Meta:
        model = CouncilMeeting
        fields = ["id", "date", "reference", "kind", "status", "notes", "agenda"]
        read_only_fields = fields

    @extend_schema_field(AgendaItemSerializer(many=True))
    def get_agenda(self, obj: CouncilMeeting) -> Any:
        return AgendaItemSerializer(self.context["agenda"], many=True).data


class CouncilMeetingInputSerializer(StrictInputSerializer):
    date = serializers.DateField(help_text=_("From a year ago to two years ahead."))
    reference = serializers.CharField(max_length=40, help_text=_("E.g. C-M(2026)0042."))
    kind = serializers.ChoiceField(choices=CouncilMeetingKind.choices, default=CouncilMeetingKind.REGULAR)
    notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)


class AgendaInputSerializer(StrictInputSerializer):
    requests = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=200,
        help_text=_("Ids of requests awaiting the Council, in agenda order."),
    )


class SheetInputSerializer(StrictInputSerializer):
    default_outcome = serializers.ChoiceField(choices=CouncilDecisionOutcome.choices)
    reference = serializers.CharField(max_length=60)
    conditions = serializers.CharField(required=False, allow_blank=True, default="", max_length=TEXT_MAX)
    exceptions = serializers.DictField(
        child=serializers.ChoiceField(choices=CouncilDecisionOutcome.choices),
        required=False,
        default=dict,
        help_text=_('Outcome per agenda item id that differs from the default, e.g. {"3": "deferred"}.'),
    )
    item_conditions = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=TEXT_MAX),
        required=False,
        default=dict,
        help_text=_("Conditions per agenda item id."),
    )

    def _ids(self, value: dict[str, Any]) -> dict[int, Any]:
        try:
            return {int(key): item for key, item in value.items()}
        except ValueError as exc:
            raise serializers.ValidationError(_("Keys must be agenda item ids.")) from exc

    def validate_exceptions(self, value: dict[str, Any]) -> dict[int, Any]:
        return self._ids(value)

    def validate_item_conditions(self, value: dict[str, Any]) -> dict[int, Any]:
        return self._ids(value)


class SilenceInputSerializer(StrictInputSerializer):
    items = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        allow_empty=False,
        max_length=200,
        help_text=_("Ids of scheduled agenda items of this meeting."),
    )
    deadline = serializers.DateTimeField(
        help_text=format_lazy(
            _("Silence holds until this time, at most {days} days ahead."), days=SILENCE_LONGEST.days
        )
    )


class SilenceBreakInputSerializer(StrictInputSerializer):
    delegation = serializers.CharField(max_length=120, help_text=_("The delegation that broke silence."))
    reason = serializers.CharField(max_length=TEXT_MAX)


class DecisionSheetResultSerializer(serializers.Serializer):
    decisions = CouncilDecisionSerializer(many=True, read_only=True)
