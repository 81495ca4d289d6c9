"""API representations of the analysts' reports, their export jobs and the calendar feed."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.api.serializers import StrictInputSerializer

from ..models import ExportJob
from ..tabular.base import Report


class ReportColumnSerializer(serializers.Serializer):
    key = serializers.CharField(read_only=True, help_text=_("The row's key, and the value of `sort`."))
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    kind = serializers.CharField(read_only=True, help_text=_("text, int, year, decimal, days or date."))
    sortable = serializers.BooleanField(read_only=True)


class ReportFilterSerializer(serializers.Serializer):
    name = serializers.CharField(read_only=True, help_text=_("The query parameter."))
    # Declared fields are taken off the class by the serializer metaclass, so this shadows nothing.
    label = serializers.CharField(read_only=True)  # type: ignore[assignment]
    choices = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        allow_null=True,
        help_text=_("The values it accepts, when it is a choice (codes for records)."),
    )


class ReportSerializer(serializers.Serializer):
    """A report of the registry: its columns and filters (the same as on its page)."""

    slug = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    default_sort = serializers.CharField(read_only=True)
    columns = serializers.SerializerMethodField()
    filters = serializers.SerializerMethodField()

    @extend_schema_field(ReportColumnSerializer(many=True))
    def get_columns(self, report: Report) -> Any:
        return ReportColumnSerializer(report.columns, many=True).data

    @extend_schema_field(ReportFilterSerializer(many=True))
    def get_filters(self, report: Report) -> Any:
        form = report.form(None)
        filters = []
        for name, field in form.fields.items():
            choices = getattr(field, "choices", None)
            values = [str(value) for value, _label in choices if str(value) != ""] if choices else None
            filters.append({"name": name, "label": str(field.label or name), "choices": values})
        return ReportFilterSerializer(filters, many=True).data


class ReportRowsSerializer(serializers.Serializer):
    """One page of a report's rows, each an object keyed by column."""

    count = serializers.IntegerField(read_only=True)
    next = serializers.URLField(read_only=True, allow_null=True)
    previous = serializers.URLField(read_only=True, allow_null=True)
    marking = serializers.IntegerField(
        read_only=True, help_text=_("The highest marking of the rows' sources.")
    )
    results = serializers.ListField(
        child=serializers.DictField(child=serializers.JSONField()), read_only=True
    )


class ExportInputSerializer(StrictInputSerializer):
    format = serializers.ChoiceField(choices=[ExportJob.Format.CSV, ExportJob.Format.XLSX])
    filters = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=100),
        required=False,
        default=dict,
        help_text=_('The report\'s filters, as its GET takes them (e.g. {"partner": "JP"}).'),
    )
    sort = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)


class ExportJobSerializer(serializers.ModelSerializer):
    """An export: its progress while it runs, its download link once done (for its owner only)."""

    percent = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportJob
        fields = [
            "id",
            "report",
            "filters",
            "format",
            "mode",
            "status",
            "rows_total",
            "rows_done",
            "row_count",
            "percent",
            "marking",
            "file_name",
            "error",
            "created_at",
            "finished_at",
            "expires_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, job: ExportJob) -> str | None:
        """Where to fetch the file, once the export is done and until it expires."""
        if job.status == ExportJob.Status.DONE and job.file:
            return f"/api/v1/exports/{job.pk}/download/"
        return None


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.URLField(
        read_only=True, allow_null=True, help_text=_("The feed's address (secret); empty until created.")
    )
