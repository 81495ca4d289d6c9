"""API views of operations and contributions, through the same selectors as the pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.api.filters import SelectorFilterBackend, filter_params
from portal.api.pagination import CursorPagination
from portal.api.records import record_create_response, record_update_response
from portal.api.responses import detail_response

from .. import services
from ..models import Contribution, ContributionKind, Operation
from ..selectors import contribution_list, operation_detail, operation_list
from .list_rows import (
    contribution_list_output,
    contribution_list_rows,
    list_response,
    operation_list_output,
    operation_list_rows,
)
from .serializers import (
    ContributionSerializer,
    OperationDetailSerializer,
    OperationSerializer,
    OperationWriteSerializer,
)


@extend_schema(tags=["operations"], summary="List operations")
class OperationListView(generics.ListAPIView):
    """Current NATO-led operations, most recent first, with their number of contributing partners."""

    serializer_class = OperationSerializer
    filter_backends: list[Any] = []

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = operation_list_rows(self.get_queryset())
        return list_response(self, request, rows, operation_list_output)

    def get_queryset(self) -> QuerySet[Operation]:
        if getattr(self, "swagger_fake_view", False):
            return Operation.objects.none()
        return operation_list()

    @extend_schema(
        tags=["operations"],
        summary="Add an operation (administrators)",
        request=OperationWriteSerializer,
        responses={201: OperationWriteSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        return record_create_response(
            request, serializer_class=OperationWriteSerializer, create=services.operation_create
        )


class OperationDetailView(APIView):
    """One operation with its contributing partners and their contributions over time."""

    etag_methods = ("GET",)

    @extend_schema(
        tags=["operations"],
        summary="Get an operation",
        parameters=[
            OpenApiParameter(
                "code", OpenApiTypes.STR, OpenApiParameter.PATH, description=_("Operation code, e.g. isaf.")
            )
        ],
        responses={200: OperationDetailSerializer},
    )
    def get(self, request: Request, code: str) -> Response:
        try:
            detail = operation_detail(code=code)
        except Operation.DoesNotExist as exc:
            raise NotFound() from exc
        context = {"request": request, "detail": detail}
        return detail_response(OperationDetailSerializer(detail.operation, context=context).data)

    @extend_schema(
        tags=["operations"],
        summary="Change an operation (administrators)",
        request=OperationWriteSerializer,
        responses={200: OperationWriteSerializer},
    )
    def patch(self, request: AuthenticatedRequest, code: str) -> Response:
        operation = Operation.objects.alive().filter(code=code).first()
        if operation is None:
            raise NotFound()
        return record_update_response(
            request,
            operation,
            serializer_class=OperationWriteSerializer,
            update=services.operation_update,
            record_argument="operation",
        )


class ContributionFilter(django_filters.FilterSet):
    partner = django_filters.CharFilter(max_length=2, help_text=_("Partner ISO code, e.g. AU."))
    operation = django_filters.CharFilter(max_length=30, help_text=_("Operation code, e.g. isaf."))
    kind = django_filters.ChoiceFilter(choices=ContributionKind.choices)
    year = django_filters.NumberFilter(
        min_value=1949, max_value=2100, help_text=_("Contributions whose period includes part of this year.")
    )

    class Meta:
        model = Contribution
        fields: list[str] = []


class ContributionCursor(CursorPagination):
    ordering = ("period_start", "pk")


@extend_schema(tags=["operations"], summary="List contributions")
class ContributionListView(generics.ListAPIView):
    """Partners' contributions to operations, period by period (cursor pagination)."""

    serializer_class = ContributionSerializer
    filter_backends = [SelectorFilterBackend]
    filterset_class = ContributionFilter
    pagination_class = ContributionCursor

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        rows = contribution_list_rows(self.get_queryset())
        return list_response(self, request, rows, contribution_list_output)

    def get_queryset(self) -> QuerySet[Contribution]:
        if getattr(self, "swagger_fake_view", False):
            return Contribution.objects.none()
        params = filter_params(self)
        if "year" in params:
            params["year"] = int(params["year"])
        return contribution_list(**params)
