"""API views of the user's own notifications: list, unread count, mark read, preferences."""

from __future__ import annotations

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.api.filters import SelectorFilterBackend, filter_params
from portal.api.pagination import CursorPagination

from .. import selectors, services
from ..models import Notification
from .serializers import (
    MarkedReadSerializer,
    NotificationSerializer,
    PreferenceSerializer,
    PreferencesInputSerializer,
    UnreadCountSerializer,
)


class NotificationFilter(django_filters.FilterSet):
    unread = django_filters.BooleanFilter(help_text=_("true: only unread; false: only read."))
    kind = django_filters.CharFilter(max_length=60, help_text=_("Event kind, e.g. request.submitted."))

    class Meta:
        model = Notification
        fields: list[str] = []


class NotificationCursor(CursorPagination):
    ordering = ("-created_at", "-pk")


@extend_schema(tags=["notifications"], summary="List my notifications")
class NotificationListView(generics.ListAPIView):
    """The signed-in user's notifications, newest first (cursor pagination)."""

    serializer_class = NotificationSerializer
    filter_backends = [SelectorFilterBackend]
    filterset_class = NotificationFilter
    pagination_class = NotificationCursor
    request: AuthenticatedRequest

    def get_queryset(self) -> QuerySet[Notification]:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notifications_for(user=self.request.user, **filter_params(self))


class UnreadCountView(APIView):
    """How many of the user's notifications are unread (the bell)."""

    @extend_schema(
        tags=["notifications"],
        summary="Count my unread notifications",
        responses={200: UnreadCountSerializer},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response({"unread": selectors.notification_unread_count(user=request.user)})


class NotificationReadView(APIView):
    """Mark one of the user's notifications read (marking a read one again changes nothing)."""

    @extend_schema(
        tags=["notifications"],
        summary="Mark a notification read",
        request=None,
        responses={200: NotificationSerializer},
    )
    def post(self, request: AuthenticatedRequest, pk: int) -> Response:
        user = request.user
        if not selectors.notifications_for(user=user).filter(pk=pk).exists():
            raise NotFound()
        services.notification_mark_read(user=user, notification_ids=[pk])
        notification = selectors.notifications_for(user=user).get(pk=pk)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAllView(APIView):
    """Mark all of the user's notifications read."""

    @extend_schema(
        tags=["notifications"],
        summary="Mark all my notifications read",
        request=None,
        responses={200: MarkedReadSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        return Response({"marked": services.notification_mark_read(user=request.user)})


class PreferencesView(APIView):
    """The user's e-mail mode for each kind of notification (immediately, daily digest, off)."""

    @extend_schema(
        tags=["notifications"],
        summary="Get my notification preferences",
        responses={200: PreferenceSerializer(many=True)},
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        rows = selectors.notification_preferences(user=request.user)
        return Response(PreferenceSerializer(rows, many=True).data)

    @extend_schema(
        tags=["notifications"],
        summary="Set my notification preferences",
        request=PreferencesInputSerializer,
        responses={200: PreferenceSerializer(many=True)},
    )
    def put(self, request: AuthenticatedRequest) -> Response:
        user = request.user
        serializer = PreferencesInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.notification_preferences_set(user=user, modes=serializer.validated_data["modes"])
        return Response(PreferenceSerializer(selectors.notification_preferences(user=user), many=True).data)
