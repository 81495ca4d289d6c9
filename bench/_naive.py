"""The naive API lists the benchmark compares with: ModelViewSets as a first draft would write them.

Same serializers, pagination, authentication, permission and visibility rules as /api/v1/activities/
and /api/v1/requests/, but the queryset is the model's with no select_related or prefetch_related, so
each row's partner, programme, catalogue item, desk and users are read one query at a time.
"""

from typing import Any

from django.db.models import QuerySet
from rest_framework import viewsets

from workprogrammes.programmes.api.serializers import ActivitySerializer
from workprogrammes.programmes.api.views import ActivityCursor
from workprogrammes.programmes.models import ProgrammeActivity
from workprogrammes.requests.api.serializers import InclusionRequestSerializer
from workprogrammes.requests.api.views import RequestCursor
from workprogrammes.requests.models import InclusionRequest
from workprogrammes.requests.permissions import READ_ALL_ROLES


class NaiveActivityViewSet(viewsets.ModelViewSet):
    serializer_class = ActivitySerializer
    pagination_class = ActivityCursor
    http_method_names = ["get", "head", "options"]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[ProgrammeActivity]:
        clearance = self.request.user.clearance  # type: ignore[union-attr]
        return ProgrammeActivity.objects.filter(marking__lte=clearance, programme__marking__lte=clearance)


class NaiveRequestViewSet(viewsets.ModelViewSet):
    serializer_class = InclusionRequestSerializer
    pagination_class = RequestCursor
    http_method_names = ["get", "head", "options"]
    filter_backends: list[Any] = []

    def get_queryset(self) -> QuerySet[InclusionRequest]:
        user: Any = self.request.user
        requests = InclusionRequest.objects.filter(marking__lte=user.clearance)
        if user.has_role(*READ_ALL_ROLES):
            return requests
        return requests.filter(partner_id__in=user.desk_partner_ids)
