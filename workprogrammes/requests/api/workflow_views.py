"""API views of an inclusion request's workflow: one endpoint per row of the workflow table (the Council's
outcomes share `decision`, in council/api/), reassigning a review, and the review queue's bulk actions.

Each view translates its input into the service's: a step goes through `request_step`, the If-Match
(`IfMatch`) is checked by the service under its lock. Actions the user may not take answer 403; actions the
request's status does not allow (or no longer allows) answer 409 (workflow.TransitionNotAllowed).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.api.etags import IfMatch
from portal.api.schema import IF_MATCH, IF_MATCH_REQUIRED, errors

from ...workflow_steps import RequestStep, inclusion_request_bulk_act, request_step
from .. import selectors
from ..permissions import can_use_review_queue, may_reassign_review
from ..queue_views import REASSIGN_REFUSED
from ..reassign_services import inclusion_request_reassign
from ..workflow import TRANSITIONS, Transition
from .serializers import InclusionRequestDetailSerializer
from .views import DECISION_SERVICE, request_detail_response, visible_request
from .workflow_serializers import (
    BulkActionInputSerializer,
    BulkResultsSerializer,
    ReassignInputSerializer,
    TransitionInputSerializer,
    TransitionWithReasonInputSerializer,
)


class TransitionView(APIView):
    """Base of the workflow action views: one subclass per row of the workflow table."""

    etag_methods = ("POST",)

    transition: Transition

    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        inclusion_request = visible_request(request, pk)
        input_class = (
            TransitionWithReasonInputSerializer
            if self.transition.reason_required
            else TransitionInputSerializer
        )
        serializer = input_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        step = RequestStep(
            actor=request.user,
            action=self.transition.action,
            reason=serializer.validated_data.get("reason", ""),
            acting_for=serializer.validated_data.get("acting_for"),
            expected_version=IfMatch(request),
        )
        request_step(request=inclusion_request, step=step)
        return request_detail_response(request, visible_request(request, pk))


def _transition_view(transition: Transition) -> type[TransitionView]:
    reason = _(" A reason is required.") if transition.reason_required else ""
    view = type(
        f"{transition.action.title().replace('_', '')}View",
        (TransitionView,),
        {
            "transition": transition,
            "__doc__": f"Workflow action {transition.action}: {', '.join(sorted(transition.sources))} -> "
            f"{transition.target}.{reason}",
        },
    )
    return extend_schema(
        methods=["POST"],
        tags=["requests"],
        summary=str(transition.label),
        description=f"{view.__doc__} Allowed for: {', '.join(sorted(transition.roles))}.",
        parameters=[IF_MATCH_REQUIRED],
        request=TransitionWithReasonInputSerializer
        if transition.reason_required
        else TransitionInputSerializer,
        responses={200: InclusionRequestDetailSerializer, **errors(409, 412, 428)},
    )(view)


# The actions with an endpoint of their own: every row except the council's outcomes (one endpoint,
# `decision`) and the rescheduling of a deferred request (it needs a meeting).
TRANSITION_VIEWS: dict[str, type[TransitionView]] = {
    t.action: _transition_view(t)
    for t in TRANSITIONS
    if t.service not in (DECISION_SERVICE, "inclusion_request_reschedule")
}


class ReassignView(APIView):
    """Give the review to another reviewer, with a reason (the head of the request's desk or an
    administrator); the status stays, the timeline names both reviewers."""

    etag_methods = ("POST",)

    @extend_schema(
        tags=["requests"],
        summary="Reassign the review",
        parameters=[IF_MATCH],
        request=ReassignInputSerializer,
        responses={200: InclusionRequestDetailSerializer, **errors(409, 412)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        inclusion_request = visible_request(request, pk)
        if not may_reassign_review(request.user, inclusion_request):
            raise PermissionDenied(REASSIGN_REFUSED)
        serializer = ReassignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        inclusion_request_reassign(
            actor=request.user,
            request=inclusion_request,
            expected_version=IfMatch(request, required=False),
            **serializer.validated_data,
        )
        return request_detail_response(request, visible_request(request, pk))


class BulkActionView(APIView):
    """The review queue's bulk actions: one action on many requests, each through the same service as
    one by one and in its own transaction; one result per request, in the order given."""

    @extend_schema(
        tags=["requests"],
        summary="Apply one action to several requests",
        request=BulkActionInputSerializer,
        responses={200: BulkResultsSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        user = request.user
        if not can_use_review_queue(user):
            raise PermissionDenied(_("The review queue is for reviewers and council secretaries."))
        serializer = BulkActionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ids = list(dict.fromkeys(data["requests"]))
        found = selectors.inclusion_request_visible_to(user=user).in_bulk(ids)
        missing = [pk for pk in ids if pk not in found]
        if missing:
            raise NotFound(
                _("No such request, or you may not see it: %(ids)s.")
                % {"ids": ", ".join(str(pk) for pk in missing)}
            )
        results = inclusion_request_bulk_act(
            actor=user,
            requests=[found[pk] for pk in ids],
            action=data["action"],
            reason=data["reason"],
            reviewer=data.get("reviewer"),
        )
        return Response(BulkResultsSerializer({"results": results}).data)
