"""Admin of NATO-led operations and the partners' contributions to them."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from portal.core.admin import BilingualAdmin, RetirableBilingualAdmin, RetiredFilter

from .models import Contribution, Operation


@admin.register(Operation)
class OperationAdmin(RetirableBilingualAdmin):
    list_display = ("code", "acronym_en", "name_en", "theatre_en", "start_date", "end_date", "deleted_at")
    list_filter = (("end_date", admin.EmptyFieldListFilter), RetiredFilter)
    search_fields = (
        "code",
        "acronym_en",
        "acronym_fr",
        "name_en",
        "name_fr",
        "theatre_en",
        "theatre_fr",
    )
    readonly_fields = ("created_at", "updated_at", "deleted_at")
    date_hierarchy = "start_date"


@admin.register(Contribution)
class ContributionAdmin(BilingualAdmin):
    list_display = (
        "partner",
        "operation",
        "kind",
        "period_start",
        "period_end",
        "personnel",
        "amount",
        "currency",
        "planned_through_icc",
    )
    list_filter = ("kind", "planned_through_icc", "operation", "partner__region", "partner")
    list_select_related = ("partner", "operation")
    search_fields = (
        "partner__iso_code",
        "partner__name_en",
        "partner__name_fr",
        "operation__acronym_en",
        "operation__acronym_fr",
        "operation__name_en",
        "operation__name_fr",
        "description_en",
        "description_fr",
        "source",
    )
    autocomplete_fields = ("partner", "operation")
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "period_start"
    fieldsets = (
        (None, {"fields": ("partner", "operation", "kind", "period_start", "period_end")}),
        (_("What was given"), {"fields": ("personnel", "amount", "currency", "description", "source")}),
        (
            _("Political-Military Framework"),
            {"fields": ("command_arrangement", "decision_making_association", "planned_through_icc")},
        ),
        (_("Record"), {"fields": ("created_at", "updated_at")}),
    )
