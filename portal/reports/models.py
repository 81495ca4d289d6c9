"""Exports (every one recorded: who, which report, which filters, how many rows) and calendar feeds."""

from __future__ import annotations

import secrets

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.core.models import MarkedModel


class ReportKind(models.TextChoices):
    """Every report the portal produces; the tabular ones in tabular/, listed in registry.py."""

    CONTRIBUTIONS = "contributions", _("Contributions by partner, operation and year")
    ACTIVITIES = "activities", _("Programme activities")
    PIPELINE = "pipeline", _("Request pipeline")
    DECISION_TIMES = "decision_times", _("Times to decision")
    CATALOGUE_USAGE = "catalogue_usage", _("Catalogue usage")
    OUTCOMES = "outcomes", _("Activity outcomes")
    PARTNER_PROFILE = "partner_profile", _("Partner profile (PDF)")
    ANNUAL_PROGRAMME = "annual_programme", _("Annual programme (PDF)")


class ExportFormat(models.TextChoices):
    CSV = "csv", "CSV"
    XLSX = "xlsx", "XLSX"
    PDF = "pdf", "PDF"


class ExportMode(models.TextChoices):
    INLINE = "inline", _("Downloaded at once")
    BACKGROUND = "background", _("Prepared in the background")


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


def export_upload_to(instance: ExportJob, filename: str) -> str:
    """Private folder under MEDIA_ROOT, never served directly; downloaded through a view by its owner."""
    return f"private/exports/{instance.user_id}/{secrets.token_hex(16)}-{filename}"


class ExportJob(MarkedModel):
    """One export of one report by one user: downloaded at once, or prepared in the background.

    The row is the record of the export and is never deleted (a database trigger refuses it); only
    the file of a background export is removed when it expires. `marking` is the highest marking of
    the records the export was built from, printed in its first row (CSV, XLSX) or on every page (PDF).
    """

    Kind = ReportKind
    Format = ExportFormat
    Mode = ExportMode
    Status = ExportStatus

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="export_jobs", verbose_name=_("user")
    )
    report = models.CharField(_("report"), max_length=30, choices=Kind.choices)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    format = models.CharField(_("format"), max_length=5, choices=Format.choices)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.INLINE)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    language = models.CharField(_("language"), max_length=5, default="en")
    rows_total = models.PositiveIntegerField(_("rows to export"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows exported"), default=0)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=export_upload_to, max_length=255, blank=True)
    file_name = models.CharField(_("file name"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [
            models.Index(fields=["user", "-created_at"], name="export_user_recent_idx"),
            models.Index(
                fields=["expires_at"], condition=Q(status="done", mode="background"), name="export_expiry_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(report__in=ReportKind.values), name="export_report_valid"),
            models.CheckConstraint(condition=Q(format__in=ExportFormat.values), name="export_format_valid"),
            models.CheckConstraint(condition=Q(mode__in=ExportMode.values), name="export_mode_valid"),
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values), name="export_status_valid"),
            models.CheckConstraint(
                condition=Q(rows_total__isnull=True) | Q(rows_done__lte=F("rows_total")),
                name="export_progress_within_total",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.DONE)
                | Q(row_count__isnull=False, finished_at__isnull=False),
                name="export_done_has_count",
            ),
            models.CheckConstraint(
                condition=~Q(status=ExportStatus.DONE, mode=ExportMode.BACKGROUND) | ~Q(file=""),
                name="export_background_done_has_file",
            ),
        ]
        triggers = [pgtrigger.Protect(name="export_records_kept", operation=pgtrigger.Delete)]

    def __str__(self) -> str:
        return f"{self.get_report_display()} ({self.get_format_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", args=[self.pk])

    @property
    def percent(self) -> int:
        """How far a background export has come, 0-100."""
        if self.status == ExportStatus.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(100, int(self.rows_done * 100 / self.rows_total))

    @property
    def is_finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED, ExportStatus.EXPIRED)


# URL-safe base64 of 32 random bytes (secrets.token_urlsafe): 43 characters.
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{32,64}$"  # noqa: S105 (a pattern, not a secret)


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """The secret that names a user's calendar feed URL; regenerating it cuts off every old subscription."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    rotated_at = models.DateTimeField(_("regenerated"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        constraints = [
            models.CheckConstraint(condition=Q(token__regex=TOKEN_PATTERN), name="calendar_token_shape")
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.user_id}"


# Neither model is tracked by pghistory: an ExportJob row is itself the audit record of an export (its
# progress updates would only flood the history tables), and a CalendarFeed holds a secret that must
# not be copied into history tables readable by administrators.
HISTORY_TRACKED: tuple[type[models.Model], ...] = ()
