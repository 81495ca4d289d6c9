"""API views of the analysts' reports and exports, and of the calendar feed: the registry, filter forms,
selectors, services and permissions of the report pages (portal/reports/views.py).

Reports and exports are for analysts and administrators (`reports.view_reports`, `reports.export`);
an export is always prepared as a job (its status shows the progress) and only its owner sees or
downloads it. The calendar feed is every role's (`reports.use_calendar`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.accounts.http import AuthenticatedRequest
from portal.api.pagination import PagePagination
from portal.api.responses import DownloadRenderer

from .. import selectors, services
from ..models import CalendarFeed, ExportJob
from ..registry import REPORTS, report_for
from ..tabular.base import Report
from .serializers import (
    CalendarFeedSerializer,
    ExportInputSerializer,
    ExportJobSerializer,
    ReportRowsSerializer,
    ReportSerializer,
)

SLUG = OpenApiParameter(
    "slug", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(REPORTS), description=_("The report.")
)
# Every report's filters, documented together (each report reads its own, as its page's form does).
FILTER_PARAMETERS = [
    OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, required=False)
    for name in sorted({name for report in REPORTS.values() for name in report.form_class.base_fields})
]
SORT = OpenApiParameter(
    "sort", OpenApiTypes.STR, OpenApiParameter.QUERY, description=_("A column key; '-' before it to reverse.")
)


def _require(request: AuthenticatedRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied(_("Reports and exports are for analysts and administrators."))


def _report(slug: str) -> Report:
    report = report_for(slug)
    if report is None:
        raise NotFound()
    return report


def _cleaned_filters(report: Report, data: Any) -> tuple[Any, dict[str, Any]]:
    """The report page's filter form on these values: a 400 with its field errors when invalid."""
    form = report.form(data)
    if not form.is_valid():
        raise ValidationError({name: [str(m) for m in messages] for name, messages in form.errors.items()})
    return form, form.cleaned_data


class ReportListView(APIView):
    """The reports, with their columns and filters."""

    @extend_schema(tags=["reports"], summary="List reports", responses={200: ReportSerializer(many=True)})
    def get(self, request: AuthenticatedRequest) -> Response:
        _require(request, "reports.view_reports")
        return Response(ReportSerializer(list(REPORTS.values()), many=True).data)


class ReportRowsView(APIView):
    """A report's rows for the given filters and sort, 50 a page: the same rows as its page."""

    @extend_schema(
        tags=["reports"],
        summary="Get a report's rows",
        parameters=[SLUG, SORT, *FILTER_PARAMETERS],
        responses={200: ReportRowsSerializer},
    )
    def get(self, request: AuthenticatedRequest, slug: str) -> Response:
        _require(request, "reports.view_reports")
        report = _report(slug)
        _form, filters = _cleaned_filters(report, request.query_params)
        user = request.user
        rows = report.rows(user=user, filters=filters, sort=request.query_params.get("sort"))
        paginator = PagePagination()
        page = paginator.paginate_queryset(rows, request, view=self) or []
        keys = [column.key for column in report.columns]
        formatter = report.formatter()
        results = [dict(zip(keys, formatter(values), strict=True)) for values in page]
        response = paginator.get_paginated_response(results)
        response.data["marking"] = report.marking(user=user, filters=filters)
        return response


class ReportExportView(APIView):
    """Export a report as CSV or XLSX: a job is queued; follow its status, then download its file."""

    @extend_schema(
        tags=["reports"],
        summary="Export a report",
        parameters=[SLUG],
        request=ExportInputSerializer,
        responses={202: ExportJobSerializer},
    )
    def post(self, request: AuthenticatedRequest, slug: str) -> Response:
        _require(request, "reports.export")
        report = _report(slug)
        serializer = ExportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        form, filters = _cleaned_filters(report, serializer.validated_data["filters"])
        user = request.user
        sort = report.normalize_sort(serializer.validated_data["sort"])
        source = selectors.export_source(report=report, user=user, filters=filters, sort=sort)
        job = services.export_job_create(
            user=user,
            report=report.slug,
            filters={**form.serialized(), "sort": sort},
            export_format=serializer.validated_data["format"],
            marking=source.marking,
            rows_total=source.queryset.count(),
        )
        return Response(ExportJobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


def _own_job(request: AuthenticatedRequest, pk: int) -> ExportJob:
    _require(request, "reports.export")
    job = selectors.export_job_get(user=request.user, pk=pk)
    if job is None:
        raise NotFound()
    return job


class ExportJobListView(APIView):
    """Your most recent exports, newest first."""

    @extend_schema(
        tags=["reports"], summary="List your exports", responses={200: ExportJobSerializer(many=True)}
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        _require(request, "reports.export")
        user = request.user
        return Response(ExportJobSerializer(selectors.export_jobs_of(user=user), many=True).data)


class ExportJobDetailView(APIView):
    """One of your exports: its status and progress."""

    @extend_schema(tags=["reports"], summary="Get an export's status", responses={200: ExportJobSerializer})
    def get(self, request: AuthenticatedRequest, pk: int) -> Response:
        return Response(ExportJobSerializer(_own_job(request, pk)).data)


class ExportJobDownloadView(APIView):
    """The file of a finished export, to its owner only, until it expires."""

    renderer_classes = [JSONRenderer, DownloadRenderer]

    @extend_schema(
        tags=["reports"],
        summary="Download an export",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(
                OpenApiTypes.BINARY, description=str(_("The CSV or XLSX file, as an attachment."))
            )
        },
    )
    def get(self, request: AuthenticatedRequest, pk: int) -> FileResponse:
        job = _own_job(request, pk)
        if job.status != ExportJob.Status.DONE or not job.file:
            raise NotFound(_("This export has no file (not ready yet, failed, or expired)."))
        response = FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=job.file_name,
            content_type="application/octet-stream",
        )
        response["Cache-Control"] = "private, no-store"
        return response


def _feed_url(request: AuthenticatedRequest, feed: CalendarFeed | None) -> str | None:
    return request.build_absolute_uri(reverse("calendar-feed", args=[feed.token])) if feed else None


class CalendarFeedView(APIView):
    """Your calendar feed's address (an ICS feed of your activities, meetings and deadlines)."""

    @extend_schema(
        tags=["calendar"], summary="Get your calendar feed's address", responses={200: CalendarFeedSerializer}
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        _require_calendar(request)
        user = request.user
        feed = CalendarFeed.objects.filter(user=user).first()
        return Response({"url": _feed_url(request, feed)})


class CalendarFeedRegenerateView(APIView):
    """Create the feed's address, or replace it (the old one stops working)."""

    @extend_schema(
        tags=["calendar"],
        summary="Create or replace your calendar feed's address",
        request=None,
        responses={200: CalendarFeedSerializer},
    )
    def post(self, request: AuthenticatedRequest) -> Response:
        _require_calendar(request)
        user = request.user
        feed = services.calendar_feed_regenerate(user=user)
        return Response({"url": _feed_url(request, feed)})


def _require_calendar(request: AuthenticatedRequest) -> None:
    if not request.user.has_perm("reports.use_calendar"):
        raise PermissionDenied()
