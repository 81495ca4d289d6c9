"""API views that keep a partner's record current, and its history: the record pages' services, forms,
permission rule (`partners.edit_record`) and history selector (profiles/record_views.py).

Officers of the partner's desk and administrators write (others 403); an unknown partner or record is
404. Updates change only the fields sent and accept If-Match with the record's ETag (412 if stale).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from operations import services as operation_services
from operations.models import Contribution
from partners import services
from partners.api.serializers import (
    DialogueMeetingSerializer,
    LiaisonArrangementSerializer,
    MilestoneSerializer,
    PartnerSerializer,
)
from partners.models import DialogueMeeting, LiaisonArrangement, Milestone, Partner
from portal.accounts.http import AuthenticatedRequest
from portal.api.etags import check_if_match
from portal.api.pagination import PagePagination
from portal.api.responses import detail_response
from portal.api.schema import IF_MATCH, errors

from .. import record_selectors
from .record_serializers import (
    ContributionInputSerializer,
    ContributionRecordSerializer,
    CooperationInputSerializer,
    DialogueMeetingInputSerializer,
    HistoryEntrySerializer,
    LiaisonArrangementInputSerializer,
    MilestoneInputSerializer,
)

ISO_CODE = OpenApiParameter(
    "iso_code", OpenApiTypes.STR, OpenApiParameter.PATH, description=_("ISO 3166 code, e.g. JP.")
)
NOT_YOURS = _("Only officers of the partner's desk and administrators may change its record.")


def _partner(iso_code: str) -> Partner:
    try:
        return Partner.objects.alive().get(iso_code=iso_code.upper())
    except Partner.DoesNotExist as exc:
        raise NotFound() from exc


def editable_partner(request: AuthenticatedRequest, iso_code: str) -> Partner:
    """The partner (404 if unknown), if the user may keep its record (403 otherwise)."""
    partner = _partner(iso_code)
    if not request.user.has_perm("partners.edit_record", partner):
        raise PermissionDenied(NOT_YOURS)
    return partner


@dataclass(frozen=True)
class RecordKind:
    """One kind of record: its path, input and output, and its create and update services."""

    path: str
    model: type[models.Model]
    input: type[Any]
    output: type[Any]
    create: Callable[..., Any]
    update: Callable[..., Any]
    update_arg: str
    name: str


RECORD_KINDS = [
    RecordKind(
        "milestones",
        Milestone,
        MilestoneInputSerializer,
        MilestoneSerializer,
        services.milestone_create,
        services.milestone_update,
        "milestone",
        "milestone",
    ),
    RecordKind(
        "dialogue-meetings",
        DialogueMeeting,
        DialogueMeetingInputSerializer,
        DialogueMeetingSerializer,
        services.dialogue_meeting_create,
        services.dialogue_meeting_update,
        "meeting",
        "dialogue meeting",
    ),
    RecordKind(
        "liaison-arrangements",
        LiaisonArrangement,
        LiaisonArrangementInputSerializer,
        LiaisonArrangementSerializer,
        services.liaison_arrangement_create,
        services.liaison_arrangement_update,
        "arrangement",
        "liaison arrangement",
    ),
    RecordKind(
        "contributions",
        Contribution,
        ContributionInputSerializer,
        ContributionRecordSerializer,
        operation_services.contribution_create,
        operation_services.contribution_update,
        "contribution",
        "contribution",
    ),
]


class RecordCreateView(APIView):
    """Base: add a record to a partner's record (one subclass per kind)."""

    etag_methods = ("POST",)
    kind: RecordKind

    def post(self, request: AuthenticatedRequest, iso_code: str) -> Response:
        partner = editable_partner(request, iso_code)
        serializer = self.kind.input(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        record = self.kind.create(actor=request.user, partner=partner, **serializer.validated_data)
        data = self.kind.output(record, context={"request": request}).data
        return detail_response(data, obj=record, status=status.HTTP_201_CREATED)


class RecordDetailView(APIView):
    """Base: correct one of a partner's records (one subclass per kind)."""

    etag_methods = ("PATCH",)
    kind: RecordKind

    def patch(self, request: AuthenticatedRequest, iso_code: str, pk: int) -> Response:
        partner = editable_partner(request, iso_code)
        record = self.kind.model._default_manager.filter(partner=partner, pk=pk).first()
        if record is None:
            raise NotFound()
        serializer = self.kind.input(record, data=request.data, partial=True, context={"request": request})
        serializer.is_valid(raise_exception=True)
        with transaction.atomic():
            locked = self.kind.model._default_manager.select_for_update().get(pk=record.pk)
            check_if_match(request, locked)
            updated = self.kind.update(
                actor=request.user, **{self.kind.update_arg: locked}, **serializer.validated_data
            )
        data = self.kind.output(updated, context={"request": request}).data
        return detail_response(data, obj=updated)


def _record_views(kind: RecordKind) -> tuple[type[APIView], type[APIView]]:
    name = kind.model.__name__
    create = type(f"{name}CreateView", (RecordCreateView,), {"kind": kind, "__doc__": f"Add a {kind.name}."})
    detail = type(
        f"{name}DetailView", (RecordDetailView,), {"kind": kind, "__doc__": f"Correct a {kind.name}."}
    )
    create = extend_schema(
        methods=["POST"],
        tags=["partners"],
        summary=f"Add a {kind.name} to a partner's record",
        parameters=[ISO_CODE],
        request=kind.input,
        responses={201: kind.output},
    )(create)
    detail = extend_schema(
        methods=["PATCH"],
        tags=["partners"],
        summary=f"Correct a {kind.name} of a partner",
        description="Only the fields sent change.",
        parameters=[ISO_CODE, IF_MATCH],
        request=kind.input,
        responses={200: kind.output, **errors(412)},
    )(detail)
    return create, detail


RECORD_VIEWS = {kind.path: _record_views(kind) for kind in RECORD_KINDS}


class CooperationView(APIView):
    """The areas the partner chose and its engagement level."""

    @extend_schema(
        tags=["partners"],
        summary="Set a partner's chosen areas and engagement level",
        parameters=[ISO_CODE],
        request=CooperationInputSerializer,
        responses={200: PartnerSerializer},
    )
    def put(self, request: AuthenticatedRequest, iso_code: str) -> Response:
        partner = editable_partner(request, iso_code)
        serializer = CooperationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.partner_cooperation_update(actor=request.user, partner=partner, **serializer.validated_data)
        updated = Partner.objects.select_related("region", "framework").prefetch_related("areas")
        return Response(PartnerSerializer(updated.get(pk=partner.pk)).data)


@extend_schema(tags=["partners"], summary="List changes to a partner's record", parameters=[ISO_CODE])
class PartnerHistoryView(generics.ListAPIView):
    """Every change to the partner's record (the partner, areas, milestones, dialogue, liaison,
    contributions): who, when and what, newest first (the profile's History section)."""

    serializer_class = HistoryEntrySerializer
    pagination_class = PagePagination
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Partner.objects.none()
        return record_selectors.partner_history_events(partner=_partner(self.kwargs["iso_code"]))

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        entries = record_selectors.history_entries(list(page or []))
        return self.get_paginated_response(HistoryEntrySerializer(entries, many=True).data)
