"""API views that build programmes and read their history: the same selectors, permission rule and
services as the pages (programmes/builder_views.py); the lifecycle steps are in step_views.py.

A programme or activity above the user's clearance answers 404; a user who may not change it 403 (the
rule `workprogrammes.manage_programme`); a step its status does not allow 409; bad input 400. Edits
accept an optional If-Match with the ETag of the programme's (or activity's) last GET: 412 if it changed.
The views do not lock: each service locks the record once and checks the If-Match under that lock,
before it changes anything.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.api.etags import IfMatch
from portal.api.schema import IF_MATCH, errors

from .. import activity_services, builder_selectors
from ..models import WorkProgramme
from ..selectors import programme_detail
from .access import (
    activity_response,
    managed_activity,
    managed_programme,
    programme_if_match,
    visible_programme,
)
from .serializers import (
    ActivityAddSerializer,
    ActivitySerializer,
    ActivityUpdateSerializer,
    AmendmentSerializer,
    CoverageSerializer,
    ProgrammeStepSerializer,
)

# --- Building -----------------------------------------------------------------------------------


class ProgrammeActivityListView(APIView):
    """Add an activity picked from the catalogue (by amendment, with a reason, once agreed)."""

    etag_methods = ("POST",)

    @extend_schema(
        tags=["programmes"],
        summary="Add an activity to a programme",
        parameters=[IF_MATCH],
        request=ActivityAddSerializer,
        responses={201: ActivitySerializer, **errors(409, 412)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        programme = managed_programme(request, pk)
        serializer = ActivityAddSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        activity = activity_services.programme_activity_add(
            actor=request.user,
            programme=programme,
            expected_version=programme_if_match(request, required=False),
            **serializer.validated_data,
        )
        return activity_response(request, activity.pk, code=status.HTTP_201_CREATED)


class ActivityWriteMixin:
    """PATCH and DELETE of an activity (added to the read-only activity detail view)."""

    @extend_schema(
        tags=["programmes"],
        summary="Change a programme activity",
        description=str(_("Only the fields sent change; by amendment (with a reason) once agreed.")),
        parameters=[IF_MATCH],
        request=ActivityUpdateSerializer,
        responses={200: ActivitySerializer, **errors(409, 412)},
    )
    def patch(self, request: AuthenticatedRequest, pk: int) -> Response:
        activity = managed_activity(request, pk)
        serializer = ActivityUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        activity_services.programme_activity_update(
            actor=request.user,
            activity=activity,
            reason=reason,
            expected_version=IfMatch(request, required=False),
            **changes,
        )
        return activity_response(request, pk)

    @extend_schema(
        tags=["programmes"],
        summary="Remove an activity from a draft programme",
        parameters=[IF_MATCH],
        request=None,
        responses={204: None, **errors(409, 412)},
    )
    def delete(self, request: AuthenticatedRequest, pk: int) -> Response:
        activity = managed_activity(request, pk)
        activity_services.programme_activity_remove(
            actor=request.user, activity=activity, expected_version=IfMatch(request, required=False)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The programme's history and coverage --------------------------------------------------------


class ProgrammeAmendmentsView(APIView):
    """The programme's amendments, latest first, each with what it changed (the programme page's section)."""

    @extend_schema(
        tags=["programmes"],
        summary="List a programme's amendments",
        description=str(
            _(
                "An agreed or active programme is amended by changing it (PATCH the programme or an "
                "activity, or add an activity) with a `reason`; each such change is listed here."
            )
        ),
        responses={200: AmendmentSerializer(many=True)},
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        programme = visible_programme(request, pk)
        amendments = builder_selectors.programme_amendments(programme=programme, user=request.user)
        return Response(AmendmentSerializer(amendments, many=True).data)


class ProgrammeCoverageView(APIView):
    """How the activities cover the Bucharest objectives and the partner's chosen areas."""

    @extend_schema(
        tags=["programmes"], summary="Get a programme's coverage", responses={200: CoverageSerializer}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        try:
            detail = programme_detail(pk=pk, user=request.user)
        except WorkProgramme.DoesNotExist as exc:
            raise NotFound() from exc
        coverage = builder_selectors.programme_coverage(
            programme=detail.programme, activities=detail.activities
        )
        return Response(CoverageSerializer(coverage).data)


class ProgrammeTimelineView(APIView):
    """Every step of the programme and of the activities the user may see, oldest first."""

    @extend_schema(
        tags=["programmes"],
        summary="Get a programme's timeline",
        responses={200: ProgrammeStepSerializer(many=True)},
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        programme = visible_programme(request, pk)
        steps = builder_selectors.programme_timeline(programme=programme, user=request.user)
        return Response(ProgrammeStepSerializer(steps, many=True).data)
