"""Pages of the reports app: the home dashboard, the reports and their exports, PDFs, the calendar feed."""

from __future__ import annotations

import io
from collections.abc import Generator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required, permission_required
from django.core.cache import cache
from django.db import connections, transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from partners.models import Partner
from portal.accounts.http import AuthenticatedHttpRequest
from portal.accounts.models import User
from portal.core.i18n import localized_text
from portal.core.pagination import paginate
from workprogrammes.programmes.models import WorkProgramme
from workprogrammes.programmes.selectors import programmes_visible_to

from . import dashboards, pdf, selectors, services
from .calendar import calendar_ics
from .copied_csv import CopiedCsv
from .exporters import ExportSource, csv_pieces, write_xlsx
from .forms import PartnerPdfForm
from .models import CalendarFeed, ExportJob, ReportKind
from .overview import OVERVIEW_CACHE_SECONDS
from .registry import REPORTS, report_for
from .tabular.base import Report

REPORT_PAGE_SIZE = 50
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_safe
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The home page: a dashboard with one panel per role the user holds."""
    iso_code = request.GET.get("partner", "").strip().upper()[:2]
    partner = Partner.objects.alive().filter(iso_code=iso_code).first() if iso_code else None
    board = dashboards.dashboard_for(user=request.user, partner=partner)
    overview = None
    if board.overview_key:
        # The overview is the same for everyone with this clearance and language until the data changes:
        # rendered once, then read from the cache (computing it reads every request and contribution).
        # The cache fails open (portal/ops/cache.py): with Redis down the overview is computed afresh.
        # The rendered overview (a str: get_or_set is typed for a default that may be None).
        html: str = cache.get_or_set(  # type: ignore[assignment]
            f"{board.overview_key}:html",
            lambda: render_to_string(
                "reports/_overview.html",
                {
                    "panel": board.analyst,
                    "partner": partner,
                    "partners": Partner.objects.alive().order_by(localized_text("name")),
                },
                request=request,
            ),
            OVERVIEW_CACHE_SECONDS,
        )
        overview = mark_safe(html)  # noqa: S308  # nosec B308, B703: the template's own output, escaped there
    return render(request, "reports/dashboard.html", {"dashboard": board, "overview": overview})


@require_safe
@permission_required("reports.view_reports", raise_exception=True)
def report_index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The list of reports, the printable PDFs, and the user's recent exports."""
    context = {
        "reports": list(REPORTS.values()),
        "partner_form": PartnerPdfForm(),
        "jobs": selectors.export_jobs_of(user=request.user),
    }
    return render(request, "reports/index.html", context)


def _report_or_404(slug: str) -> Report:
    report = report_for(slug)
    if report is None:
        raise Http404(_("There is no report at this address."))
    return report


