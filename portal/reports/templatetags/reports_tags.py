"""Template helpers of the reports: table cells (shown localised, with their machine value)."""

from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.formats import date_format

from portal.core.charts import shown_number

from ..exporters import machine_value
from ..tabular.base import Column

register = template.Library()


@register.filter
def report_number(value: Any) -> str:
    """A number as the reader expects it in their language: grouped thousands, days to one decimal."""
    return shown_number(value)


@register.simple_tag
def report_cell(column: Column, value: Any) -> dict[str, Any]:
    """A table cell: what the reader sees, and the exact value an export writes (`data-value`)."""
    if value is None or value == "":
        shown = "–"
    elif isinstance(value, datetime.date):
        shown = date_format(value, "SHORT_DATE_FORMAT")
    elif column.kind == "year":
        shown = str(value)
    elif column.numeric:
        shown = report_number(value)
    else:
        shown = str(value)
    return {"shown": shown, "value": machine_value(value), "numeric": column.numeric}
