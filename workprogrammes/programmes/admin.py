"""Admin of the annual work programmes, their activities and the records of their lifecycle."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.core.admin import (
    BilingualAdmin,
    BilingualTabularInline,
    WorkflowRecordAdmin,
)

from .models import (
    ActivityOutcome,
    ProgrammeActivity,
    ProgrammeAmendment,
    ProgrammeStatusChange,
    WorkProgramme,
)


class ProgrammeActivityInline(BilingualTabularInline):
    model = ProgrammeActivity
    fields = ("title", "catalogue_item", "objective", "start_date", "end_date", "place", "status", "marking")
    autocomplete_fields = ("catalogue_item",)
    extra = 0
    show_change_link = True


@admin.register(WorkProgramme)
class WorkProgrammeAdmin(BilingualAdmin):
    list_display = (
        "partner",
        "year",
        "kind",
        "status",
        "agreed_on",
        "agreement_reference",
        "activity_count",
        "marking",
    )
    list_filter = ("kind", "status", "year", "marking", "partner__region", "partner")
    list_select_related = ("partner",)
    search_fields = (
        "partner__iso_code",
        "partner__name_en",
        "partner__name_fr",
        "agreement_reference",
        "objectives_en",
        "objectives_fr",
    )
    autocomplete_fields = ("partner",)
    readonly_fields = ("created_at", "updated_at")
    inlines = (ProgrammeActivityInline,)

    def get_queryset(self, request: HttpRequest) -> QuerySet[WorkProgramme]:
        return super().get_queryset(request).annotate(activity_count=Count("activities"))

    @admin.display(description=_("activities"), ordering="activity_count")
    def activity_count(self, obj: WorkProgramme) -> int:
        return obj.activity_count  # type: ignore[attr-defined]


@admin.register(ProgrammeActivity)
class ProgrammeActivityAdmin(BilingualAdmin):
    list_display = (
        "title_en",
        "programme",
        "objective",
        "status",
        "start_date",
        "end_date",
        "place",
        "marking",
    )
    list_filter = ("status", "objective", "programme__kind", "programme__year", "marking")
    list_select_related = ("programme__partner", "catalogue_item")
    search_fields = (
        "title_en",
        "title_fr",
        "place",
        "lead",
        "catalogue_item__code",
        "programme__partner__name_en",
        "programme__partner__name_fr",
    )
    autocomplete_fields = ("programme", "catalogue_item")
    readonly_fields = ("created_at", "updated_at")
    date_hierarchy = "start_date"


@admin.register(ProgrammeStatusChange)
class ProgrammeStatusChangeAdmin(WorkflowRecordAdmin):
    list_display = ("programme", "activity", "from_status", "to_status", "actor", "at")
    list_filter = ("to_status",)
    list_select_related = ("programme__partner", "activity", "actor")
    search_fields = (
        "programme__partner__name_en",
        "programme__partner__name_fr",
        "reason",
        "actor__username",
    )
    date_hierarchy = "at"


@admin.register(ProgrammeAmendment)
class ProgrammeAmendmentAdmin(WorkflowRecordAdmin):
    list_display = ("programme", "number", "amended_by", "amended_at")
    list_select_related = ("programme__partner", "amended_by")
    search_fields = ("programme__partner__name_en", "programme__partner__name_fr", "reason")
    date_hierarchy = "amended_at"


@admin.register(ActivityOutcome)
class ActivityOutcomeAdmin(WorkflowRecordAdmin):
    list_display = ("activity", "participants", "rating", "recorded_by", "recorded_at")
    list_filter = ("rating",)
    list_select_related = ("activity", "recorded_by")
    search_fields = ("activity__title_en", "activity__title_fr", "lessons", "follow_up")
