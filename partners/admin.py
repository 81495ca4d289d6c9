"""Admin of the partners app: reference data (regions, frameworks, areas) and the record of relations."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.core.admin import BilingualAdmin, RetirableBilingualAdmin, RetiredFilter, WorkflowRecordAdmin

from .models import (
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnerAreaChange,
    PartnershipFramework,
    Region,
)


@admin.register(Region)
class RegionAdmin(BilingualAdmin):
    list_display = ("code", "name_en", "name_fr", "partner_count")
    search_fields = ("code", "name_en", "name_fr")

    def get_queryset(self, request: HttpRequest) -> QuerySet[Region]:
        return super().get_queryset(request).annotate(partner_count=Count("partners"))

    @admin.display(description=_("partners"), ordering="partner_count")
    def partner_count(self, obj: Region) -> int:
        return obj.partner_count  # type: ignore[attr-defined]


@admin.register(PartnershipFramework)
class PartnershipFrameworkAdmin(BilingualAdmin):
    list_display = ("code", "acronym_en", "acronym_fr", "name_en", "name_fr", "kind")
    list_filter = ("kind",)
    search_fields = ("code", "acronym_en", "acronym_fr", "name_en", "name_fr")


@admin.register(CooperationArea)
class CooperationAreaAdmin(BilingualAdmin):
    list_display = ("code", "name_en", "name_fr")
    search_fields = ("code", "name_en", "name_fr", "description_en", "description_fr")


@admin.register(Partner)
class PartnerAdmin(RetirableBilingualAdmin):
    list_display = (
        "iso_code",
        "name_en",
        "name_fr",
        "region",
        "engagement_level",
        "dialogue_since",
        "status",
        "deleted_at",
    )
    list_filter = ("region", "framework", "engagement_level", "status", "areas", RetiredFilter)
    list_select_related = ("region", "framework")
    search_fields = ("iso_code", "name_en", "name_fr")
    autocomplete_fields = ("region", "framework")
    filter_horizontal = ("areas",)
    readonly_fields = ("created_at", "updated_at", "deleted_at")
    fieldsets = (
        (None, {"fields": ("iso_code", "name", "region", "framework", "status")}),
        (_("Relations"), {"fields": ("engagement_level", "dialogue_since", "areas", "summary")}),
        (_("Record"), {"fields": ("created_at", "updated_at", "deleted_at")}),
    )


@admin.register(Milestone)
class MilestoneAdmin(BilingualAdmin):
    list_display = ("date", "date_precision", "kind", "title_en", "partner")
    list_filter = ("kind", "date_precision", ("partner", admin.EmptyFieldListFilter), "partner")
    list_select_related = ("partner",)
    search_fields = (
        "title_en",
        "title_fr",
        "description_en",
        "description_fr",
        "partner__name_en",
        "partner__name_fr",
    )
    autocomplete_fields = ("partner",)
    date_hierarchy = "date"


@admin.register(DialogueMeeting)
class DialogueMeetingAdmin(BilingualAdmin):
    list_display = ("date", "kind", "title_en", "partner", "location")
    list_filter = ("kind", "partner__region", "partner")
    list_select_related = ("partner",)
    search_fields = (
        "title_en",
        "title_fr",
        "summary_en",
        "summary_fr",
        "location",
        "partner__name_en",
        "partner__name_fr",
    )
    autocomplete_fields = ("partner",)
    date_hierarchy = "date"


@admin.register(LiaisonArrangement)
class LiaisonArrangementAdmin(BilingualAdmin):
    list_display = ("partner", "post", "operation", "officers", "officer_name", "start_date", "end_date")
    list_filter = ("post", ("end_date", admin.EmptyFieldListFilter), "operation", "partner")
    list_select_related = ("partner", "operation")
    search_fields = (
        "partner__name_en",
        "partner__name_fr",
        "officer_name",
        "notes_en",
        "notes_fr",
        "operation__acronym_en",
        "operation__acronym_fr",
    )
    autocomplete_fields = ("partner", "operation")
    date_hierarchy = "start_date"


@admin.register(PartnerAreaChange)
class PartnerAreaChangeAdmin(WorkflowRecordAdmin):
    """Written by the service that changes a partner's chosen areas: the admin shows them."""

    list_display = ("partner", "area", "chosen", "actor", "at")
    list_filter = ("chosen", "area")
    list_select_related = ("partner", "area", "actor")
    search_fields = ("partner__name_en", "partner__name_fr", "area__name_en", "area__name_fr")
    date_hierarchy = "at"
