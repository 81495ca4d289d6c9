"""Celery tasks of the work programmes app: thin wrappers around services."""

from __future__ import annotations

from celery import shared_task

from .silence_services import silence_expire_due


@shared_task(name="workprogrammes.silence_expire_due")
def silence_expire_due_task() -> int:
    """Approve the agenda items whose silence procedure ended unbroken (beat: every 15 minutes)."""
    return silence_expire_due()
