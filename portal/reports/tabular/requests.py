"""The reports on inclusion requests: the pipeline per status, and the times to decision."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import (
    Avg,
    Count,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.accounts.models import User
from portal.core.i18n import localized_text
from workprogrammes.requests.models import InclusionRequest, InclusionRequestStatus, StatusChange
from workprogrammes.requests.selectors import inclusion_request_visible_to
from workprogrammes.requests.workflow import APPROVED_STATUSES

from ..forms import (
    DecisionTimesFilterForm,
    PipelineFilterForm,
)
from ..models import ReportKind
from .base import Column, Median, Report, days_between, max_marking, rank


def _requests(*, user: User, filters: Mapping[str, Any]) -> QuerySet[InclusionRequest]:
    requests = inclusion_request_visible_to(user=user)
    if filters.get("partner"):
        requests = requests.filter(partner=filters["partner"])
    if filters.get("desk"):
        requests = requests.filter(desk=filters["desk"])
    if filters.get("year"):
        requests = requests.filter(created_at__year=filters["year"])
    return requests


class PipelineReport(Report):
    """How many requests stand at each step of the workflow."""

    kind = ReportKind.PIPELINE
    title = _("Request pipeline")
    description = _(
        "Inclusion requests per status: how many, how many need a North Atlantic Council decision, the "
        "oldest submission still at that step, and reviews past their due date."
    )
    columns = (
        Column("status", _("Status"), choices=InclusionRequestStatus),
        Column("requests", _("Requests"), "int"),
        Column("needing_council", _("Need a council decision"), "int"),
        Column("oldest_submitted", _("Oldest submission"), "date"),
        Column("overdue", _("Reviews overdue"), "int"),
    )
    form_class = PipelineFilterForm
    default_sort = "status"

    def build(self, *, user: User, filters: Mapping[str, Any]) -> QuerySet[Any]:
        now = timezone.now()
        return (
            _requests(user=user, filters=filters)
            .values("status")
            .annotate(
                requests=Count("pk"),
                needing_council=Count("pk", filter=Q(needs_council_decision=True)),
                oldest_submitted=Min("submitted_at"),
                overdue=Count("pk", filter=InclusionRequest.review_overdue_q(now=now)),
            )
        )

    def sort_expressions(self) -> dict[str, Any]:
        return {"status": rank("status", InclusionRequestStatus.values)}

    def marking(self, *, user: User, filters: Mapping[str, Any]) -> int:
        found = _requests(user=user, filters=filters).order_by().aggregate(marking=Max("marking"))
        return max_marking(found["marking"])


def first_submission() -> Coalesce:
    """When a request was first submitted: its first timeline entry to "submitted" (resubmissions reset
    `submitted_at`, but the time to decision counts from the first submission)."""
    first = (
        StatusChange.objects.filter(request=OuterRef("pk"), to_status=InclusionRequestStatus.SUBMITTED)
        .order_by("at", "pk")
        .values("at")[:1]
    )
    return Coalesce(Subquery(first), F("submitted_at"))


def days_to_decision() -> Func:
    return days_between(first_submission(), F("decided_at"))


def decided_requests(*, user: User) -> QuerySet[InclusionRequest]:
    """Requests with a final decision (the Council's, or a reviewer's exempt closure)."""
    return inclusion_request_visible_to(user=user).filter(
        decided_at__isnull=False, submitted_at__isnull=False
    )


class DecisionTimesReport(Report):
    """Days from first submission to the final decision, per partner and year of decision."""

    kind = ReportKind.DECISION_TIMES
    title = _("Times to decision")
    description = _(
        "Days from a request's first submission to its final decision (the Council's, or a reviewer's "
        "closure as exempt), per partner and year of decision: median and mean."
    )
    columns = (
        Column("partner_name", _("Partner")),
        Column("year", _("Year of decision"), "year"),
        # Counts of requests, not statuses: their own translations ("Approuvées", not "Approuvée").
        Column("decided", pgettext_lazy("number of requests", "Decided"), "int"),
        Column("approved", pgettext_lazy("number of requests", "Approved"), "int"),
        Column("rejected", pgettext_lazy("number of requests", "Rejected"), "int"),
        Column("median_days", _("Median days"), "days"),
        Column("mean_days", _("Mean days"), "days"),
    )
    form_class = DecisionTimesFilterForm
    default_sort = "partner_name"
    tiebreak = ("partner_name", "year")

    def _filtered(self, *, user: User, filters: Mapping[str, Any]) -> QuerySet[InclusionRequest]:
        requests = decided_requests(user=user)
        if filters.get("partner"):
            requests = requests.filter(partner=filters["partner"])
        if filters.get("year_from"):
            requests = requests.filter(decided_at__year__gte=filters["year_from"])
        if filters.get("year_to"):
            requests = requests.filter(decided_at__year__lte=filters["year_to"])
        return requests

    def build(self, *, user: User, filters: Mapping[str, Any]) -> QuerySet[Any]:
        return (
            self._filtered(user=user, filters=filters)
            .values(
                "partner_id", partner_name=localized_text("partner__name"), year=ExtractYear("decided_at")
            )
            .annotate(
                decided=Count("pk"),
                approved=Count("pk", filter=Q(status__in=APPROVED_STATUSES)),
                rejected=Count("pk", filter=Q(status=InclusionRequestStatus.REJECTED)),
                median_days=Median(days_to_decision()),
                mean_days=Avg(days_to_decision()),
            )
        )

    def marking(self, *, user: User, filters: Mapping[str, Any]) -> int:
        found = self._filtered(user=user, filters=filters).order_by().aggregate(marking=Max("marking"))
        return max_marking(found["marking"])
