"""Writes of the reports app: recording exports, running background exports, expiring their files,
and the calendar feed's secret."""

from __future__ import annotations

import datetime
import functools
import logging
import tempfile
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from portal.accounts.models import User
from portal.notifications.outbox import event_record
from portal.ops.broker import task_publish

from .exporters import ExportSource, write_csv, write_xlsx
from .models import CalendarFeed, ExportJob, ExportStatus, new_calendar_token
from .registry import report_for
from .selectors import export_source

logger = logging.getLogger(__name__)

WRITERS = {ExportJob.Format.CSV: write_csv, ExportJob.Format.XLSX: write_xlsx}
# A job queued this long was never received by a worker (the broker was down): queue it again.
REQUEUE_AFTER = datetime.timedelta(minutes=5)
# A job running this long lost its worker without the broker redelivering it: another may take it over.
STALE_AFTER = datetime.timedelta(minutes=30)


def export_record_start(
    *,
    user: User,
    report: str,
    filters: Mapping[str, Any],
    export_format: str,
    marking: int,
    rows_total: int | None = None,
) -> ExportJob:
    """Record an export downloaded at once, as it starts (who, which report, which filters, format)."""
    return ExportJob.objects.create(
        user=user,
        report=report,
        filters=dict(filters),
        format=export_format,
        mode=ExportJob.Mode.INLINE,
        status=ExportStatus.RUNNING,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        marking=marking,
        rows_total=rows_total,
        started_at=timezone.now(),
    )


def export_record_finish(*, job: ExportJob, row_count: int) -> ExportJob:
    """Record how many rows an export downloaded at once held, when it has been written."""
    job.status = ExportStatus.DONE
    job.row_count = row_count
    job.rows_done = row_count if job.rows_total is None else min(row_count, job.rows_total)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "row_count", "rows_done", "finished_at"])
    return job


def export_record_fail(*, job: ExportJob, error: str, rows_done: int = 0) -> ExportJob:
    """Record that an export stopped before its end (an error, or the download was interrupted)."""
    job.status = ExportStatus.FAILED
    job.error = error[:2000]
    job.rows_done = rows_done if job.rows_total is None else min(rows_done, job.rows_total)
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "rows_done", "finished_at"])
    return job


@transaction.atomic
def export_job_create(
    *,
    user: User,
    report: str,
    filters: Mapping[str, Any],
    export_format: str,
    marking: int,
    rows_total: int,
) -> ExportJob:
    """Queue a background export (on the "exports" queue, once this transaction commits)."""
    if export_format not in WRITERS:
        raise ValueError(f"Background exports write CSV or XLSX, not {export_format!r}.")
    job = ExportJob.objects.create(
        user=user,
        report=report,
        filters=dict(filters),
        format=export_format,
        mode=ExportJob.Mode.BACKGROUND,
        status=ExportStatus.QUEUED,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        marking=marking,
        rows_total=rows_total,
    )
    transaction.on_commit(functools.partial(export_job_publish, job_id=job.pk), robust=True)
    return job


def export_job_publish(*, job_id: int) -> bool:
    """Hand the job to the broker once; if the broker does not answer, the periodic sweep
    (exports_requeue) tries again, so the page that asked is never held up. True if sent."""
    from .tasks import export_job_run_task

    try:
        task_publish(export_job_run_task, args=(job_id,))
    except Exception:
        logger.warning("Export %s could not be queued now; the sweep will queue it.", job_id, exc_info=True)
        return False
    return True


def _claim(job_id: int, *, retake_running: bool, now: datetime.datetime) -> ExportJob | None:
    """Mark a queued job running; None if it is finished, gone, or being written by another worker.

    A running job is taken over only when the broker redelivered its task (the worker that had it
    died) or when it has run for longer than STALE_AFTER.
    """
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().select_related("user").filter(pk=job_id).first()
        if job is None or job.status not in (ExportStatus.QUEUED, ExportStatus.RUNNING):
            return None
        stale = job.started_at is not None and job.started_at < now - STALE_AFTER
        if job.status == ExportStatus.RUNNING and not (retake_running or stale):
            return None
        job.status = ExportStatus.RUNNING
        job.started_at = now
        job.rows_done = 0
        job.save(update_fields=["status", "started_at", "rows_done"])
        return job


