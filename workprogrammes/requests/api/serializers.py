"""API representations of inclusion requests, their timeline, comments, attachments and the Council's work.

Output and input serializers are separate: outputs describe a request as people read it; inputs accept
only what a person may write, and refuse the rest with a reason (status and decisions change only
through the workflow's actions).
"""

from __future__ import annotations

from typing import Any

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.models import Partner
from portal.api.accounts.serializers import ActingForField, UserRefSerializer
from portal.api.serializers import FastRepresentationMixin, StrictInputSerializer
from portal.core.models import Marking

from ...catalogue.api.serializers import CatalogueItemRefSerializer
from ...catalogue.models import CatalogueItem
from ...catalogue.selectors import catalogue_item_list
from ...council.models import (
    CouncilDecision,
)
from ...programmes.api.serializers import PartnerRefSerializer
from ...programmes.models import ProgrammeActivity
from ...programmes.selectors import activity_list
from ..models import (
    CASE_TEXT_MAX_LENGTH,
    CASE_TEXT_MIN_LENGTH,
    InclusionRequest,
    StatusChange,
)

WORKFLOW_ONLY = _(
    "The status changes only through the workflow's actions, e.g. POST /api/v1/requests/{id}/submit/."
)
DECISION_ONLY = _(
    "Council decisions are recorded with POST /api/v1/requests/{id}/decision/ or a decision sheet."
)
READ_ONLY = _("This field is read-only.")
# Longest free text accepted for notes, conditions and reasons.
TEXT_MAX = 4000


class ActivityRefSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    class Meta:
        model = ProgrammeActivity
        fields = ["id", "title", "title_en", "title_fr", "start_date", "end_date", "place"]
        read_only_fields = fields


class InclusionRequestSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """An inclusion request as lists show it."""

    partner = PartnerRefSerializer(read_only=True)
    desk = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    programme_activity = ActivityRefSerializer(read_only=True, allow_null=True)
    catalogue_item = CatalogueItemRefSerializer(read_only=True, allow_null=True)
    activity_title = serializers.CharField(read_only=True)
    activity_start = serializers.DateField(read_only=True, allow_null=True)
    activity_end = serializers.DateField(read_only=True, allow_null=True)
    activity_place = serializers.CharField(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = UserRefSerializer(read_only=True)
    reviewer = UserRefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = InclusionRequest
        fields = [
            "id",
            "reference",
            "partner",
            "desk",
            "programme_activity",
            "catalogue_item",
            "activity_title",
            "activity_start",
            "activity_end",
            "activity_place",
            "title",
            "start_date",
            "end_date",
            "place",
            "status",
            "status_label",
            "revision",
            "needs_council_decision",
            "requested_by",
            "reviewer",
            "submitted_at",
            "due_at",
            "decided_at",
            "marking",
            "releasability",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class StatusChangeSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True, help_text=_("Empty when the portal acted."))
    acting_for = UserRefSerializer(read_only=True, allow_null=True)
    reviewer_from = UserRefSerializer(
        read_only=True, allow_null=True, help_text=_("On a reassignment: the previous reviewer, if any.")
    )
    reviewer_to = UserRefSerializer(
        read_only=True,
        allow_null=True,
        help_text=_("On a reassignment (status unchanged): the new reviewer."),
    )

    class Meta:
        model = StatusChange
        fields = [
            "from_status",
            "to_status",
            "actor",
            "acting_for",
            "at",
            "reason",
            "revision",
            "reviewer_from",
            "reviewer_to",
        ]
        read_only_fields = fields


class CouncilDecisionSerializer(serializers.ModelSerializer):
    meeting = serializers.SlugRelatedField(  # type: ignore[var-annotated]
        slug_field="reference", read_only=True, allow_null=True
    )
    recorded_by = UserRefSerializer(read_only=True, allow_null=True)
    outside_meeting = serializers.BooleanField(
        read_only=True, help_text=_("Recorded outside a Council meeting; `outside_meeting_reason` says why.")
    )

    class Meta:
        model = CouncilDecision
        fields = [
            "id",
            "outcome",
            "reference",
            "conditions",
            "meeting",
            "recorded_by",
            "recorded_at",
            "is_final",
            "outside_meeting",
            "outside_meeting_reason",
        ]
        read_only_fields = fields


class ActionSerializer(serializers.Serializer):
    action = serializers.CharField(read_only=True)
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    reason_required = serializers.BooleanField(read_only=True)
    url = serializers.CharField(read_only=True, help_text=_("Where to POST to take the action."))


class InclusionRequestDetailSerializer(InclusionRequestSerializer):
    """A request with its texts, its timeline, the Council's decisions and the actions you may take now.

    `actions` and `timeline` come from the serializer context (`actions`, `timeline`, `decisions`,
    `drafted_by`).
    """

    submitted_by = UserRefSerializer(read_only=True, allow_null=True)
    drafted_by = serializers.SerializerMethodField(
        help_text=_("The delegate who started the draft for its requester (`requested_by`), if any.")
    )
    actions = serializers.SerializerMethodField()
    timeline = serializers.SerializerMethodField()
    decisions = serializers.SerializerMethodField()

    class Meta(InclusionRequestSerializer.Meta):
        fields = [
            *InclusionRequestSerializer.Meta.fields,
            "justification",
            "mutual_benefit",
            "submitted_by",
            "drafted_by",
            "actions",
            "timeline",
            "decisions",
        ]
        read_only_fields = fields

    @extend_schema_field(UserRefSerializer(allow_null=True))
    def get_drafted_by(self, obj: InclusionRequest) -> Any:
        drafted_by = self.context.get("drafted_by")
        return UserRefSerializer(drafted_by).data if drafted_by is not None else None

    @extend_schema_field(ActionSerializer(many=True))
    def get_actions(self, obj: InclusionRequest) -> Any:
        """The workflow actions the signed-in user may take on the request now."""
        return ActionSerializer(self.context["actions"], many=True).data

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_timeline(self, obj: InclusionRequest) -> Any:
        """Every status change, oldest first."""
        return StatusChangeSerializer(self.context["timeline"], many=True).data

    @extend_schema_field(CouncilDecisionSerializer(many=True))
    def get_decisions(self, obj: InclusionRequest) -> Any:
        return CouncilDecisionSerializer(self.context["decisions"], many=True).data


class _RequestFieldsInput(StrictInputSerializer):
    """The fields an officer writes on a request (create and update)."""

    refused_fields = {
        **{name: READ_ONLY for name in InclusionRequestDetailSerializer.Meta.fields},
        "status": WORKFLOW_ONLY,
        "status_label": WORKFLOW_ONLY,
        "decision": DECISION_ONLY,
        "decisions": DECISION_ONLY,
        "outcome": DECISION_ONLY,
    }

    partner = serializers.SlugRelatedField(
        slug_field="iso_code",
        queryset=Partner.objects.none(),
        help_text=_("ISO code of a partner on your desk."),
    )
    programme_activity = serializers.PrimaryKeyRelatedField(  # type: ignore[var-annotated]
        queryset=ProgrammeActivity.objects.none(),
        allow_null=True,
        required=False,
        help_text=_("Either a programme activity of the partner's programme..."),
    )
    catalogue_item = serializers.PrimaryKeyRelatedField(
        queryset=CatalogueItem.objects.none(),
        allow_null=True,
        required=False,
        help_text=_("...or a catalogue item with dates and place."),
    )
    title = serializers.CharField(max_length=250, required=False, allow_blank=True)
    start_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text=_("With a catalogue item: from a year ago to five years ahead."),
    )
    end_date = serializers.DateField(
        required=False, allow_null=True, help_text=_("On or after the start date, at most two years later.")
    )
    place = serializers.CharField(max_length=120, required=False, allow_blank=True)
    justification = serializers.CharField(
        min_length=CASE_TEXT_MIN_LENGTH,
        max_length=CASE_TEXT_MAX_LENGTH,
        help_text=format_lazy(
            _("Why the partner should take part: {low} to {high} characters."),
            low=CASE_TEXT_MIN_LENGTH,
            high=CASE_TEXT_MAX_LENGTH,
        ),
    )
    mutual_benefit = serializers.CharField(
        min_length=CASE_TEXT_MIN_LENGTH,
        max_length=CASE_TEXT_MAX_LENGTH,
        help_text=format_lazy(
            _("Statement of mutual benefit and reciprocity: {low} to {high} characters."),
            low=CASE_TEXT_MIN_LENGTH,
            high=CASE_TEXT_MAX_LENGTH,
        ),
    )
    marking = serializers.ChoiceField(choices=Marking.choices, required=False)
    releasability = serializers.CharField(max_length=200, required=False, allow_blank=True)
    acting_for = ActingForField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:  # the schema generator's instance
            return
        user = request.user
        # What the user may name is what the same selectors let them see.
        related: dict[str, Any] = {
            "partner": Partner.objects.alive(),
            "programme_activity": activity_list(user=user),
            "catalogue_item": catalogue_item_list(user=user),
        }
        for name, queryset in related.items():
            self.fields[name].queryset = queryset  # type: ignore[attr-defined]


class InclusionRequestCreateSerializer(_RequestFieldsInput):
    """A new draft request: name the activity either by programme activity or by catalogue item."""


class InclusionRequestUpdateSerializer(_RequestFieldsInput):
    """Changes to a draft or returned request; send only the fields to change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
