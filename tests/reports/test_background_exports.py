"""Exports over the threshold run as Celery jobs: progress, file, notification, expiry."""

from __future__ import annotations

import csv
import datetime
import io
import os
from typing import Any

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Role
from portal.notifications.models import Event, Notification
from portal.reports import exporters, services
from portal.reports.models import ExportJob

from .helpers import page_table, user_with_roles

pytestmark = pytest.mark.django_db

EXPORT = reverse("reports:export", args=["activities"])
PAGE = reverse("reports:report", args=["activities"])


@pytest.fixture
def small_threshold(settings: Any) -> None:
    settings.EXPORT_ASYNC_THRESHOLD_ROWS = 5


def _queue(client: Client, query: str, export_format: str, capture: Any) -> ExportJob:
    with capture(execute=True):
        response = client.post(EXPORT + query, {"format": export_format})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.pk])
    return ExportJob.objects.get(pk=job.pk)


def test_an_export_over_the_threshold_runs_as_a_job_whose_file_equals_the_page(
    analyst_client: Client,
    analyst: Any,
    partner_with_activities: Any,
    small_threshold: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    partner_with_activities(7)
    query = "?partner=JP&sort=-start_date"

    job = _queue(analyst_client, query, "csv", django_capture_on_commit_callbacks)

    assert (job.mode, job.status, job.rows_total, job.row_count) == ("background", "done", 7, 7)
    assert job.filters == {"partner": "JP", "sort": "-start_date"}
    assert job.expires_at is not None and job.expires_at > timezone.now()
    download = analyst_client.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(b"".join(download.streaming_content).decode("utf-8-sig"))))
    headers, page_rows = page_table(analyst_client.get(PAGE + query).content.decode())
    assert rows[0] == ["NATO UNCLASSIFIED"] and rows[1] == headers and rows[2:] == page_rows