def export_job_run(
    *, job_id: int, redelivered: bool = False, on_progress: Callable[[int], None] | None = None
) -> ExportJob | None:
    """Write a background export's file, reporting progress as it goes; notify its owner when ready.

    Runs outside a transaction on purpose: each progress update commits at once, so the page polling
    the job sees the bar move. A task redelivered after its worker died starts the file afresh; a
    duplicate of a task still running does nothing.
    """
    job = _claim(job_id, retake_running=redelivered, now=timezone.now())
    if job is None:
        return None
    report = report_for(job.report)
    try:
        if report is None:
            raise ValueError(f"Unknown report {job.report!r}.")
        with translation.override(job.language):
            filters = dict(job.filters)
            sort = filters.pop("sort", None)
            form = report.form(filters)
            if not form.is_valid():
                raise ValueError(f"The saved filters are no longer valid: {form.errors.as_json()}")
            source = export_source(report=report, user=job.user, filters=form.cleaned_data, sort=sort)
            total = source.queryset.count()
            ExportJob.objects.filter(pk=job.pk).update(rows_total=total, marking=source.marking)
            job.rows_total, job.marking = total, source.marking

            def progress(done: int) -> None:
                ExportJob.objects.filter(pk=job.pk).update(rows_done=min(done, total))
                if on_progress is not None:
                    on_progress(done)

            file_name = report.filename(job.format)
            row_count = _write_file(job=job, source=source, file_name=file_name, progress=progress)
    except Exception as error:
        logger.exception("Export %s failed.", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.FAILED, error=str(error)[:2000], finished_at=timezone.now()
        )
        return ExportJob.objects.get(pk=job.pk)
    return _finish(job=job, row_count=row_count, file_name=file_name)


def _write_file(
    *, job: ExportJob, source: ExportSource, file_name: str, progress: Callable[[int], None]
) -> int:
    written: list[int] = []

    def counting(done: int) -> None:
        written.append(done)
        progress(done)

    with tempfile.TemporaryFile() as output:
        WRITERS[ExportJob.Format(job.format)](source, output, on_progress=counting)
        output.seek(0)
        job.file.save(file_name, File(output), save=False)
    ExportJob.objects.filter(pk=job.pk).update(file=job.file.name)
    return written[-1] if written else 0


@transaction.atomic
def _finish(*, job: ExportJob, row_count: int, file_name: str) -> ExportJob:
    job = ExportJob.objects.select_for_update().get(pk=job.pk)
    job.status = ExportStatus.DONE
    job.row_count = row_count
    job.rows_done = min(row_count, job.rows_total or row_count)
    job.file_name = file_name
    job.finished_at = timezone.now()
    job.expires_at = job.finished_at + datetime.timedelta(hours=settings.EXPORT_FILE_TTL_HOURS)
    job.save(update_fields=["status", "row_count", "rows_done", "file_name", "finished_at", "expires_at"])
    event_record(kind="export.ready", target=job, actor=None, data={"rows": row_count})
    return job


def exports_requeue(*, now: datetime.datetime | None = None) -> int:
    """Queue again the jobs the broker never got (queued for REQUEUE_AFTER) and those whose worker
    vanished without the broker noticing (running for STALE_AFTER). Returns how many were sent."""
    now = now or timezone.now()
    stuck = ExportJob.objects.filter(
        Q(status=ExportStatus.QUEUED, created_at__lt=now - REQUEUE_AFTER)
        | Q(status=ExportStatus.RUNNING, started_at__lt=now - STALE_AFTER),
        mode=ExportJob.Mode.BACKGROUND,
    ).values_list("pk", flat=True)
    return sum(1 for pk in list(stuck) if export_job_publish(job_id=pk))


def exports_expire(*, now: datetime.datetime | None = None) -> int:
    """Delete the files of background exports past their expiry; the record of each export stays."""
    now = now or timezone.now()
    expired = 0
    due = ExportJob.objects.filter(
        mode=ExportJob.Mode.BACKGROUND, status=ExportStatus.DONE, expires_at__lte=now
    ).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().filter(pk=pk, status=ExportStatus.DONE).first()
            if job is None:
                continue
            if job.file:
                job.file.delete(save=False)
            job.status = ExportStatus.EXPIRED
            job.save(update_fields=["status", "file"])
            expired += 1
    return expired


def calendar_feed_get_or_create(*, user: User) -> CalendarFeed:
    """The user's calendar feed, created with a fresh secret on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_revoke(user: User) -> int:
    """Delete the user's feed (its account was deactivated): the URL stops working, and a reactivated
    account gets a new URL only by asking for one."""
    deleted, _details = CalendarFeed.objects.filter(user=user).delete()
    return deleted


@transaction.atomic
def calendar_feed_regenerate(*, user: User) -> CalendarFeed:
    """A new secret for the user's feed: the old URL stops working at once."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_calendar_token()
        feed.rotated_at = timezone.now()
        feed.save(update_fields=["token", "rotated_at"])
    return feed
