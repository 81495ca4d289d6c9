"""Admin of the Council's meetings, agenda items and decisions."""

from __future__ import annotations

from django.contrib import admin

from portal.core.admin import (
    WorkflowRecordAdmin,
)

from ..requests.admin import _REQUEST_TITLE, RequestScopedAdmin
from .models import AgendaItem, CouncilDecision, CouncilMeeting


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
