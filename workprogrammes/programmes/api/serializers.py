"""API inputs and outputs of the programme builder and lifecycle (the services are in programmes/).

Inputs mirror the pages' forms (programmes/forms.py): the same fields, the same choices (markings up to
the user's clearance, partners of the user's desks, catalogue items on the menu); the services check the
rest (status, period, amendment reason) and their errors come back as 400 or 409.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.models import Partner
from portal.api.accounts.serializers import UserRefSerializer
from portal.api.serializers import FastOutputMixin, FastRepresentationMixin, StrictInputSerializer, translated
from portal.core.models import Marking

from ...catalogue.api.serializers import CatalogueItemRefSerializer
from ...catalogue.models import CatalogueItem
from ...requests.models import CASE_TEXT_MAX_LENGTH
from .. import builder_selectors
from ..models import (
    ActivityOutcome,
    Objective,
    ProgrammeActivity,
    ProgrammeStatusChange,
    WorkProgramme,
    WorkProgrammeKind,
)

REASON_HELP = _("An agreed or active programme changes only by amendment: say why (required then).")
MARKING_HELP = _("Up to your own clearance.")


class _MarkingField(serializers.ChoiceField):
    """A marking the user may put on a record: up to their clearance (as the pages' marking choices)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", MARKING_HELP)
        super().__init__(choices=Marking.choices, **kwargs)

    def to_internal_value(self, data: Any) -> Any:
        value = int(super().to_internal_value(data))
        request = self.context.get("request")
        if request is not None and value > request.user.clearance:
            self.fail("invalid_choice", input=data)
        return value


class ProgrammeCreateSerializer(StrictInputSerializer):
    """Start a programme: empty, or copied from the partner's previous year (dates moved one year on)."""

    EMPTY, COPY = "empty", "copy"

    partner: serializers.SlugRelatedField[Partner] = serializers.SlugRelatedField(
        slug_field="iso_code",
        queryset=Partner.objects.none(),
        help_text=_("ISO code of a partner of your desks (any partner for administrators)."),
    )
    year = serializers.IntegerField(min_value=1990, max_value=2100)
    start = serializers.ChoiceField(
        choices=[(EMPTY, _("An empty programme")), (COPY, _("Last year's programme"))],
        default=EMPTY,
        help_text=_("copy: last year's objectives, kind, marking and activities are taken over."),
    )
    kind = serializers.ChoiceField(choices=WorkProgrammeKind.choices, default=WorkProgrammeKind.ITCP)
    objectives_en = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    objectives_fr = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    marking = _MarkingField(default=Marking.NATO_UNCLASSIFIED)
    releasability = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            partner_field: Any = self.fields["partner"]
            partner_field.queryset = builder_selectors.partners_for_new_programmes(user=request.user)


class ProgrammeUpdateSerializer(StrictInputSerializer):
    kind = serializers.ChoiceField(choices=WorkProgrammeKind.choices, required=False)
    objectives_en = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    objectives_fr = serializers.CharField(required=False, allow_blank=True, max_length=10000)
    marking = _MarkingField(required=False)
    releasability = serializers.CharField(required=False, allow_blank=True, max_length=200)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000, help_text=REASON_HELP
    )


class _ActivityFields(StrictInputSerializer):
    title_en = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=250, help_text=_("Empty: the item's title.")
    )
    title_fr = serializers.CharField(required=False, allow_blank=True, default="", max_length=250)
    objective = serializers.ChoiceField(choices=Objective.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    lead = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
    marking = _MarkingField(required=False, help_text=_("Up to your clearance; default: the programme's."))
    releasability = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=4000, help_text=REASON_HELP
    )


class ActivityAddSerializer(_ActivityFields):
    """An activity picked from the catalogue menu (current items within your clearance)."""

    catalogue_item = serializers.PrimaryKeyRelatedField(queryset=CatalogueItem.objects.none())
    justification = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=CASE_TEXT_MAX_LENGTH,
        help_text=_("When amending with an item that needs a council decision: the inclusion request's."),
    )
    mutual_benefit = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=CASE_TEXT_MAX_LENGTH
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            item_field: Any = self.fields["catalogue_item"]
            item_field.queryset = builder_selectors.catalogue_menu(user=request.user)


