"""API views of partners: the directory and the profile, through the same selectors as the pages."""

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

from partners import services
from partners.api.serializers import (
    CooperationAreaSerializer,
    CooperationAreaWriteSerializer,
    FrameworkSerializer,
    PartnerCoreSerializer,
    PartnerSerializer,
    RegionSerializer,
    RegionWriteSerializer,
)
from partners.models import CooperationArea, Partner, PartnerEngagementLevel, PartnershipFramework, Region
from partners.selectors import (
    DIRECTORY_SORTS,
    SEARCH_MAX_LENGTH,
    directory_filter_options,
    partner_directory,
)
from portal.accounts.http import AuthenticatedRequest
from portal.api.filters import SelectorFilterBackend, filter_params
from portal.api.records import record_create_response, record_update_response
from portal.api.responses import detail_response

from ..selectors import partner_profile
from .list_rows import partner_list_response
from .serializers import PartnerDetailSerializer


class PartnerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        max_length=SEARCH_MAX_LENGTH, help_text=_("Part of the name in English or French, or the ISO code.")
    )
    region = django_filters.CharFilter(max_length=40, help_text=_("Region code."))
    engagement_level = django_filters.ChoiceFilter(choices=PartnerEngagementLevel.choices)
    area = django_filters.CharFilter(
        max_length=60, help_text=_("Code of a cooperation area the partner chose.")
    )
    ordering = django_filters.ChoiceFilter(
        choices=[(key, key) for sort in DIRECTORY_SORTS for key in (sort, f"-{sort}")],
        help_text=_("Sort key; prefix with '-' for descending order. Default: name."),
    )

    class Meta:
        model = Partner
        fields: list[str] = []


@extend_schema(tags=["partners"], summary="List partners")
class PartnerListView(generics.ListAPIView):
    """Current partners, searched by name in both languages, filtered and sorted like the directory."""

    serializer_class = PartnerSerializer
    filter_backends = [SelectorFilterBackend]
    filterset_class = PartnerFilter

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return partner_list_response(self, request, self.get_queryset())

    def get_queryset(self) -> QuerySet[Partner]:
        if getattr(self, "swagger_fake_view", False):
            return Partner.objects.none()
        params = filter_params(self)
        if "ordering" in params:
            params["sort"] = params.pop("ordering")
        return partner_directory(**params)

    @extend_schema(
        tags=["partners"],
        summary="Add a partner (administrators)",
        request=PartnerCoreSerializer,
        responses={201: PartnerCoreSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        return record_create_response(
            request, serializer_class=PartnerCoreSerializer, create=services.partner_create
        )


class PartnerDetailView(APIView):
    """One partner's profile: summary, areas, timeline, dialogue, liaison, contributions, programmes."""

    etag_methods = ("GET",)

    @extend_schema(
        tags=["partners"],
        summary="Get a partner's profile",
        parameters=[
            OpenApiParameter(
                "iso_code", OpenApiTypes.STR, OpenApiParameter.PATH, description=_("ISO 3166 code, e.g. JP.")
            )
        ],
        responses={200: PartnerDetailSerializer},
    )
    def get(self, request: AuthenticatedRequest, iso_code: str) -> Response:
        try:
            profile = partner_profile(iso_code=iso_code, user=request.user)
        except Partner.DoesNotExist as exc:
            raise NotFound() from exc
        context: dict[str, Any] = {"request": request, "profile": profile}
        return detail_response(PartnerDetailSerializer(profile.partner, context=context).data)

    @extend_schema(
        tags=["partners"],
        summary="Change a partner's core fields (administrators)",
        request=PartnerCoreSerializer,
        responses={200: PartnerCoreSerializer},
    )
    def patch(self, request: AuthenticatedRequest, iso_code: str) -> Response:
        partner = Partner.objects.alive().filter(iso_code=iso_code.upper()).first()
        if partner is None:
            raise NotFound()
        return record_update_response(
            request,
            partner,
            serializer_class=PartnerCoreSerializer,
            update=services.partner_update,
            record_argument="partner",
        )


@extend_schema(tags=["reference data"], summary="List regions")
class RegionListView(generics.ListAPIView):
    """Every region (the values of the partners' `region` filter)."""

    serializer_class = RegionSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Region.objects.none()
        return directory_filter_options().regions

    @extend_schema(
        tags=["reference data"],
        summary="Add a region (administrators)",
        request=RegionWriteSerializer,
        responses={201: RegionWriteSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        return record_create_response(
            request, serializer_class=RegionWriteSerializer, create=services.region_create
        )


@extend_schema(tags=["reference data"], summary="List cooperation areas")
class CooperationAreaListView(generics.ListAPIView):
    """Every area of cooperation (the values of the partners' `area` and the catalogue's `area` filters)."""

    serializer_class = CooperationAreaSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return CooperationArea.objects.none()
        return directory_filter_options().areas

    @extend_schema(
        tags=["reference data"],
        summary="Add a cooperation area (administrators)",
        request=CooperationAreaWriteSerializer,
        responses={201: CooperationAreaWriteSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        return record_create_response(
            request, serializer_class=CooperationAreaWriteSerializer, create=services.cooperation_area_create
        )


def _reference_detail_view(
    model: type[Any], serializer_class: Any, update: Any, argument: str, noun: str
) -> type[APIView]:
    """GET and PATCH of one reference record, found by its code."""

    class View(APIView):
        etag_methods = ("GET",)

        def _get(self, code: str) -> Any:
            record = model.objects.filter(code=code).first()
            if record is None:
                raise NotFound()
            return record

        @extend_schema(tags=["reference data"], summary=f"Get a {noun}", responses={200: serializer_class})
        def get(self, request: AuthenticatedRequest, code: str) -> Response:
            return detail_response(serializer_class(self._get(code)).data)

        @extend_schema(
            tags=["reference data"],
            summary=f"Change a {noun} (administrators)",
            request=serializer_class,
            responses={200: serializer_class},
        )
        def patch(self, request: AuthenticatedRequest, code: str) -> Response:
            return record_update_response(
                request,
                self._get(code),
                serializer_class=serializer_class,
                update=update,
                record_argument=argument,
            )

    View.__name__ = View.__qualname__ = f"{model.__name__}DetailView"
    View.__doc__ = f"One {noun}, by code; administrators change it."
    return View


RegionDetailView = _reference_detail_view(
    Region, RegionWriteSerializer, services.region_update, "region", "region"
)
CooperationAreaDetailView = _reference_detail_view(
    CooperationArea,
    CooperationAreaWriteSerializer,
    services.cooperation_area_update,
    "area",
    "cooperation area",
)
FrameworkDetailView = _reference_detail_view(
    PartnershipFramework, FrameworkSerializer, services.framework_update, "framework", "partnership framework"
)


@extend_schema(tags=["reference data"], summary="List partnership frameworks")
class FrameworkListView(generics.ListAPIView):
    """Every partnership framework (the Contact Countries and the formal partnerships kept for context)."""

    serializer_class = FrameworkSerializer
    filter_backends: list[Any] = []
    pagination_class = None

    def get_queryset(self) -> Any:
        return PartnershipFramework.objects.order_by("code")

    @extend_schema(
        tags=["reference data"],
        summary="Add a partnership framework (administrators)",
        request=FrameworkSerializer,
        responses={201: FrameworkSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        return record_create_response(
            request, serializer_class=FrameworkSerializer, create=services.framework_create
        )
