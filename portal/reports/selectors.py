"""Reads of the reports app: a report's export source and the user's exports."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from portal.accounts.models import User

from .exporters import ExportSource
from .models import ExportJob
from .tabular.base import Report


def export_source(
    *, report: Report, user: User, filters: Mapping[str, Any], sort: str | None
) -> ExportSource:
    """What an export of this report writes for these filters and sorting: the page's rows, all pages."""
    return ExportSource(
        report=report,
        marking=report.marking(user=user, filters=filters),
        headers=report.headers(),
        queryset=report.rows(user=user, filters=filters, sort=sort),
        formatter=report.formatter(),
    )


def export_jobs_of(*, user: User, limit: int = 10) -> QuerySet[ExportJob]:
    """The user's most recent exports, newest first."""
    return ExportJob.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]


def export_job_get(*, user: User, pk: int) -> ExportJob | None:
    """One of the user's own exports (nobody else's: an export may hold what only its owner may read)."""
    return ExportJob.objects.filter(pk=pk, user_id=user.pk).first()
