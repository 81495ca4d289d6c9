"""API views that move programmes and activities through their lifecycles (workflow.py), one view per
step, and record an activity's outcome: the same services as the pages (programmes/lifecycle_views.py).

A step its status does not allow answers 409. Lifecycle steps require an If-Match (a strong tag): 428
without it, 412 if the record changed since; the service checks it under its lock, after the step's own
refusals. Recording an outcome accepts an optional If-Match.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.api.etags import IfMatch
from portal.api.schema import IF_MATCH, IF_MATCH_REQUIRED, errors
from portal.core.state_machine import Transition

from .. import activity_services, workflow_services
from ..models import ProgrammeActivity, WorkProgramme
from ..workflow import ACTIVITY_MACHINE, PROGRAMME_MACHINE, ActivityStep, ProgrammeStep
from .access import (
    activity_response,
    managed_activity,
    managed_programme,
    programme_if_match,
    programme_response,
    visible_activity,
)
from .serializers import (
    ActivitySerializer,
    AgreeSerializer,
    CancelActivitySerializer,
    CloseSerializer,
    OutcomeInputSerializer,
    OutcomeSerializer,
    ProgrammeDetailSerializer,
    ProposeSerializer,
    StepSerializer,
)

# What each programme step accepts; how the schema describes it is its row's (workflow.py).
PROGRAMME_STEP_SERIALIZERS: dict[str, type[Serializer[Any]]] = {
    "propose": ProposeSerializer,
    "agree": AgreeSerializer,
    "activate": StepSerializer,
    "close": CloseSerializer,
}

# What each activity step with an endpoint of its own accepts (reporting is the outcome's POST); how the
# schema describes it is its row's (workflow.py).
ACTIVITY_STEP_SERIALIZERS: dict[str, type[Serializer[Any]]] = {
    "confirm": StepSerializer,
    "hold": StepSerializer,
    "cancel": CancelActivitySerializer,
}
REPORT = ACTIVITY_MACHINE.by_action("report")


class StepView(APIView):
    """Base of a lifecycle action of a programme or an activity: one subclass per step (its row in
    workflow.py), made by `step_views`."""

    etag_methods = ("POST",)
    step: str
    serializers: ClassVar[Mapping[str, type[Serializer[Any]]]]

    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        record = self.managed(request, pk)
        serializer = self.serializers[self.step](data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        self.take(request, record, serializer.validated_data)
        return self.respond(request, pk)

    def managed(self, request: AuthenticatedRequest, pk: int) -> Any:
        """The record, if visible (else 404) and the user may change it (else 403)."""
        raise NotImplementedError

    def take(self, request: AuthenticatedRequest, record: Any, data: dict[str, Any]) -> None:
        """Take the step through its service, which locks the record and checks the required If-Match."""
        raise NotImplementedError

    def respond(self, request: AuthenticatedRequest, pk: int) -> Response:
        """The record as its GET shows it, with its ETag."""
        raise NotImplementedError


def step_views(
    base: type[StepView], transitions: Iterable[Transition], *, prefix: str, shows: type[Serializer[Any]]
) -> dict[str, type[StepView]]:
    """One view per step, named and described by its row; `shows` is what its 200 answers."""

    def view_for(transition: Transition) -> type[StepView]:
        view = type(
            f"{prefix}{transition.action.title()}View",
            (base,),
            {"step": transition.action, "__doc__": str(transition.description)},
        )
        return extend_schema(
            methods=["POST"],
            tags=["programmes"],
            summary=str(transition.summary),
            description=str(transition.description),
            parameters=[IF_MATCH_REQUIRED],
            request=base.serializers[transition.action],
            responses={200: shows, **errors(409, 412, 428)},
        )(view)

    return {transition.action: view_for(transition) for transition in transitions}


class ProgrammeStepView(StepView):
    """Base of the programme's lifecycle actions."""

    serializers = PROGRAMME_STEP_SERIALIZERS

    def managed(self, request: AuthenticatedRequest, pk: int) -> WorkProgramme:
        return managed_programme(request, pk)

    def take(self, request: AuthenticatedRequest, record: WorkProgramme, data: dict[str, Any]) -> None:
        step = ProgrammeStep(
            actor=request.user, action=self.step, expected_version=programme_if_match(request), **data
        )
        workflow_services.programme_transition(programme=record, step=step)

    def respond(self, request: AuthenticatedRequest, pk: int) -> Response:
        return programme_response(request, pk)


PROGRAMME_STEP_VIEWS = step_views(
    ProgrammeStepView, PROGRAMME_MACHINE, prefix="Programme", shows=ProgrammeDetailSerializer
)


class ActivityStepView(StepView):
    """Base of an activity's lifecycle actions."""

    serializers = ACTIVITY_STEP_SERIALIZERS

    def managed(self, request: AuthenticatedRequest, pk: int) -> ProgrammeActivity:
        return managed_activity(request, pk)

    def take(self, request: AuthenticatedRequest, record: ProgrammeActivity, data: dict[str, Any]) -> None:
        step = ActivityStep(actor=request.user, action=self.step, expected_version=IfMatch(request), **data)
        activity_services.activity_transition(activity=record, step=step)

    def respond(self, request: AuthenticatedRequest, pk: int) -> Response:
        return activity_response(request, pk)


ACTIVITY_STEP_VIEWS = step_views(
    ActivityStepView,
    ACTIVITY_MACHINE.where(ACTIVITY_STEP_SERIALIZERS),
    prefix="Activity",
    shows=ActivitySerializer,
)


class ActivityOutcomeView(APIView):
    """What came of a held activity; recording it reports the activity."""

    @extend_schema(
        tags=["programmes"], summary="Get an activity's outcome", responses={200: OutcomeSerializer}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
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
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        activity = managed_activity(request, pk)
        serializer = OutcomeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = ActivityStep(
            actor=request.user,
            action=REPORT.action,
            expected_version=IfMatch(request, required=False),
            **serializer.validated_data,
        )
        reported = activity_services.activity_transition(activity=activity, step=step)
        return Response(OutcomeSerializer(reported.outcome).data, status=status.HTTP_201_CREATED)
