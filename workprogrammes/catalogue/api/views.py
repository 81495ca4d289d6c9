"""API of the catalogue import: upload a CSV or XLSX file -> preview (new, changed, invalid rows) ->
confirm (all rows or none) or discard. Administrators only (`workprogrammes.import_catalogue`); the
services are the import page's (catalogue/services.py), which check the permission again.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.accounts.models import User
from portal.api.accounts.serializers import UserRefSerializer
from portal.api.filters import SelectorFilterBackend, filter_params
from portal.api.records import record_create_response, record_update_response
from portal.api.responses import detail_response
from portal.api.serializers import StrictInputSerializer

from .. import services
from ..models import CatalogueImport, CatalogueItem, CatalogueItemKind
from ..selectors import catalogue_item_list
from .list_rows import catalogue_list_response
from .serializers import CatalogueItemSerializer, CatalogueItemWriteSerializer


class CatalogueUploadSerializer(StrictInputSerializer):
    file = serializers.FileField(
        help_text=_("CSV or XLSX, one item per row; the first row names the columns.")
    )
    deactivate_missing = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_("The file is the whole catalogue: deactivate (or remove, if unused) the items it lacks."),
    )


class CatalogueImportSerializer(serializers.ModelSerializer):
    """An uploaded file and what importing it would do (or did)."""

    uploaded_by = UserRefSerializer(read_only=True)
    summary = serializers.DictField(
        child=serializers.JSONField(),
        read_only=True,
        help_text=_("Counts, and the new, changed (field by field) and invalid rows (with line and reason)."),
    )
    can_apply = serializers.SerializerMethodField()

    class Meta:
        model = CatalogueImport
        fields = [
            "id",
            "file_name",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "deactivate_missing",
            "status",
            "applied_at",
            "summary",
            "can_apply",
        ]
        read_only_fields = fields

    def get_can_apply(self, preview: CatalogueImport) -> bool:
        """Whether confirming would write it: still a preview, and no invalid row."""
        return preview.status == CatalogueImport.Status.PREVIEWED and not preview.summary.get("invalid")


def _administrator(request: AuthenticatedRequest) -> User:
    if not request.user.has_perm("workprogrammes.import_catalogue"):
        raise PermissionDenied(_("Only administrators import the catalogue."))
    return request.user


def _preview(pk: int) -> CatalogueImport:
    found = CatalogueImport.objects.select_related("uploaded_by").filter(pk=pk).first()
    if found is None:
        raise NotFound()
    return found


class CatalogueImportListView(APIView):
    """Upload a catalogue file: nothing changes until its preview is confirmed."""

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        tags=["catalogue"],
        summary="Upload a catalogue file for preview",
        request={"multipart/form-data": CatalogueUploadSerializer},
        responses={201: CatalogueImportSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        user = _administrator(request)
        serializer = CatalogueUploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            preview = services.catalogue_import_preview(
                actor=user,
                uploaded_file=serializer.validated_data["file"],
                deactivate_missing=serializer.validated_data["deactivate_missing"],
            )
        except ValidationError as error:
            # The file's problem belongs to the file field, as on the page.
            raise serializers.ValidationError({"file": error.messages}) from error
        return Response(CatalogueImportSerializer(_preview(preview.pk)).data, status=status.HTTP_201_CREATED)


class CatalogueImportDetailView(APIView):
    """The preview of an upload: new, changed and invalid rows."""

    @extend_schema(
        tags=["catalogue"], summary="Get a catalogue import", responses={200: CatalogueImportSerializer}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        _administrator(request)
        return Response(CatalogueImportSerializer(_preview(pk)).data)


class CatalogueImportConfirmView(APIView):
    """Write a previewed import: all its rows or none (400 with the reason if it has invalid rows, was
    already applied or discarded, or the catalogue changed since the preview)."""

    @extend_schema(
        tags=["catalogue"],
        summary="Confirm a catalogue import",
        request=None,
        responses={200: CatalogueImportSerializer},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        user = _administrator(request)
        services.catalogue_import_apply(actor=user, catalogue_import=_preview(pk))
        return Response(CatalogueImportSerializer(_preview(pk)).data)


class CatalogueImportDiscardView(APIView):
    """Discard a previewed import; the catalogue is unchanged."""

    @extend_schema(
        tags=["catalogue"],
        summary="Discard a catalogue import",
        request=None,
        responses={200: CatalogueImportSerializer},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        user = _administrator(request)
        services.catalogue_import_discard(actor=user, catalogue_import=_preview(pk))
        return Response(CatalogueImportSerializer(_preview(pk)).data)


class CatalogueItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=100, help_text=_("Part of the code or the title (English or French).")
    )
    kind = django_filters.ChoiceFilter(choices=CatalogueItemKind.choices)
    area = django_filters.CharFilter(max_length=60, help_text=_("Cooperation area code."))
    needs_council_decision = django_filters.BooleanFilter()

    class Meta:
        model = CatalogueItem
        fields: list[str] = []


@extend_schema(tags=["catalogue"], summary="List catalogue items")
class CatalogueItemListView(generics.ListAPIView):
    """The activity catalogue (the menu partners choose from), by code."""

    request: AuthenticatedRequest
    serializer_class = CatalogueItemSerializer
    filter_backends = [SelectorFilterBackend]
    filterset_class = CatalogueItemFilter

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return catalogue_list_response(self, request, self.get_queryset())

    def get_queryset(self) -> QuerySet[CatalogueItem]:
        if getattr(self, "swagger_fake_view", False):
            return CatalogueItem.objects.none()
        return catalogue_item_list(user=self.request.user, **filter_params(self))

    @extend_schema(
        tags=["catalogue"],
        summary="Add a catalogue item (administrators)",
        request=CatalogueItemWriteSerializer,
        responses={201: CatalogueItemWriteSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        return record_create_response(
            request, serializer_class=CatalogueItemWriteSerializer, create=services.catalogue_item_create
        )


class CatalogueItemDetailView(APIView):
    """One catalogue item."""

    etag_methods = ("GET",)

    @extend_schema(
        tags=["catalogue"], summary="Get a catalogue item", responses={200: CatalogueItemSerializer}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        try:
            item = catalogue_item_list(user=request.user).get(pk=pk)
        except CatalogueItem.DoesNotExist as exc:
            raise NotFound() from exc
        return detail_response(CatalogueItemSerializer(item, context={"request": request}).data)

    @extend_schema(
        tags=["catalogue"],
        summary="Change a catalogue item (administrators)",
        request=CatalogueItemWriteSerializer,
        responses={200: CatalogueItemWriteSerializer},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        # The item as GET reads it: one above the user's clearance is not found, to change either.
        item = catalogue_item_list(user=request.user).filter(pk=pk).first()
        if item is None:
            raise NotFound()
        return record_update_response(
            request,
            item,
            serializer_class=CatalogueItemWriteSerializer,
            update=services.catalogue_item_update,
            record_argument="item",
        )