@require_safe
@permission_required("reports.view_reports", raise_exception=True)
def report_detail(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """One report: its filters, the table (sortable, paginated) and the export buttons."""
    report = _report_or_404(slug)
    form = report.form(request.GET)
    sort = report.normalize_sort(request.GET.get("sort"))
    context: dict[str, Any] = {
        "report": report,
        "form": form,
        "default_sort": report.default_sort,
        "threshold": settings.EXPORT_ASYNC_THRESHOLD_ROWS,
    }
    if form.is_valid():
        user = request.user
        rows = report.rows(user=user, filters=form.cleaned_data, sort=sort)
        page = paginate(request, rows, per_page=REPORT_PAGE_SIZE)
        formatter = report.formatter()
        context.update(page)
        context["table"] = [
            list(zip(report.columns, formatter(values), strict=True)) for values in page["page_obj"]
        ]
        context["page_marking"] = report.marking(user=user, filters=form.cleaned_data)
        context["is_filtered"] = bool(form.serialized())
    return render(request, "reports/report.html", context, status=200 if form.is_valid() else 400)


@require_POST
@permission_required("reports.export", raise_exception=True)
def report_export(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    """Export a report as shown (filters and sorting from the query string): at once, or in the background."""
    report = _report_or_404(slug)
    export_format = request.POST.get("format", "")
    if export_format not in (ExportJob.Format.CSV, ExportJob.Format.XLSX):
        return HttpResponse(_("Choose CSV or XLSX."), status=400, content_type="text/plain; charset=utf-8")
    form = report.form(request.GET)
    if not form.is_valid():
        messages.error(request, _("Correct the filters before exporting."))
        return redirect(f"{reverse('reports:report', args=[report.slug])}?{request.GET.urlencode()}")
    user = request.user
    sort = report.normalize_sort(request.GET.get("sort"))
    source = selectors.export_source(report=report, user=user, filters=form.cleaned_data, sort=sort)
    filters = {**form.serialized(), "sort": sort}
    total = source.queryset.count()
    if total > settings.EXPORT_ASYNC_THRESHOLD_ROWS:
        job = services.export_job_create(
            user=user,
            report=report.slug,
            filters=filters,
            export_format=export_format,
            marking=source.marking,
            rows_total=total,
        )
        messages.info(
            request,
            _("This export has %(rows)s rows: it is being prepared, and you will be told when it is ready.")
            % {"rows": number_format(total, force_grouping=True)},
        )
        return redirect("reports:job", pk=job.pk)
    job = services.export_record_start(
        user=user,
        report=report.slug,
        filters=filters,
        export_format=export_format,
        marking=source.marking,
        rows_total=total,
    )
    filename = report.filename(export_format)
    if export_format == ExportJob.Format.CSV:
        response: HttpResponseBase = StreamingHttpResponse(
            _streamed_csv(source, job), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(_xlsx_bytes(source, job), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _streamed_csv(source: ExportSource, job: ExportJob) -> Generator[bytes]:
    """The CSV, produced while it is sent: written by PostgreSQL (COPY) when every column's cells can be,
    else from a server-side cursor (see copied_csv.CopiedCsv)."""
    copied = CopiedCsv.prepare(source, connections[source.queryset.db])
    if copied is None:
        yield from _cursor_csv(source, job)
        return
    try:
        yield from copied
    except (GeneratorExit, Exception) as error:
        reason = "The download was interrupted." if isinstance(error, GeneratorExit) else str(error)
        services.export_record_fail(job=job, error=reason, rows_done=0)
        raise
    services.export_record_finish(job=job, row_count=copied.rows)


def _cursor_csv(source: ExportSource, job: ExportJob) -> Generator[bytes]:
    """The CSV from a server-side cursor, which PostgreSQL only keeps open inside a transaction, so the
    query stays open while the response streams."""
    count = 0

    def chunks() -> Generator[list[tuple[str, ...]]]:
        nonlocal count
        with transaction.atomic():
            for chunk in source.csv_chunks():
                count += len(chunk)
                yield chunk

    chunk_iterator = chunks()
    try:
        for piece in csv_pieces(source, chunk_iterator):
            yield piece.encode("utf-8")
    except (GeneratorExit, Exception) as error:
        # End the read transaction first, so that the record of the failure is not rolled back with it.
        chunk_iterator.close()
        reason = "The download was interrupted." if isinstance(error, GeneratorExit) else str(error)
        services.export_record_fail(job=job, error=reason, rows_done=count)
        raise
    services.export_record_finish(job=job, row_count=count)


def _xlsx_bytes(source: ExportSource, job: ExportJob) -> bytes:
    output = io.BytesIO()
    written: list[int] = []
    with transaction.atomic():
        write_xlsx(source, output, on_progress=written.append)
    services.export_record_finish(job=job, row_count=written[-1] if written else 0)
    return output.getvalue()


def _own_job(request: AuthenticatedHttpRequest, pk: int) -> ExportJob:
    job = selectors.export_job_get(user=request.user, pk=pk)
    if job is None:
        raise Http404(_("There is no export at this address."))
    return job


@require_safe
@permission_required("reports.export", raise_exception=True)
def job_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A background export: its progress bar, then its download link."""
    job = _own_job(request, pk)
    return render(request, "reports/job.html", {"job": job, "page_marking": job.marking})


@require_safe
@permission_required("reports.export", raise_exception=True)
def job_progress(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by htmx while the export runs."""
    job = _own_job(request, pk)
    return render(request, "reports/_job_progress.html", {"job": job})


@require_safe
@permission_required("reports.export", raise_exception=True)
def job_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The file of a finished background export, to its owner only, until it expires."""
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404(_("This export has no file: it is not ready yet, it failed, or it has expired."))
    content_type = XLSX_TYPE if job.format == ExportJob.Format.XLSX else "text/csv; charset=utf-8"
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.file_name, content_type=content_type
    )


def _pdf_response(document: pdf.PdfDocument) -> HttpResponse:
    response = HttpResponse(document.content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    return response


def _record_pdf(*, user: User, report: str, filters: dict[str, Any], document: pdf.PdfDocument) -> None:
    job = services.export_record_start(
        user=user,
        report=report,
        filters=filters,
        export_format=ExportJob.Format.PDF,
        marking=document.marking,
    )
    services.export_record_finish(job=job, row_count=document.row_count)


@require_safe
@permission_required("reports.export", raise_exception=True)
def partner_profile_pdf(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A partner's profile as a printable PDF (the partner chosen in the query string)."""
    form = PartnerPdfForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/pdf_error.html", {"form": form}, status=400)
    partner: Partner = form.cleaned_data["partner"]
    user = request.user
    document = pdf.partner_profile_pdf(user=user, partner=partner)
    _record_pdf(
        user=user, report=ReportKind.PARTNER_PROFILE, filters={"partner": partner.iso_code}, document=document
    )
    return _pdf_response(document)


@require_safe
@permission_required("reports.export", raise_exception=True)
def programme_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """An annual programme as a printable PDF."""
    user = request.user
    try:
        document = pdf.programme_pdf(user=user, pk=pk)
    except WorkProgramme.DoesNotExist:
        raise Http404(_("There is no programme at this address.")) from None
    _record_pdf(user=user, report=ReportKind.ANNUAL_PROGRAMME, filters={"programme": pk}, document=document)
    return _pdf_response(document)


@require_safe
@permission_required("reports.export", raise_exception=True)
def programme_pdf_find(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Find the programme of a partner and year, then send its PDF."""
    form = PartnerPdfForm(request.GET)
    year = request.GET.get("year", "")
    programme = None
    if form.is_valid() and year.isdigit():
        programme = (
            programmes_visible_to(user=request.user)
            .filter(partner=form.cleaned_data["partner"], year=int(year))
            .values_list("pk", flat=True)
            .first()
        )
    if programme is None:
        return render(
            request, "reports/pdf_error.html", {"form": form, "year": year, "no_programme": True}, status=404
        )
    return redirect("reports:programme-pdf", pk=programme)


@require_safe
@permission_required("reports.use_calendar", raise_exception=True)
def calendar_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's calendar feed URL, to paste into a calendar program, and a way to regenerate it."""
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = request.build_absolute_uri(reverse("calendar-feed", args=[feed.token])) if feed else ""
    return render(request, "reports/calendar.html", {"feed": feed, "feed_url": feed_url})


@require_POST
@permission_required("reports.use_calendar", raise_exception=True)
def calendar_regenerate(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Create the feed URL, or replace it with a new one (the old one stops working)."""
    had_feed = CalendarFeed.objects.filter(user=request.user).exists()
    services.calendar_feed_regenerate(user=request.user)
    if had_feed:
        messages.success(request, _("Your calendar has a new address; the old one no longer works."))
    else:
        messages.success(request, _("Your calendar feed is ready."))
    return redirect("reports:calendar")


@login_not_required  # the secret token in the URL is the credential
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The ICS feed, reached without signing in: the secret token in its URL is the credential."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.has_perm("reports.use_calendar"):
        raise Http404(_("There is no calendar at this address."))
    response = HttpResponse(calendar_ics(user=feed.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="ccportal.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
