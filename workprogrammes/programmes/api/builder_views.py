"""API views that build and run programmes: the same selectors, permission rule and services as the pages
(programmes/builder_views.py).

A programme or activity above the user's clearance answers 404; a user who may not change it 403 (the
rule `workprogrammes.manage_programme`); a step its status does not allow 409; bad input 400. Edits
accept an optional If-Match with the ETag of the programme's (or activity's) last GET: 412 if it changed.
Lifecycle steps require it (a strong tag): 428 without it, 412 if it changed. The views do not lock: each
service locks the record once and checks the If-Match under that lock (an edit's before it changes anything,
a step's after its own refusals).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.models import User
from portal.api.etags import IfMatch, etag_for
from portal.api.schema import IF_MATCH, IF_MATCH_REQUIRED, errors
from portal.core.state_machine import Transition

from .. import activity_services, builder_selectors, workflow_services
from ..models import ProgrammeActivity, WorkProgramme
from ..selectors import ProgrammeDetail, activity_list, programme_detail
from ..workflow import ACTIVITY_MACHINE, PROGRAMME_MACHINE, ActivityStep, ProgrammeStep
from .serializers import (
    ActivityAddSerializer,
    ActivitySerializer,
    ActivityUpdateSerializer,
    AgreeSerializer,
    AmendmentSerializer,
    CancelActivitySerializer,
    CloseSerializer,
    CoverageSerializer,
    OutcomeInputSerializer,
    OutcomeSerializer,
    ProgrammeDetailSerializer,
    ProgrammeStepSerializer,
    ProposeSerializer,
    StepSerializer,
)

NOT_YOURS = _("Only officers of the partner's desk and administrators may change its programme.")


def _user(request: Request) -> User:
    return request.user  # type: ignore[return-value]  # the permission class guarantees a user


# --- Reading, with the page's visibility and permission ------------------------------------------


def visible_programme(request: Request, pk: int) -> WorkProgramme:
    """The programme if the user's clearance covers it, else 404 (the page's programme_for_user)."""
    try:
        return builder_selectors.programme_for_user(pk=pk, user=request.user)
    except WorkProgramme.DoesNotExist as exc:
        raise NotFound() from exc


def managed_programme(request: Request, pk: int) -> WorkProgramme:
    """The programme, if visible (else 404) and the user may change it (else 403)."""
    programme = visible_programme(request, pk)
    if not request.user.has_perm("workprogrammes.manage_programme", programme):
        raise PermissionDenied(NOT_YOURS)
    return programme


def visible_activity(request: Request, pk: int) -> ProgrammeActivity:
    """The activity if the clearance covers it and its programme, else 404."""
    try:
        return activity_list(user=request.user).get(pk=pk, programme__partner__deleted_at__isnull=True)
    except ProgrammeActivity.DoesNotExist as exc:
        raise NotFound() from exc


def managed_activity(request: Request, pk: int) -> ProgrammeActivity:
    activity = visible_activity(request, pk)
    if not request.user.has_perm("workprogrammes.manage_programme", activity.programme):
        raise PermissionDenied(NOT_YOURS)
    return activity


def programme_version(detail: ProgrammeDetail) -> str:
    """The programme's ETag: its own version and each visible activity's, so any change gives a new tag."""
    parts = [etag_for(detail.programme), *(etag_for(activity) for activity in detail.activities)]
    return '"' + hashlib.sha256(",".join(parts).encode()).hexdigest()[:32] + '"'


def programme_response(request: Request, pk: int, *, code: int = 200) -> Response:
    """The programme as GET /programmes/{id}/ shows it, with its ETag."""
    try:
        detail = programme_detail(pk=pk, user=request.user)
    except WorkProgramme.DoesNotExist as exc:
        raise NotFound() from exc
    context = {"request": request, "detail": detail}
    response = Response(ProgrammeDetailSerializer(detail.programme, context=context).data, status=code)
    response["ETag"] = programme_version(detail)
    return response


def activity_response(request: Request, pk: int, *, code: int = 200) -> Response:
    activity = visible_activity(request, pk)
    response = Response(ActivitySerializer(activity, context={"request": request}).data, status=code)
    response["ETag"] = etag_for(activity)
    return response


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
    def post(self, request: Request, pk: int) -> Response:
        programme = managed_programme(request, pk)
        serializer = ActivityAddSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        activity = activity_services.programme_activity_add(
            actor=_user(request),
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
    def patch(self, request: Request, pk: int) -> Response:
        activity = managed_activity(request, pk)
        serializer = ActivityUpdateSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        reason = changes.pop("reason", "")
        activity_services.programme_activity_update(
            actor=_user(request),
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
    def delete(self, request: Request, pk: int) -> Response:
        activity = managed_activity(request, pk)
        activity_services.programme_activity_remove(
            actor=_user(request), activity=activity, expected_version=IfMatch(request, required=False)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- The programme's lifecycle ------------------------------------------------------------------

# What each programme step accepts; how the schema describes it is its row's (workflow.py).
PROGRAMME_STEP_SERIALIZERS: dict[str, type[Any]] = {
    "propose": ProposeSerializer,
    "agree": AgreeSerializer,
    "activate": StepSerializer,
    "close": CloseSerializer,
}


def programme_if_match(request: Request, *, required: bool = True) -> IfMatch:
    """If-Match against the programme's tag as this user sees it (its own version and its activities'):
    required on its lifecycle's steps, optional on edits."""
    return IfMatch(
        request,
        version=lambda locked: programme_version(programme_detail(pk=locked.pk, user=request.user)),
        required=required,
    )


