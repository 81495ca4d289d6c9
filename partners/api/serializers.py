"""API representations of partners and the record of relations with them (bilingual fields in both forms)."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from portal.api.serializers import FastOutputMixin, translated

from ..models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnershipFramework,
    Region,
)
from ..services import COOPERATION_AREA_FIELDS, FRAMEWORK_FIELDS, PARTNER_CORE_FIELDS, REGION_FIELDS


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
    # An operations.Operation, by its code (operations stands above partners: no import of its models here).
    operation: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
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


# --- Writes: core fields and reference data (the admin's permissions; portal/api/records.py) --------


class RegionWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", *REGION_FIELDS]


class CooperationAreaWriteSerializer(serializers.ModelSerializer):
    class Meta:
        model = CooperationArea
        fields = ["id", *COOPERATION_AREA_FIELDS]


class FrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnershipFramework
        fields = ["id", *FRAMEWORK_FIELDS]


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
        fields = ["id", *PARTNER_CORE_FIELDS]
