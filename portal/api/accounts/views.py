"""API views of the signed-in user's delegations ("acting for"): the same services as the delegation page."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.accounts.models import Delegation
from portal.accounts.selectors import delegations_of
from portal.accounts.services import delegation_create, delegation_end

from ..schema import errors
from .serializers import DelegationInputSerializer, DelegationSerializer


class DelegationListView(generics.ListAPIView):
    """Delegations the user gave or received, newest first."""

    serializer_class = DelegationSerializer
    pagination_class = None
    request: AuthenticatedRequest  # the permission class lets no anonymous request through

    def get_queryset(self) -> QuerySet[Delegation]:
        if getattr(self, "swagger_fake_view", False):
            return Delegation.objects.none()
        return delegations_of(user=self.request.user)

    def get_serializer_context(self) -> dict:
        return {**super().get_serializer_context(), "today": timezone.localdate()}

    @extend_schema(
        tags=["delegations"],
        summary="List my delegations",
        responses={200: DelegationSerializer(many=True), **errors(401, 403)},
    )
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["delegations"],
        summary="Name a delegate for a date range",
        request=DelegationInputSerializer,
        responses={201: DelegationSerializer, **errors(400, 401, 403)},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        serializer = DelegationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        delegation = delegation_create(principal=request.user, **serializer.validated_data)
        context = {"today": timezone.localdate()}
        return Response(DelegationSerializer(delegation, context=context).data, status=201)


class DelegationEndView(APIView):
    """End one of the user's delegations now (given or received); ending an ended one changes nothing."""

    @extend_schema(
        tags=["delegations"],
        summary="End a delegation",
        request=None,
        responses={200: DelegationSerializer, **errors(401, 403, 404)},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        user = request.user
        delegation = get_object_or_404(delegations_of(user=user), pk=pk)
        delegation = delegation_end(delegation=delegation, by=user)
        return Response(DelegationSerializer(delegation, context={"today": timezone.localdate()}).data)
