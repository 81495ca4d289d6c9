"""API representations of the activity catalogue, the work programmes and their activities."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.api.serializers import CooperationAreaSerializer
from partners.models import CooperationArea, Partner
from portal.api.serializers import FastOutputMixin, FastRepresentationMixin, translated

from ..models import CatalogueItem, CatalogueItemDelivery, ProgrammeActivity, WorkProgramme
from ..services import CATALOGUE_ITEM_FIELDS


class PartnerRefSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["iso_code", *translated("name")]
        read_only_fields = fields


class CatalogueItemSerializer(FastOutputMixin, serializers.ModelSerializer):
    """An activity of the cooperation menu; says whether including a partner needs a NAC decision."""

    area = CooperationAreaSerializer(read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    # Declared so that the schema's enum includes the blank value "not stated".
    delivery = serializers.ChoiceField(
        choices=CatalogueItemDelivery.choices, allow_blank=True, read_only=True
    )

    class Meta:
        model = CatalogueItem
        fields = [
            "id",
            "code",
            *translated("title", "description"),
            "kind",
            "kind_label",
            "area",
            "needs_council_decision",
            *translated("exemption_reason"),
            "external_reference",
            "institution",
            "discipline",
            "level",
            "delivery",
            "duration_days",
            "languages",
            "active_from",
            "deactivated_on",
            "marking",
            "audience",
            "fee_eur",
        ]
        read_only_fields = fields


class CatalogueItemRefSerializer(FastRepresentationMixin, serializers.ModelSerializer):
    class Meta:
        model = CatalogueItem
        fields = ["id", "code", *translated("title"), "needs_council_decision"]
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


class CatalogueItemWriteSerializer(serializers.ModelSerializer):
    """One catalogue item's fields, as an administrator sets them (both languages)."""

    area: serializers.SlugRelatedField[CooperationArea] = serializers.SlugRelatedField(
        slug_field="code", queryset=CooperationArea.objects.all()
    )

    class Meta:
        model = CatalogueItem
        fields = ["id", *CATALOGUE_ITEM_FIELDS]
