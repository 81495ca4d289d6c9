"""API representations of the activity catalogue."""

from __future__ import annotations

from rest_framework import serializers

from partners.api.serializers import CooperationAreaSerializer
from partners.models import CooperationArea
from portal.api.serializers import FastOutputMixin, FastRepresentationMixin, translated

from ..models import CatalogueItem, CatalogueItemDelivery
from ..services import CATALOGUE_ITEM_FIELDS


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


class CatalogueItemWriteSerializer(serializers.ModelSerializer):
    """One catalogue item's fields, as an administrator sets them (both languages)."""

    area: serializers.SlugRelatedField[CooperationArea] = serializers.SlugRelatedField(
        slug_field="code", queryset=CooperationArea.objects.all()
    )

    class Meta:
        model = CatalogueItem
        fields = ["id", *CATALOGUE_ITEM_FIELDS]
