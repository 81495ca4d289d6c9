"""Admin of the activity catalogue and the annual work programmes with their activities."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from portal.core.admin import (
    BilingualAdmin,
    BilingualTabularInline,
    RetirableBilingualAdmin,
    RetiredFilter,
    WorkflowRecordAdmin,
)

from .models import (
    ActivityOutcome,
    AgendaItem,
    Attachment,
    CatalogueImport,
    CatalogueItem,
    Comment,
    CouncilDecision,
    CouncilMeeting,
    InclusionRequest,
    ProgrammeActivity,
    ProgrammeAmendment,
    ProgrammeStatusChange,
    RequestRevision,
    StatusChange,
    WorkProgramme,
)
from .request_selectors import inclusion_request_visible_to


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


# Programme lifecycle records: written by the programme services (append-only), so the admin shows them.


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


@admin.register(CatalogueImport)
class CatalogueImportAdmin(WorkflowRecordAdmin):
    list_display = ("file_name", "status", "uploaded_by", "uploaded_at", "applied_at", "deactivate_missing")
    list_filter = ("status", "deactivate_missing")
    list_select_related = ("uploaded_by",)
    search_fields = ("file_name", "sha256", "uploaded_by__username")
    date_hierarchy = "uploaded_at"


# The approval workflow: its records change only through the workflow's services, so the admin shows them.
_REQUEST_TITLE = ("request__programme_activity", "request__catalogue_item")


class RequestScopedAdmin(WorkflowRecordAdmin):
    """Records of a request, listed only where the admin user may see the request (the request page's
    rule, request_selectors.inclusion_request_visible_to; a superuser's clearance counts too)."""

    request_path = "request"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        visible = inclusion_request_visible_to(user=request.user)
        if self.request_path == "pk":
            return super().get_queryset(request).filter(pk__in=visible.values("pk"))
        return super().get_queryset(request).filter(**{f"{self.request_path}__in": visible.values("pk")})


@admin.register(InclusionRequest)
class InclusionRequestAdmin(RequestScopedAdmin):
    request_path = "pk"
    list_display = (
        "reference",
        "partner",
        "status",
        "revision",
        "requested_by",
        "desk",
        "needs_council_decision",
        "submitted_at",
        "decided_at",
    )
    list_filter = ("status", "needs_council_decision", "desk", "partner")
    list_select_related = ("partner", "desk", "requested_by", "programme_activity", "catalogue_item")
    search_fields = (
        "reference",
        "title",
        "justification",
        "partner__name_en",
        "partner__name_fr",
        "requested_by__username",
    )
    date_hierarchy = "created_at"


@admin.register(RequestRevision)
class RequestRevisionAdmin(RequestScopedAdmin):
    list_display = ("request", "number", "created_by", "created_at")
    list_select_related = (*_REQUEST_TITLE, "created_by")
    search_fields = ("request__reference",)


@admin.register(StatusChange)
class StatusChangeAdmin(RequestScopedAdmin):
    list_display = ("request", "from_status", "to_status", "actor", "acting_for", "at", "revision")
    list_filter = ("to_status", "from_status")
    list_select_related = (*_REQUEST_TITLE, "actor", "acting_for")
    search_fields = ("request__reference", "reason", "actor__username")
    date_hierarchy = "at"


@admin.register(Comment)
class CommentAdmin(RequestScopedAdmin):
    list_display = ("request", "author", "visibility", "created_at", "marking")
    list_filter = ("visibility", "marking")
    list_select_related = (*_REQUEST_TITLE, "author")
    search_fields = ("request__reference", "body", "author__username")


@admin.register(Attachment)
class AttachmentAdmin(RequestScopedAdmin):
    # No link to the file: attachments are downloaded through the request page, which checks permission.
    fields = (
        "request",
        "original_name",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "marking",
    )
    list_display = ("original_name", "request", "content_type", "size", "uploaded_by", "uploaded_at")
    list_filter = ("content_type", "marking")
    list_select_related = (*_REQUEST_TITLE, "uploaded_by")
    search_fields = ("original_name", "request__reference", "sha256")


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(WorkflowRecordAdmin):
    list_display = ("reference", "date", "kind", "status")
    list_filter = ("kind", "status")
    search_fields = ("reference", "notes")
    date_hierarchy = "date"


@admin.register(AgendaItem)
class AgendaItemAdmin(RequestScopedAdmin):
    list_display = ("meeting", "position", "request", "status", "silence_deadline", "silence_broken_by")
    list_filter = ("status",)
    list_select_related = ("meeting", *_REQUEST_TITLE)
    search_fields = ("meeting__reference", "request__reference", "silence_broken_by")


@admin.register(CouncilDecision)
class CouncilDecisionAdmin(RequestScopedAdmin):
    list_display = ("request", "outcome", "is_final", "reference", "meeting", "recorded_by", "recorded_at")
    list_filter = ("outcome", "is_final")
    list_select_related = (*_REQUEST_TITLE, "meeting", "recorded_by")
    search_fields = ("reference", "request__reference", "conditions")
    date_hierarchy = "recorded_at"
