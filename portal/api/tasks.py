"""Celery tasks of the API app: thin, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="portal.api.tasks.idempotency_keys_expire")
def idempotency_keys_expire() -> int:
    """Delete the answers kept for expired Idempotency-Keys (beat runs it hourly); returns how many."""
    return services.idempotency_keys_expire()