def test_the_owner_is_notified_when_the_export_is_ready(
    analyst_client: Client,
    analyst: Any,
    partner_with_activities: Any,
    small_threshold: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    partner_with_activities(6)

    with django_capture_on_commit_callbacks(execute=True):
        job = _queue(analyst_client, "", "xlsx", django_capture_on_commit_callbacks)

    event = Event.objects.get(kind="export.ready")
    assert event.target == job and event.actor is None and event.data["rows"] == 6
    notification = Notification.objects.get(recipient=analyst)
    assert "ready to download" in notification.text
    sheet = openpyxl.load_workbook(io.BytesIO(job.file.read())).active
    assert sheet.max_row == 2 + 6


def test_the_job_reports_its_progress_as_it_writes(
    analyst: Any, partner_with_activities: Any, monkeypatch: pytest.MonkeyPatch, small_threshold: None
) -> None:
    partner_with_activities(7)
    monkeypatch.setattr(exporters, "CHUNK_SIZE", 2)
    job = services.export_job_create(
        user=analyst, report="activities", filters={}, export_format="csv", marking=10, rows_total=7
    )
    seen: list[tuple[int, int, str]] = []

    def record(done: int) -> None:
        stored = ExportJob.objects.get(pk=job.pk)
        seen.append((done, stored.rows_done, stored.status))

    finished = services.export_job_run(job_id=job.pk, on_progress=record)

    assert seen == [(2, 2, "running"), (4, 4, "running"), (6, 6, "running"), (7, 7, "running")]
    assert finished is not None and finished.status == "done" and finished.percent == 100
    assert services.export_job_run(job_id=job.pk) is None, "a duplicate task does nothing"


def test_the_progress_partial_polls_while_running_and_offers_the_file_when_done(
    analyst_client: Client, analyst: Any
) -> None:
    job = ExportJob.objects.create(
        user=analyst,
        report="activities",
        format="csv",
        mode="background",
        status="running",
        rows_total=40000,
        rows_done=10000,
    )
    url = reverse("reports:job-progress", args=[job.pk])

    running = analyst_client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in running and f'hx-get="{url}"' in running
    assert 'value="25"' in running and "10,000 of 40,000 rows" in running
    assert reverse("reports:job", args=[job.pk]) in running, "a Refresh link works without JavaScript"

    ExportJob.objects.filter(pk=job.pk).update(
        status="done", rows_done=40000, row_count=40000, finished_at=timezone.now(), file="x.csv"
    )
    done = analyst_client.get(url).content.decode()
    assert "hx-trigger" not in done
    assert reverse("reports:job-download", args=[job.pk]) in done


def test_expired_files_are_deleted_and_the_record_stays(
    analyst_client: Client,
    partner_with_activities: Any,
    small_threshold: None,
    django_capture_on_commit_callbacks: Any,
) -> None:
    partner_with_activities(6)
    job = _queue(analyst_client, "", "csv", django_capture_on_commit_callbacks)
    path = job.file.path
    assert job.expires_at is not None

    assert services.exports_expire(now=job.expires_at - datetime.timedelta(minutes=1)) == 0
    assert services.exports_expire(now=job.expires_at + datetime.timedelta(minutes=1)) == 1

    job.refresh_from_db()
    assert job.status == "expired" and not job.file and job.row_count == 6
    assert not os.path.exists(path)
    assert analyst_client.get(reverse("reports:job-download", args=[job.pk])).status_code == 404


def test_nobody_else_sees_or_downloads_someone_elses_export(
    client: Client, analyst: Any, partner_with_activities: Any
) -> None:
    job = ExportJob.objects.create(user=analyst, report="activities", format="csv", mode="background")
    client.force_login(user_with_roles("another-analyst", Role.ANALYST))

    for name in ("reports:job", "reports:job-progress", "reports:job-download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404


def test_a_job_whose_filters_no_longer_validate_fails_with_a_reason(analyst: Any) -> None:
    job = services.export_job_create(
        user=analyst,
        report="activities",
        filters={"year": "1200"},
        export_format="csv",
        marking=10,
        rows_total=1,
    )

    finished = services.export_job_run(job_id=job.pk)

    assert finished is not None and finished.status == "failed" and "year" in finished.error


def test_a_duplicate_task_leaves_a_running_export_alone_but_a_redelivered_one_takes_it_over(
    analyst: Any, partner_with_activities: Any
) -> None:
    partner_with_activities(3)
    job = services.export_job_create(
        user=analyst, report="activities", filters={}, export_format="csv", marking=10, rows_total=3
    )
    ExportJob.objects.filter(pk=job.pk).update(status="running", started_at=timezone.now())

    assert services.export_job_run(job_id=job.pk) is None, "another worker is writing it"
    finished = services.export_job_run(job_id=job.pk, redelivered=True)

    assert finished is not None and finished.status == "done" and finished.row_count == 3


def test_the_sweep_queues_again_exports_the_broker_never_got(
    analyst: Any, partner_with_activities: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    partner_with_activities(2)
    published: list[int] = []
    monkeypatch.setattr(services, "export_job_publish", lambda *, job_id: published.append(job_id) or True)
    now = timezone.now()
    lost = services.export_job_create(
        user=analyst, report="activities", filters={}, export_format="csv", marking=10, rows_total=2
    )
    fresh = services.export_job_create(
        user=analyst, report="activities", filters={}, export_format="csv", marking=10, rows_total=2
    )
    abandoned = services.export_job_create(
        user=analyst, report="activities", filters={}, export_format="xlsx", marking=10, rows_total=2
    )
    ExportJob.objects.filter(pk=lost.pk).update(created_at=now - datetime.timedelta(minutes=6))
    ExportJob.objects.filter(pk=abandoned.pk).update(
        status="running", started_at=now - datetime.timedelta(minutes=31)
    )

    assert services.exports_requeue(now=now) == 2
    assert sorted(published) == sorted([lost.pk, abandoned.pk]) and fresh.pk not in published
    assert services.export_job_run(job_id=abandoned.pk) is not None, "a stale run is taken over"


def test_a_broker_that_does_not_answer_leaves_the_job_queued_for_the_sweep(
    analyst: Any, monkeypatch: pytest.MonkeyPatch, django_capture_on_commit_callbacks: Any
) -> None:
    from portal.reports import tasks

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(tasks.export_job_run_task, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.export_job_create(
            user=analyst, report="activities", filters={}, export_format="csv", marking=10, rows_total=1
        )

    assert ExportJob.objects.get(pk=job.pk).status == "queued"
    assert services.export_job_publish(job_id=job.pk) is False
