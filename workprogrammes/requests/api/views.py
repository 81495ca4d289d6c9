"""API views of inclusion requests: list, create, read, update a draft; revisions, comments, files.
(The workflow's actions, reassigning a review and the bulk actions are in workflow_views.py.)

Every view calls the same selectors (visibility), permission rules and services as the pages. Requests
a user may not see answer 404; actions the user may not take answer 403; actions the request's status
does not allow (or no longer allows) answer 409 (workflow.TransitionNotAllowed).
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.api.etags import check_if_match
from portal.api.exceptions import register_conflict_exception
from portal.api.filters import SelectorFilterBackend, filter_params
from portal.api.pagination import CursorPagination
from portal.api.parsers import PortalJSONParser
from portal.api.responses import DownloadRenderer, detail_response
from portal.api.schema import IF_MATCH, errors

from ...council import selectors as council_selectors
from .. import selectors, services
from ..discussion_permissions import can_attach, comment_visibilities_for
from ..models import InclusionRequest, InclusionRequestStatus
from ..permissions import (
    available_transitions,
)
from ..workflow import Transition, TransitionNotAllowed
from .discussion_serializers import (
    AttachmentInputSerializer,
    AttachmentSerializer,
    CommentInputSerializer,
    CommentSerializer,
    RevisionsSerializer,
)
from .list_rows import request_list_response
from .serializers import (
    InclusionRequestCreateSerializer,
    InclusionRequestDetailSerializer,
    InclusionRequestSerializer,
    InclusionRequestUpdateSerializer,
)

register_conflict_exception(TransitionNotAllowed)

# The council's outcomes share one endpoint; every other row of the table has its own.
DECISION_SERVICE = "council_decision_record"


def action_path(action: str) -> str:
    return action.replace("_", "-")


def _action_url(inclusion_request: InclusionRequest, transition: Transition) -> str:
    suffix = "decision" if transition.service == DECISION_SERVICE else action_path(transition.action)
    return f"/api/v1/requests/{inclusion_request.pk}/{suffix}/"


def visible_request(request: AuthenticatedRequest, pk: int) -> InclusionRequest:
    """The request if the user may see it, else 404 (an officer of another desk learns nothing)."""
    found = selectors.inclusion_request_get(user=request.user, key=str(pk))
    if found is None:
        raise NotFound()
    return found


def request_detail_response(
    request: AuthenticatedRequest, inclusion_request: InclusionRequest, *, code: int = 200
) -> Response:
    user = request.user
    context = {
        "request": request,
        "actions": [
            {
                "action": t.action,
                "label": str(t.label),
                "reason_required": t.reason_required,
                "url": _action_url(inclusion_request, t),
            }
            for t in available_transitions(user, inclusion_request)
        ],
        "timeline": selectors.status_changes_of(request=inclusion_request),
        "decisions": council_selectors.decisions_of(request=inclusion_request),
        "drafted_by": selectors.drafted_for_requester_by(request=inclusion_request),
    }
    data = InclusionRequestDetailSerializer(inclusion_request, context=context).data
    return detail_response(data, obj=inclusion_request, status=code)


class RequestFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=InclusionRequestStatus.choices)
    partner = django_filters.CharFilter(max_length=2, help_text=_("Partner ISO code."))
    desk = django_filters.CharFilter(max_length=40, help_text=_("Desk code."))
    mine = django_filters.BooleanFilter(help_text=_("true: only requests you asked for or of your desks."))
    overdue = django_filters.BooleanFilter(help_text=_("true: only requests whose review is overdue."))
    q = django_filters.CharFilter(
        max_length=100,
        help_text=_(
            "Search: a reference, or words of the title, justification, mutual benefit or place "
            "(each word matches the words starting with it, in English or French)."
        ),
    )

    class Meta:
        model = InclusionRequest
        fields: list[str] = []


class RequestCursor(CursorPagination):
    ordering = ("-created_at", "-pk")


class RequestListView(generics.ListAPIView):
    """Inclusion requests the user may see (officers: their desks' only), newest first; create a draft."""

    serializer_class = InclusionRequestSerializer
    filter_backends = [SelectorFilterBackend]
    filterset_class = RequestFilter
    pagination_class = RequestCursor
    etag_methods = ("POST",)
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[InclusionRequest]:
        if getattr(self, "swagger_fake_view", False):
            return InclusionRequest.objects.none()
        return selectors.inclusion_request_list(user=self.request.user, **filter_params(self))

    @extend_schema(tags=["requests"], summary="List inclusion requests")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return request_list_response(self, request, self.filter_queryset(self.get_queryset()))

    @extend_schema(
        tags=["requests"],
        summary="Create a draft inclusion request",
        request=InclusionRequestCreateSerializer,
        responses={201: InclusionRequestDetailSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        serializer = InclusionRequestCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        created = services.inclusion_request_create(actor=request.user, **serializer.validated_data)
        return request_detail_response(request, visible_request(request, created.pk), code=201)


class RequestDetailView(APIView):
    """One inclusion request; a draft or returned request can be changed (optionally with If-Match)."""

    etag_methods = ("GET", "PATCH")

    @extend_schema(
        tags=["requests"],
        summary="Get an inclusion request",
        responses={200: InclusionRequestDetailSerializer},
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return request_detail_response(request, visible_request(request, pk))

    @extend_schema(
        tags=["requests"],
        summary="Change a draft or returned request",
        parameters=[IF_MATCH],
        request=InclusionRequestUpdateSerializer,
        responses={200: InclusionRequestDetailSerializer, **errors(409, 412)},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        inclusion_request = visible_request(request, pk)
        serializer = InclusionRequestUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        acting_for = changes.pop("acting_for", None)
        with transaction.atomic():
            locked = InclusionRequest.objects.select_for_update().get(pk=inclusion_request.pk)
            check_if_match(request, locked)
            services.inclusion_request_update(
                actor=request.user, request=locked, acting_for=acting_for, **changes
            )
        return request_detail_response(request, visible_request(request, pk))


class RevisionsView(APIView):
    """Each submitted revision of a request and what changed from one to the next."""

    @extend_schema(
        tags=["requests"], summary="List a request's revisions", responses={200: RevisionsSerializer}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        inclusion_request = visible_request(request, pk)
        data = {
            "revisions": inclusion_request.revisions.select_related("created_by").order_by("number"),
            "differences": selectors.revision_differences(request=inclusion_request),
        }
        return Response(RevisionsSerializer(data).data)


class CommentListView(APIView):
    """The comments on a request that the user may read; add one."""

    @extend_schema(
        tags=["requests"], summary="List a request's comments", responses={200: CommentSerializer(many=True)}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        inclusion_request = visible_request(request, pk)
        comments = selectors.comments_visible_to(user=request.user, request=inclusion_request)
        return Response(CommentSerializer(comments, many=True).data)

    @extend_schema(
        tags=["requests"],
        summary="Comment on a request",
        request=CommentInputSerializer,
        responses={201: CommentSerializer},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        inclusion_request = visible_request(request, pk)
        if not comment_visibilities_for(request.user, inclusion_request):
            raise PermissionDenied(_("You cannot comment on this request."))
        serializer = CommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.comment_add(
            actor=request.user, request=inclusion_request, **serializer.validated_data
        )
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class AttachmentListView(APIView):
    """The files attached to a request; upload one (multipart/form-data)."""

    parser_classes = [MultiPartParser, FormParser, PortalJSONParser]

    @extend_schema(
        tags=["requests"],
        summary="List a request's attachments",
        responses={200: AttachmentSerializer(many=True)},
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        inclusion_request = visible_request(request, pk)
        attachments = selectors.attachments_visible_to(user=request.user, request=inclusion_request)
        return Response(AttachmentSerializer(attachments, many=True).data)

    @extend_schema(
        tags=["requests"],
        summary="Attach a file to a request",
        request={"multipart/form-data": AttachmentInputSerializer},
        responses={201: AttachmentSerializer},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        inclusion_request = visible_request(request, pk)
        if not can_attach(request.user, inclusion_request):
            raise PermissionDenied(_("You cannot attach files to this request."))
        serializer = AttachmentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        attachment = services.attachment_add(
            actor=request.user,
            request=inclusion_request,
            upload=serializer.validated_data["file"],
            marking=serializer.validated_data["marking"],
        )
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)


class AttachmentDownloadView(APIView):
    """Download an attachment, always as a file to save, never shown inline."""

    renderer_classes = [JSONRenderer, DownloadRenderer]

    @extend_schema(
        tags=["requests"],
        summary="Download an attachment",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description=str(_("The file, sent with the header `Content-Disposition: attachment`.")),
            )
        },
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> FileResponse:
        attachment = selectors.attachment_get(user=request.user, pk=pk)
        if attachment is None:
            raise NotFound()
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type="application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
