"""Admin of inclusion requests and the records of their workflow."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from portal.accounts.models import User
from portal.core.admin import (
    WorkflowRecordAdmin,
)

from .discussion_models import Attachment, Comment
from .models import InclusionRequest, RequestRevision, StatusChange
from .selectors import inclusion_request_visible_to

# The approval workflow: its records change only through the workflow's services, so the admin shows them.
_REQUEST_TITLE = ("request__programme_activity", "request__catalogue_item")


class RequestScopedAdmin(WorkflowRecordAdmin):
    """Records of a request, listed only where the admin user may see the request (the request page's
    rule, requests/selectors.py: inclusion_request_visible_to; a superuser's clearance counts too)."""

    request_path = "request"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        user = request.user
        assert isinstance(user, User)  # the admin site lets in signed-in staff only
        visible = inclusion_request_visible_to(user=user)
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