class ActivityUpdateSerializer(_ActivityFields):
    """Change an activity: only the fields sent change."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.required = False
            if name != "reason":
                # No defaults: a field left out keeps its value.
                field.default = serializers.empty


class ProposeSerializer(StrictInputSerializer):
    justification = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=CASE_TEXT_MAX_LENGTH,
        help_text=_("Why the partner should take part; written into each inclusion request created."),
    )
    mutual_benefit = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=CASE_TEXT_MAX_LENGTH
    )


class AgreeSerializer(StrictInputSerializer):
    agreed_on = serializers.DateField()
    agreement_reference = serializers.CharField(max_length=80)


class StepSerializer(StrictInputSerializer):
    """A step that needs nothing but the request (activate; confirm or hold an activity)."""


class CloseSerializer(StrictInputSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=4000)


class CancelActivitySerializer(StrictInputSerializer):
    reason = serializers.CharField(max_length=4000, help_text=_("Why the activity is cancelled."))


class OutcomeInputSerializer(StrictInputSerializer):
    participants = serializers.IntegerField(min_value=0, max_value=1_000_000)
    rating = serializers.IntegerField(min_value=1, max_value=5, help_text=_("1 (poor) to 5 (excellent)."))
    lessons = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)
    follow_up = serializers.CharField(required=False, allow_blank=True, default="", max_length=10000)


class OutcomeSerializer(serializers.ModelSerializer):
    recorded_by = UserRefSerializer(read_only=True)

    class Meta:
        model = ActivityOutcome
        fields = ["participants", "rating", "lessons", "follow_up", "recorded_by", "recorded_at"]
        read_only_fields = fields


class FieldChangeSerializer(serializers.Serializer):
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    old = serializers.CharField(read_only=True)
    new = serializers.CharField(read_only=True)


class ActivityChangeSerializer(serializers.Serializer):
    title = serializers.CharField(read_only=True)
    change = serializers.ChoiceField(choices=["added", "removed", "changed"], read_only=True)
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    fields = FieldChangeSerializer(many=True, read_only=True)  # type: ignore[assignment]


class AmendmentSerializer(serializers.Serializer):
    """One amendment (builder_selectors.AmendmentDifference): why, who, when, and what changed."""

    number = serializers.IntegerField(source="amendment.number", read_only=True)
    reason = serializers.CharField(source="amendment.reason", read_only=True)
    amended_by = UserRefSerializer(source="amendment.amended_by", read_only=True)
    amended_at = serializers.DateTimeField(source="amendment.amended_at", read_only=True)
    programme_fields = FieldChangeSerializer(many=True, read_only=True)
    activities = ActivityChangeSerializer(many=True, read_only=True)
    hidden_activities = serializers.IntegerField(
        read_only=True, help_text=_("Changed activities marked above your clearance (not shown).")
    )


class ObjectiveCoverageRowSerializer(serializers.Serializer):
    objective = serializers.CharField(read_only=True)
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    activity_count = serializers.IntegerField(read_only=True)
    is_missing = serializers.BooleanField(read_only=True)


class AreaCoverageRowSerializer(serializers.Serializer):
    area = serializers.CharField(source="area.code", read_only=True)
    name = serializers.CharField(source="area.name", read_only=True)
    activity_count = serializers.IntegerField(read_only=True)
    is_missing = serializers.BooleanField(read_only=True)


class CoverageSerializer(serializers.Serializer):
    """How many activities support each Bucharest objective and each area the partner chose."""

    objectives = ObjectiveCoverageRowSerializer(many=True, read_only=True)
    areas = AreaCoverageRowSerializer(many=True, read_only=True)
    outside_chosen_areas = serializers.IntegerField(read_only=True)
    missing_count = serializers.IntegerField(read_only=True)


class ProgrammeStepSerializer(serializers.ModelSerializer):
    actor = UserRefSerializer(read_only=True, allow_null=True)
    activity = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)  # type: ignore[var-annotated]

    class Meta:
        model = ProgrammeStatusChange
        fields = ["id", "activity", "from_status", "to_status", "actor", "at", "reason"]
        read_only_fields = fields


class PartnerRefSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["iso_code", *translated("name")]
        read_only_fields = fields


class ProgrammeSerializer(FastOutputMixin, serializers.ModelSerializer):
    """A partner's annual programme of cooperation (ITCP, IPCP or ITPP)."""

    partner = PartnerRefSerializer(read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    activity_count = serializers.IntegerField(read_only=True, help_text="Activities your clearance covers.")

    class Meta:
        model = WorkProgramme
        fields = [
            "id",
            "partner",
            "year",
            "kind",
            "status",
            "status_label",
            "agreed_on",
            "agreement_reference",
            "marking",
            "releasability",
            "activity_count",
        ]
        read_only_fields = fields


class ActivitySerializer(FastRepresentationMixin, serializers.ModelSerializer):
    """An activity of a programme, with the catalogue item it comes from."""

    programme: serializers.PrimaryKeyRelatedField[WorkProgramme] = serializers.PrimaryKeyRelatedField(
        read_only=True
    )
    partner = PartnerRefSerializer(source="programme.partner", read_only=True)
    year = serializers.IntegerField(source="programme.year", read_only=True)
    catalogue_item = CatalogueItemRefSerializer(read_only=True, allow_null=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = ProgrammeActivity
        fields = [
            "id",
            "programme",
            "partner",
            "year",
            "catalogue_item",
            *translated("title"),
            "objective",
            "start_date",
            "end_date",
            "place",
            "lead",
            "status",
            "status_label",
            "marking",
            "releasability",
        ]
        read_only_fields = fields


class ProgrammeActivityInlineSerializer(ActivitySerializer):
    class Meta(ActivitySerializer.Meta):
        fields = [f for f in ActivitySerializer.Meta.fields if f not in ("programme", "partner", "year")]
        read_only_fields = fields


class ObjectiveCoverageSerializer(serializers.Serializer):
    objective = serializers.CharField(read_only=True)
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    activity_count = serializers.IntegerField(read_only=True)
    is_missing = serializers.BooleanField(read_only=True, help_text="No activity supports this objective.")


class ProgrammeDetailSerializer(ProgrammeSerializer):
    """A programme with its objectives text, its activities and its coverage of the Bucharest objectives.

    Activities and coverage come from the detail selector, passed in the serializer context as `detail`.
    """

    activity_count = None  # type: ignore[assignment]
    activities = serializers.SerializerMethodField()
    coverage = serializers.SerializerMethodField()

    class Meta(ProgrammeSerializer.Meta):
        fields = [
            *(f for f in ProgrammeSerializer.Meta.fields if f != "activity_count"),
            *translated("objectives"),
            "activities",
            "coverage",
        ]
        read_only_fields = fields

    @extend_schema_field(ProgrammeActivityInlineSerializer(many=True))
    def get_activities(self, obj: WorkProgramme) -> Any:
        """The programme's activities your clearance covers, by start date."""
        return ProgrammeActivityInlineSerializer(
            self.context["detail"].activities, many=True, context=self.context
        ).data

    @extend_schema_field(ObjectiveCoverageSerializer(many=True))
    def get_coverage(self, obj: WorkProgramme) -> Any:
        return ObjectiveCoverageSerializer(self.context["detail"].coverage, many=True).data
