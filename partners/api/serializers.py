"""API representations of partners and the record of relations with them (bilingual fields in both forms)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from operations.models import Contribution, Operation
from portal.api.serializers import FastOutputMixin, translated
from workprogrammes.programmes.models import WorkProgramme

from ..models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnershipFramework,
    Region,
)


class RegionSerializer(FastOutputMixin, serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["code", *translated("name")]
        read_only_fields = fields


class CooperationAreaSerializer(FastOutputMixin, serializers.ModelSerializer):
    class Meta:
        model = CooperationArea
        fields = ["code", *translated("name", "description")]
        read_only_fields = fields


class PartnershipFrameworkSerializer(FastOutputMixin, serializers.ModelSerializer):
    class Meta:
        model = PartnershipFramework
        fields = ["code", "kind", *translated("acronym", "name")]
        read_only_fields = fields


class PartnerSerializer(FastOutputMixin, serializers.ModelSerializer):
    """A partner as the directory lists it."""

    region = RegionSerializer(read_only=True)
    framework = PartnershipFrameworkSerializer(read_only=True)
    areas = CooperationAreaSerializer(many=True, read_only=True)
    engagement_level_label = serializers.CharField(source="get_engagement_level_display", read_only=True)

    class Meta:
        model = Partner
        fields = [
            "iso_code",
            *translated("name"),
            "region",
            "framework",
            "engagement_level",
            "engagement_level_label",
            "dialogue_since",
            "status",
            "areas",
        ]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    partner: serializers.SlugRelatedField[Partner] = serializers.SlugRelatedField(
        slug_field="iso_code", read_only=True, allow_null=True
    )

    class Meta:
        model = Milestone
        fields = ["id", "partner", "date", "date_precision", "kind", *translated("title", "description")]
        read_only_fields = fields


class DialogueMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = DialogueMeeting
        fields = ["id", "date", "kind", *translated("title"), "location", *translated("summary")]
        read_only_fields = fields


class LiaisonArrangementSerializer(serializers.ModelSerializer):
    operation: serializers.SlugRelatedField[Operation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )

    class Meta:
        model = LiaisonArrangement
        fields = [
            "id",
            "post",
            "operation",
            "officers",
            "officer_name",
            "start_date",
            "end_date",
            *translated("notes"),
        ]
        read_only_fields = fields


class PartnerContributionSerializer(serializers.ModelSerializer):
    operation: serializers.SlugRelatedField[Operation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = Contribution
        fields = ["id", "operation", "kind", "period_start", "period_end", "personnel", "amount", "currency"]
        read_only_fields = fields


class PartnerProgrammeSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkProgramme
        fields = ["id", "year", "kind", "status", "marking"]
        read_only_fields = fields


class ContributionTimelineSerializer(serializers.Serializer):
    """Contributions per year (operations.selectors.ContributionTimeline): null where a year has none."""

    years = serializers.ListField(child=serializers.IntegerField())
    personnel = serializers.DictField(
        child=serializers.ListField(child=serializers.IntegerField(allow_null=True)),
        help_text="Peak personnel per year, one list per series (operation or partner), aligned on `years`.",
    )
    funding = serializers.DictField(
        child=serializers.ListField(
            child=serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
        ),
        help_text="Amount paid per year, one list per series and currency, aligned on `years`.",
    )


class PartnerDetailSerializer(PartnerSerializer):
    """A partner's profile: its summary and every section of the profile page.

    The sections come from the profile selector, passed in the serializer context as `profile`.
    """

    timeline = serializers.SerializerMethodField()
    dialogue_meetings = serializers.SerializerMethodField()
    liaison_arrangements = serializers.SerializerMethodField()
    contributions = serializers.SerializerMethodField()
    programmes = serializers.SerializerMethodField()
    contributions_per_year = serializers.SerializerMethodField()

    class Meta(PartnerSerializer.Meta):
        fields = [
            *PartnerSerializer.Meta.fields,
            *translated("summary"),
            "timeline",
            "dialogue_meetings",
            "liaison_arrangements",
            "contributions",
            "programmes",
            "contributions_per_year",
        ]
        read_only_fields = fields

    @extend_schema_field(ContributionTimelineSerializer)
    def get_contributions_per_year(self, obj: Partner) -> Any:
        """The profile's chart data: personnel and funding per year, per operation."""
        from operations.selectors import contribution_timeline  # operations' selectors read partners'

        return ContributionTimelineSerializer(contribution_timeline(partner=obj)).data

    def _section(self, name: str, serializer_class: type[serializers.Serializer]) -> Any:
        rows = getattr(self.context["profile"], name)
        return serializer_class(rows, many=True, context=self.context).data

    @extend_schema_field(MilestoneSerializer(many=True))
    def get_timeline(self, obj: Partner) -> Any:
        """The partner's milestones merged with the Alliance-wide ones (partner null), by date."""
        return self._section("timeline", MilestoneSerializer)

    @extend_schema_field(DialogueMeetingSerializer(many=True))
    def get_dialogue_meetings(self, obj: Partner) -> Any:
        return self._section("dialogue_meetings", DialogueMeetingSerializer)

    @extend_schema_field(LiaisonArrangementSerializer(many=True))
    def get_liaison_arrangements(self, obj: Partner) -> Any:
        return self._section("liaison_arrangements", LiaisonArrangementSerializer)

    @extend_schema_field(PartnerContributionSerializer(many=True))
    def get_contributions(self, obj: Partner) -> Any:
        contributions = [
            c for series in self.context["profile"].contributions_by_operation for c in series.contributions
        ]
        return PartnerContributionSerializer(contributions, many=True, context=self.context).data

    @extend_schema_field(PartnerProgrammeSerializer(many=True))
    def get_programmes(self, obj: Partner) -> Any:
        """The partner's programmes that the user's clearance covers, newest year first."""
        return self._section("programmes", PartnerProgrammeSerializer)


# --- Writes: core fields and reference data (the admin's permissions; portal/api/records.py) --------


class RegionWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "code", "name_en", "name_fr"]


class CooperationAreaWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = CooperationArea
        fields = ["id", "code", "name_en", "name_fr", "description_en", "description_fr"]


class FrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnershipFramework
        fields = [
            "id",
            "code",
            "acronym_en",
            "acronym_fr",
            "name_en",
            "name_fr",
            "kind",
            "description_en",
            "description_fr",
        ]


class PartnerCoreSerializer(serializers.ModelSerializer):
    """A partner's core fields, as an administrator sets them (areas and engagement: /cooperation/)."""

    region: serializers.SlugRelatedField[Region] = serializers.SlugRelatedField(
        slug_field="code", queryset=Region.objects.all()
    )
    framework: serializers.SlugRelatedField[PartnershipFramework] = serializers.SlugRelatedField(
        slug_field="code", queryset=PartnershipFramework.objects.all()
    )

    class Meta:
        model = Partner
        fields = [
            "id",
            "iso_code",
            "name_en",
            "name_fr",
            "region",
            "framework",
            "dialogue_since",
            "summary_en",
            "summary_fr",
            "status",
        ]