class ProgrammeStepView(APIView):
    """Base of the programme's lifecycle actions: one subclass per step."""

    etag_methods = ("POST",)
    step: str

    def post(self, request: Request, pk: int) -> Response:
        programme = managed_programme(request, pk)
        serializer = PROGRAMME_STEP_SERIALIZERS[self.step](data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        step = ProgrammeStep(
            actor=_user(request),
            action=self.step,
            expected_version=programme_if_match(request),
            **serializer.validated_data,
        )
        workflow_services.programme_transition(programme=programme, step=step)
        return programme_response(request, pk)


def _programme_step_view(transition: Transition) -> type[ProgrammeStepView]:
    view = type(
        f"Programme{transition.action.title()}View",
        (ProgrammeStepView,),
        {"step": transition.action, "__doc__": str(transition.description)},
    )
    return extend_schema(
        methods=["POST"],
        tags=["programmes"],
        summary=str(transition.summary),
        description=str(transition.description),
        parameters=[IF_MATCH_REQUIRED],
        request=PROGRAMME_STEP_SERIALIZERS[transition.action],
        responses={200: ProgrammeDetailSerializer, **errors(409, 412, 428)},
    )(view)


PROGRAMME_STEP_VIEWS = {t.action: _programme_step_view(t) for t in PROGRAMME_MACHINE}


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
    def get(self, request: Request, pk: int) -> Response:
        programme = visible_programme(request, pk)
        amendments = builder_selectors.programme_amendments(programme=programme, user=request.user)
        return Response(AmendmentSerializer(amendments, many=True).data)


class ProgrammeCoverageView(APIView):
    """How the activities cover the Bucharest objectives and the partner's chosen areas."""

    @extend_schema(
        tags=["programmes"], summary="Get a programme's coverage", responses={200: CoverageSerializer}
    )
    def get(self, request: Request, pk: int) -> Response:
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
    def get(self, request: Request, pk: int) -> Response:
        programme = visible_programme(request, pk)
        steps = builder_selectors.programme_timeline(programme=programme, user=request.user)
        return Response(ProgrammeStepSerializer(steps, many=True).data)


# --- Running the activities ---------------------------------------------------------------------

# What each activity step with an endpoint of its own accepts (reporting is the outcome's POST); how the
# schema describes it is its row's (workflow.py).
ACTIVITY_STEP_SERIALIZERS: dict[str, type[Any]] = {
    "confirm": StepSerializer,
    "hold": StepSerializer,
    "cancel": CancelActivitySerializer,
}
REPORT = ACTIVITY_MACHINE.by_action("report")


class ActivityStepView(APIView):
    """Base of an activity's lifecycle actions: one subclass per step."""

    etag_methods = ("POST",)
    step: str

    def post(self, request: Request, pk: int) -> Response:
        activity = managed_activity(request, pk)
        serializer = ACTIVITY_STEP_SERIALIZERS[self.step](data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        step = ActivityStep(
            actor=_user(request),
            action=self.step,
            expected_version=IfMatch(request),
            **serializer.validated_data,
        )
        activity_services.activity_transition(activity=activity, step=step)
        return activity_response(request, pk)


def _activity_step_view(transition: Transition) -> type[ActivityStepView]:
    view = type(
        f"Activity{transition.action.title()}View",
        (ActivityStepView,),
        {"step": transition.action, "__doc__": str(transition.description)},
    )
    return extend_schema(
        methods=["POST"],
        tags=["programmes"],
        summary=str(transition.summary),
        description=str(transition.description),
        parameters=[IF_MATCH_REQUIRED],
        request=ACTIVITY_STEP_SERIALIZERS[transition.action],
        responses={200: ActivitySerializer, **errors(409, 412, 428)},
    )(view)


ACTIVITY_STEP_VIEWS = {
    t.action: _activity_step_view(t) for t in ACTIVITY_MACHINE.where(ACTIVITY_STEP_SERIALIZERS)
}


class ActivityOutcomeView(APIView):
    """What came of a held activity; recording it reports the activity."""

    @extend_schema(
        tags=["programmes"], summary="Get an activity's outcome", responses={200: OutcomeSerializer}
    )
    def get(self, request: Request, pk: int) -> Response:
        activity = visible_activity(request, pk)
        try:
            outcome = activity.outcome
        except ProgrammeActivity.outcome.RelatedObjectDoesNotExist as exc:
            raise NotFound(_("No outcome is recorded for this activity yet.")) from exc
        return Response(OutcomeSerializer(outcome).data)

    @extend_schema(
        tags=["programmes"],
        summary=str(REPORT.summary),
        description=str(REPORT.description),
        parameters=[IF_MATCH],
        request=OutcomeInputSerializer,
        responses={201: OutcomeSerializer, **errors(409, 412)},
    )
    def post(self, request: Request, pk: int) -> Response:
        activity = managed_activity(request, pk)
        serializer = OutcomeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = ActivityStep(
            actor=_user(request),
            action=REPORT.action,
            expected_version=IfMatch(request, required=False),
            **serializer.validated_data,
        )
        reported = activity_services.activity_transition(activity=activity, step=step)
        return Response(OutcomeSerializer(reported.outcome).data, status=status.HTTP_201_CREATED)
