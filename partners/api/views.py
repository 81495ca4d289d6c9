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

from portal.api.filters import SelectorFilterBackend, filter_params
from portal.api.responses import detail_response

from ..models import CooperationArea, Partner, PartnerEngagementLevel, Region
from ..selectors import (
    DIRECTORY_SORTS,
    SEARCH_MAX_LENGTH,
    directory_filter_options,
    partner_directory,
    partner_profile,
)
from .serializers import (
    CooperationAreaSerializer,
    PartnerDetailSerializer,
    PartnerSerializer,
    RegionSerializer,
)


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

    def get_queryset(self) -> QuerySet[Partner]:
        if getattr(self, "swagger_fake_view", False):
            return Partner.objects.none()
        params = filter_params(self)
        if "ordering" in params:
            params["sort"] = params.pop("ordering")
        return partner_directory(**params)


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
    def get(self, request: Request, iso_code: str) -> Response:
        try:
            profile = partner_profile(iso_code=iso_code, user=request.user)
        except Partner.DoesNotExist as exc:
            raise NotFound() from exc
        context: dict[str, Any] = {"request": request, "profile": profile}
        return detail_response(PartnerDetailSerializer(profile.partner, context=context).data)


@extend_schema(tags=["reference data"], summary="List regions")
class RegionListView(generics.ListAPIView):
    """Every region (the values of the partners' `region` filter)."""

    serializer_class = RegionSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return Region.objects.none()
        return directory_filter_options().regions


@extend_schema(tags=["reference data"], summary="List cooperation areas")
class CooperationAreaListView(generics.ListAPIView):
    """Every area of cooperation (the values of the partners' `area` and the catalogue's `area` filters)."""

    serializer_class = CooperationAreaSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return CooperationArea.objects.none()
        return directory_filter_options().areas
