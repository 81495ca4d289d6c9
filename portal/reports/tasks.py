"""Celery tasks of the reports app (routed to the "exports" queue by CELERY_TASK_ROUTES): thin, taking
ids, safe to run twice."""

from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings

from . import services


# A worker killed mid-export hands the message back (acks_late, reject_on_worker_lost); the service
# then restarts that export's file. A large file may take minutes: limits of its own, not the default.
@shared_task(
    name="portal.reports.tasks.export_job_run",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.EXPORT_TASK_SOFT_TIME_LIMIT,
    time_limit=settings.EXPORT_TASK_TIME_LIMIT,
)
def export_job_run_task(self: Task, job_id: int) -> str:
    """Write a background export's file; returns its final status."""
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    job = services.export_job_run(job_id=job_id, redelivered=redelivered)
    return job.status if job is not None else "skipped"


@shared_task(name="portal.reports.tasks.exports_requeue")
def exports_requeue() -> int:
    """Queue again the exports the broker lost (beat runs it every five minutes); returns how many."""
    return services.exports_requeue()


@shared_task(name="portal.reports.tasks.exports_expire")
def exports_expire() -> int:
    """Delete expired export files (beat runs it hourly); returns how many."""
    return services.exports_expire()
