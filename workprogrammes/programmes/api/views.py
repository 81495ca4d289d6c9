"""API views of the catalogue, the work programmes and their activities."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.api.filters import SelectorFilterBackend, filter_params
from portal.api.pagination import CursorPagination
from portal.api.responses import detail_response
from portal.api.schema import IF_MATCH, errors

from .. import services, start_services
from ..models import Objective, ProgrammeActivity, ProgrammeActivityStatus, WorkProgramme, WorkProgrammeStatus
from ..selectors import activity_list, programme_list
from .access import managed_programme, programme_if_match, programme_response
from .builder_views import ActivityWriteMixin
from .list_rows import activity_list_response, programme_list_response
from .serializers import (
    ActivitySerializer,
    ProgrammeCreateSerializer,
    ProgrammeDetailSerializer,
    ProgrammeSerializer,
    ProgrammeUpdateSerializer,
)


def _year(**kwargs: Any) -> django_filters.NumberFilter:
    return django_filters.NumberFilter(min_value=1990, max_value=2100, **kwargs)


class ProgrammeFilter(django_filters.FilterSet):
    partner = django_filters.CharFilter(max_length=2, help_text=_("Partner ISO code, e.g. JP."))
    year = _year()
    status = django_filters.ChoiceFilter(choices=WorkProgrammeStatus.choices)

    class Meta:
        model = WorkProgramme
        fields: list[str] = []


class ProgrammeListView(generics.ListAPIView):
    """Work programmes your clearance covers, newest year first; start one (empty or copied)."""

    request: AuthenticatedRequest
    serializer_class = ProgrammeSerializer
    filter_backends = [SelectorFilterBackend]
    filterset_class = ProgrammeFilter
    etag_methods = ("POST",)

    @extend_schema(tags=["programmes"], summary="List work programmes")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return programme_list_response(self, request, self.get_queryset())

    @extend_schema(
        tags=["programmes"],
        summary="Start a work programme",
        description=str(
            _("A draft for a partner of your desks and a year: empty, or copied from the previous year's.")
        ),
        request=ProgrammeCreateSerializer,
        responses={201: ProgrammeDetailSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        if not request.user.has_perm("workprogrammes.start_programme"):
            raise PermissionDenied(_("Only officers of a desk and administrators may start a programme."))
        serializer = ProgrammeCreateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if data.pop("start") == ProgrammeCreateSerializer.COPY:
            programme = start_services.programme_copy_from_previous(
                actor=request.user, partner=data["partner"], year=data["year"]
            )
        else:
            programme = start_services.programme_create(actor=request.user, **data)
        return programme_response(request, programme.pk, code=201)

    def get_queryset(self) -> QuerySet[WorkProgramme]:
        if getattr(self, "swagger_fake_view", False):
            return WorkProgramme.objects.none()
        params = filter_params(self)
        if "year" in params:
            params["year"] = int(params["year"])
        return programme_list(user=self.request.user, **params)


class ProgrammeDetailView(APIView):
    """One work programme with its activities and its coverage of the Bucharest objectives; change it."""

    etag_methods = ("GET", "PATCH")

    @extend_schema(
        tags=["programmes"], summary="Get a work programme", responses={200: ProgrammeDetailSerializer}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return programme_response(request, pk)

    @extend_schema(
        tags=["programmes"],
        summary="Change a work programme",
        description=str(
            _("Kind, objectives, marking: freely while draft, by amendment (with a reason) once agreed.")
        ),
        parameters=[IF_MATCH],
        request=ProgrammeUpdateSerializer,
        responses={200: ProgrammeDetailSerializer, **errors(409, 412)},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        programme = managed_programme(request, pk)
        serializer = ProgrammeUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        services.programme_update(
            actor=request.user,
            programme=programme,
            reason=reason,
            expected_version=programme_if_match(request, required=False),
            **changes,
        )
        return programme_response(request, pk)


class ActivityFilter(django_filters.FilterSet):
    partner = django_filters.CharFilter(max_length=2, help_text=_("Partner ISO code, e.g. JP."))
    programme = django_filters.NumberFilter(min_value=1, help_text=_("Programme id."))
    year = _year(help_text=_("Programme year."))
    status = django_filters.ChoiceFilter(choices=ProgrammeActivityStatus.choices)
    objective = django_filters.ChoiceFilter(choices=Objective.choices)
    catalogue_item = django_filters.NumberFilter(min_value=1, help_text=_("Catalogue item id."))
    starts_from = django_filters.DateFilter(help_text=_("Activities starting on or after this date."))
    starts_until = django_filters.DateFilter(help_text=_("Activities starting on or before this date."))

    class Meta:
        model = ProgrammeActivity
        fields: list[str] = []


class ActivityCursor(CursorPagination):
    ordering = ("start_date", "pk")


@extend_schema(tags=["programmes"], summary="List programme activities")
class ActivityListView(generics.ListAPIView):
    """Programme activities your clearance covers, by start date (cursor pagination)."""

    request: AuthenticatedRequest
    serializer_class = ActivitySerializer
    filter_backends = [SelectorFilterBackend]
    filterset_class = ActivityFilter
    pagination_class = ActivityCursor

    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return activity_list_response(self, request, self.filter_queryset(self.get_queryset()))

    def get_queryset(self) -> QuerySet[ProgrammeActivity]:
        if getattr(self, "swagger_fake_view", False):
            return ProgrammeActivity.objects.none()
        params = filter_params(self)
        for name in ("programme", "year", "catalogue_item"):
            if name in params:
                params[name] = int(params[name])
        return activity_list(user=self.request.user, **params)


class ActivityDetailView(ActivityWriteMixin, APIView):
    """One programme activity; change it, or remove it from a draft programme."""

    etag_methods = ("GET", "PATCH")

    @extend_schema(
        tags=["programmes"], summary="Get a programme activity", responses={200: ActivitySerializer}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        try:
            activity = activity_list(user=request.user).get(pk=pk)
        except ProgrammeActivity.DoesNotExist as exc:
            raise NotFound() from exc
        return detail_response(ActivitySerializer(activity, context={"request": request}).data, obj=activity)
