"""API representations of operations and contributions."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from partners.models import Partner
from portal.api.serializers import FastOutputMixin, translated

from ..models import Contribution, Operation
from ..selectors import contribution_timeline
from ..services import OPERATION_FIELDS


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


class OperationSerializer(FastOutputMixin, serializers.ModelSerializer):
    partner_count = serializers.IntegerField(read_only=True, help_text="Number of contributing partners.")
    is_ongoing = serializers.BooleanField(read_only=True)

    class Meta:
        model = Operation
        fields = [
            "code",
            *translated("acronym", "name", "theatre"),
            "start_date",
            "end_date",
            "is_ongoing",
            "partner_count",
        ]
        read_only_fields = fields


class ContributionPartnerSerializer(FastOutputMixin, serializers.ModelSerializer):
    class Meta:
        model = Partner
        fields = ["iso_code", *translated("name")]
        read_only_fields = fields


class ContributionSerializer(FastOutputMixin, serializers.ModelSerializer):
    """One partner's contribution to one operation over one period."""

    partner = ContributionPartnerSerializer(read_only=True)
    operation: serializers.SlugRelatedField[Operation] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Contribution
        fields = [
            "id",
            "partner",
            "operation",
            "kind",
            "kind_label",
            "period_start",
            "period_end",
            "personnel",
            "amount",
            "currency",
            "planned_through_icc",
            *translated("command_arrangement", "decision_making_association", "description"),
            "source",
        ]
        read_only_fields = fields


class OperationContributionSerializer(ContributionSerializer):
    class Meta(ContributionSerializer.Meta):
        fields = [f for f in ContributionSerializer.Meta.fields if f not in ("partner", "operation")]
        read_only_fields = fields


class ContributorSerializer(serializers.Serializer):
    """A partner's contributions to the operation, period by period, with its peak and totals."""

    partner = ContributionPartnerSerializer(read_only=True)
    peak_personnel = serializers.IntegerField(read_only=True, allow_null=True)
    totals_by_currency = serializers.DictField(
        child=serializers.DecimalField(max_digits=16, decimal_places=2), read_only=True
    )
    contributions = OperationContributionSerializer(many=True, read_only=True)


class OperationDetailSerializer(serializers.ModelSerializer):
    """An operation and its contributing partners (the operation page).

    The contributors come from the detail selector, passed in the serializer context as `detail`.
    """

    is_ongoing = serializers.BooleanField(read_only=True)
    contributors = serializers.SerializerMethodField()
    contributions_per_year = serializers.SerializerMethodField()

    class Meta:
        model = Operation
        fields = [
            "code",
            *translated("acronym", "name", "theatre", "description"),
            "start_date",
            "end_date",
            "is_ongoing",
            "contributors",
            "contributions_per_year",
        ]
        read_only_fields = fields

    @extend_schema_field(ContributionTimelineSerializer)
    def get_contributions_per_year(self, obj: Operation) -> Any:
        """The operation page's chart data: personnel and funding per year, per partner."""
        return ContributionTimelineSerializer(contribution_timeline(operation=obj)).data

    @extend_schema_field(ContributorSerializer(many=True))
    def get_contributors(self, obj: Operation) -> Any:
        return ContributorSerializer(
            self.context["detail"].contributors, many=True, context=self.context
        ).data


class OperationWriteSerializer(serializers.ModelSerializer):
    """An operation's fields, as an administrator sets them (both languages)."""

    class Meta:
        model = Operation
        fields = ["id", *OPERATION_FIELDS]
