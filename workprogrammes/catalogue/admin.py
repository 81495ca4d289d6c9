"""Admin of the activity catalogue and its imports."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.core.admin import (
    RetirableBilingualAdmin,
    RetiredFilter,
    WorkflowRecordAdmin,
)

from .models import CatalogueImport, CatalogueItem


@admin.register(CatalogueItem)
class CatalogueItemAdmin(RetirableBilingualAdmin):
    list_display = (
        "code",
        "title_en",
        "kind",
        "area",
        "needs_council_decision",
        "external_reference",
        "institution",
        "marking",
        "fee_eur",
        "deleted_at",
    )
    list_filter = ("kind", "needs_council_decision", "area", "delivery", "marking", RetiredFilter)
    list_select_related = ("area",)
    search_fields = (
        "code",
        "title_en",
        "title_fr",
        "description_en",
        "description_fr",
        "external_reference",
        "institution",
    )
    autocomplete_fields = ("area",)
    readonly_fields = ("created_at", "updated_at", "deleted_at")
    fieldsets = (
        (None, {"fields": ("code", "external_reference", "title", "description", "kind", "area")}),
        (_("North Atlantic Council"), {"fields": ("needs_council_decision", "exemption_reason")}),
        (
            _("Training catalogue"),
            {
                "fields": (
                    "institution",
                    "discipline",
                    "level",
                    "delivery",
                    "duration_days",
                    "languages",
                    "audience",
                    "fee_eur",
                    "marking",
                    "active_from",
                    "deactivated_on",
                )
            },
        ),
        (_("Record"), {"fields": ("created_at", "updated_at", "deleted_at")}),
    )


@admin.register(CatalogueImport)
class CatalogueImportAdmin(WorkflowRecordAdmin):
    list_display = ("file_name", "status", "uploaded_by", "uploaded_at", "applied_at", "deactivate_missing")
    list_filter = ("status", "deactivate_missing")
    list_select_related = ("uploaded_by",)
    search_fields = ("file_name", "sha256", "uploaded_by__username")
    date_hierarchy = "uploaded_at"
