"""API views of the North Atlantic Council's work: meetings, agendas, decision sheets, silence procedure.

As on the Council pages, all of it is the council secretaries' (the services check it again). The writes
on a meeting's agenda (adding requests, the decision sheet, starting and breaking silence) move requests
along the workflow, so, like a request's own workflow actions, they require If-Match with the strong
ETag of the meeting as the secretary last read it (GET /council/meetings/{id}/, its agenda included):
a sheet never decides an item its secretary has not seen on the agenda.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.api.etags import IfMatch
from portal.api.pagination import CursorPagination
from portal.api.responses import content_etag, detail_response
from portal.api.schema import IF_MATCH_REQUIRED, errors

from ...requests import selectors
from ...requests.api.serializers import InclusionRequestDetailSerializer, InclusionRequestSerializer
from ...requests.api.views import request_detail_response, visible_request
from ...requests.models import InclusionRequest
from ...requests.workflow import DECISION_ACTIONS
from ...workflow_steps import RequestStep, request_step
from .. import decision_services, silence_services
from .. import selectors as council_selectors
from .. import services as council_services
from ..models import AgendaItem, CouncilMeeting
from .serializers import (
    AgendaInputSerializer,
    AgendaItemSerializer,
    CouncilMeetingDetailSerializer,
    CouncilMeetingInputSerializer,
    CouncilMeetingSerializer,
    DecisionInputSerializer,
    DecisionSheetResultSerializer,
    RescheduleInputSerializer,
    SheetInputSerializer,
    SilenceBreakInputSerializer,
    SilenceInputSerializer,
)


def _require_secretary(request: AuthenticatedRequest) -> None:
    """The same rule as the Council pages: meetings and agendas are the council secretaries'."""
    if not request.user.has_perm("workprogrammes.manage_council"):
        raise PermissionDenied(_("The Council's meetings are for council secretaries."))


def _meeting(request: AuthenticatedRequest, pk: int) -> CouncilMeeting:
    try:
        return council_selectors.council_meeting_list(user=request.user).get(pk=pk)
    except CouncilMeeting.DoesNotExist as exc:
        raise NotFound() from exc


def _meeting_data(request: AuthenticatedRequest, meeting: CouncilMeeting) -> Any:
    # The agenda lists only the requests this user may see.
    agenda = council_selectors.agenda_of(meeting=meeting, user=request.user)
    return CouncilMeetingDetailSerializer(meeting, context={"request": request, "agenda": agenda}).data


def _meeting_response(request: AuthenticatedRequest, meeting: CouncilMeeting, *, code: int = 200) -> Response:
    """The meeting with its agenda; its ETag is the one a write on the agenda must send in If-Match."""
    return detail_response(_meeting_data(request, meeting), status=code)


def _meeting_version(request: AuthenticatedRequest) -> IfMatch:
    """If-Match for a write on a meeting's agenda, required: the meeting's ETag as this user read it (its
    agenda lists only the requests they may see). The service locks the meeting and checks it, after the
    write's own refusals (portal/api/etags.py)."""
    return IfMatch(
        request, version=lambda meeting: content_etag(_meeting_data(request, _meeting(request, meeting.pk)))
    )


