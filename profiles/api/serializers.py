"""The partner profile's output: the partner's summary and every section of its profile page."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from operations.api.serializers import ContributionTimelineSerializer
from operations.models import Contribution, Operation
from operations.selectors import contribution_timeline
from partners.api.serializers import (
    DialogueMeetingSerializer,
    LiaisonArrangementSerializer,
    MilestoneSerializer,
    PartnerSerializer,
)
from partners.models import Partner
from portal.api.serializers import translated
from workprogrammes.programmes.models import WorkProgramme


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