class MeetingListView(generics.ListAPIView):
    """Council meetings: the planned ones first (soonest first), then the held ones; plan a new one."""

    request: AuthenticatedRequest

    serializer_class = CouncilMeetingSerializer
    filter_backends: list[Any] = []
    etag_methods = ("POST",)

    def get_queryset(self) -> QuerySet[CouncilMeeting]:
        if getattr(self, "swagger_fake_view", False):
            return CouncilMeeting.objects.none()
        _require_secretary(self.request)
        return council_selectors.council_meeting_list(user=self.request.user)

    @extend_schema(tags=["council"], summary="List council meetings")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["council"],
        summary="Plan a council meeting",
        request=CouncilMeetingInputSerializer,
        responses={201: CouncilMeetingDetailSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        _require_secretary(request)
        serializer = CouncilMeetingInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        meeting = council_services.council_meeting_create(actor=request.user, **serializer.validated_data)
        return _meeting_response(request, _meeting(request, meeting.pk), code=201)


class MeetingDetailView(APIView):
    """A council meeting with its agenda."""

    etag_methods = ("GET",)

    @extend_schema(
        tags=["council"], summary="Get a council meeting", responses={200: CouncilMeetingDetailSerializer}
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        _require_secretary(request)
        return _meeting_response(request, _meeting(request, pk))


class AgendaCandidateCursor(CursorPagination):
    ordering = ("submitted_at", "pk")


class AgendaCandidatesView(generics.ListAPIView):
    """Requests a secretary can put on an agenda: awaiting the Council on no open agenda, or deferred."""

    request: AuthenticatedRequest

    serializer_class = InclusionRequestSerializer
    filter_backends: list[Any] = []
    # Requests are a large collection: cursor pages, like the request list (same component in the schema).
    pagination_class = AgendaCandidateCursor

    def get_queryset(self) -> QuerySet[InclusionRequest]:
        if getattr(self, "swagger_fake_view", False):
            return InclusionRequest.objects.none()
        _require_secretary(self.request)
        return council_selectors.requests_for_agenda(user=self.request.user)

    @extend_schema(tags=["council"], summary="List requests that can go on an agenda")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class AgendaView(APIView):
    """Add requests to a planned meeting's agenda, after its current items (all or none)."""

    etag_methods = ("POST",)

    @extend_schema(
        tags=["council"],
        summary="Add requests to a meeting's agenda",
        parameters=[IF_MATCH_REQUIRED],
        request=AgendaInputSerializer,
        responses={200: CouncilMeetingDetailSerializer, **errors(409, 412, 428)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        _require_secretary(request)
        meeting = _meeting(request, pk)
        serializer = AgendaInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["requests"]
        requests = list(selectors.inclusion_request_visible_to(user=request.user).filter(pk__in=ids))
        missing = sorted(set(ids) - {r.pk for r in requests})
        if missing:
            raise ValidationError({"requests": [_("No such request: %(ids)s.") % {"ids": missing}]})
        order = {request_id: index for index, request_id in enumerate(ids)}
        requests.sort(key=lambda r: order[r.pk])
        council_services.agenda_build(
            actor=request.user, meeting=meeting, requests=requests, expected_version=_meeting_version(request)
        )
        return _meeting_response(request, _meeting(request, pk))


class DecisionSheetView(APIView):
    """Record a meeting's decision sheet: one outcome for every scheduled item, with per-item exceptions."""

    @extend_schema(
        tags=["council"],
        summary="Record a meeting's decision sheet",
        parameters=[IF_MATCH_REQUIRED],
        request=SheetInputSerializer,
        responses={201: DecisionSheetResultSerializer, **errors(409, 412, 428)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        _require_secretary(request)
        meeting = _meeting(request, pk)
        serializer = SheetInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        decisions = decision_services.council_sheet_record(
            actor=request.user,
            meeting=meeting,
            expected_version=_meeting_version(request),
            **serializer.validated_data,
        )
        return Response(
            DecisionSheetResultSerializer({"decisions": decisions}).data, status=status.HTTP_201_CREATED
        )


class SilenceView(APIView):
    """Put scheduled items of a meeting under the silence procedure until a deadline."""

    @extend_schema(
        tags=["council"],
        summary="Start the silence procedure",
        parameters=[IF_MATCH_REQUIRED],
        request=SilenceInputSerializer,
        responses={200: AgendaItemSerializer(many=True), **errors(409, 412, 428)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        _require_secretary(request)
        meeting = _meeting(request, pk)
        serializer = SilenceInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ids = serializer.validated_data["items"]
        items = list(council_selectors.agenda_of(meeting=meeting, user=request.user).filter(pk__in=ids))
        missing = sorted(set(ids) - {item.pk for item in items})
        if missing:
            raise ValidationError({"items": [_("Not items of this meeting: %(ids)s.") % {"ids": missing}]})
        changed = silence_services.silence_start(
            actor=request.user,
            items=items,
            deadline=serializer.validated_data["deadline"],
            expected_version=_meeting_version(request),
        )
        rows = council_selectors.agenda_of(meeting=meeting, user=request.user).filter(
            pk__in=[item.pk for item in changed]
        )
        return Response(AgendaItemSerializer(rows, many=True).data)


class SilenceBreakView(APIView):
    """Record that a delegation broke silence on an agenda item (it goes back to awaiting discussion)."""

    @extend_schema(
        tags=["council"],
        summary="Record that silence was broken",
        description="If-Match: the ETag of the item's meeting (GET /council/meetings/{id}/).",
        parameters=[IF_MATCH_REQUIRED],
        request=SilenceBreakInputSerializer,
        responses={200: AgendaItemSerializer, **errors(409, 412, 428)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        _require_secretary(request)
        visible = selectors.inclusion_request_visible_to(user=request.user)
        item = AgendaItem.objects.select_related("meeting").filter(pk=pk, request__in=visible).first()
        if item is None:
            raise NotFound()
        serializer = SilenceBreakInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        silence_services.silence_break(
            actor=request.user,
            item=item,
            expected_version=_meeting_version(request),
            **serializer.validated_data,
        )
        row = council_selectors.agenda_of(meeting=item.meeting, user=request.user).get(pk=pk)
        return Response(AgendaItemSerializer(row).data)


class DecisionView(APIView):
    """Record the North Atlantic Council's decision on a request awaiting it (council secretaries)."""

    etag_methods = ("POST",)

    @extend_schema(
        tags=["requests"],
        summary="Record the Council's decision",
        parameters=[IF_MATCH_REQUIRED],
        request=DecisionInputSerializer,
        responses={200: InclusionRequestDetailSerializer, **errors(409, 412, 428)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        inclusion_request = visible_request(request, pk)
        serializer = DecisionInputSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        step = RequestStep(
            actor=request.user,
            action=DECISION_ACTIONS[data.pop("outcome")],
            expected_version=IfMatch(request),
            **data,
        )
        request_step(request=inclusion_request, step=step)
        return request_detail_response(request, visible_request(request, pk))


class RescheduleView(APIView):
    """Put a deferred request on a later planned meeting's agenda (council secretaries)."""

    etag_methods = ("POST",)

    @extend_schema(
        tags=["requests"],
        summary="Reschedule a deferred request",
        parameters=[IF_MATCH_REQUIRED],
        request=RescheduleInputSerializer,
        responses={200: InclusionRequestDetailSerializer, **errors(409, 412, 428)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        inclusion_request = visible_request(request, pk)
        serializer = RescheduleInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        step = RequestStep(
            actor=request.user,
            action="reschedule",
            meeting=serializer.validated_data["meeting"],
            expected_version=IfMatch(request),
        )
        request_step(request=inclusion_request, step=step)
        return request_detail_response(request, visible_request(request, pk))
