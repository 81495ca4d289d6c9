"""Template helpers of the reports: table cells (shown localised, with their machine value), charts."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import template
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from portal.core.i18n import format_number

from ..charts import ChartSpec
from ..exporters import machine_value
from ..registry import Column

register = template.Library()


@register.filter
def report_number(value: Any) -> str:
    """A number as the reader expects it in their language: grouped thousands, days to one decimal."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return str(value)
    if isinstance(value, float):
        return format_number(value, decimal_pos=1)
    if isinstance(value, Decimal):
        return format_number(value, decimal_pos=2)
    return format_number(value)


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


_NUMERIC = ' class="portal-num num"'


@register.simple_tag
def chart_table(chart: ChartSpec) -> SafeString:
    """A chart's data as a table: its text alternative (on the page, under the canvas; in PDFs, under the
    drawing). Written in one pass: a profile's two charts have some 400 cells, and a template loop with a
    filter per cell cost more than the rest of the charts."""
    headers, rows = chart.table()
    caption = gettext("Data of the chart “%(title)s”") % {"title": chart.title}
    head = "".join(
        f'<th scope="col"{_NUMERIC if i else ""}>{escape(header)}</th>' for i, header in enumerate(headers)
    )
    body = "".join(
        f'    <tr><th scope="row">{escape(row[0])}</th>'
        + "".join(f'<td class="portal-num num">{escape(report_number(value))}</td>' for value in row[1:])
        + "</tr>\n"
        for row in rows
    )
    return mark_safe(  # noqa: S308 - every value above is escaped
        '<table class="usa-table usa-table--borderless usa-table--compact portal-table portal-table--narrow'
        ' portal-chart__table">\n'
        f"  <caption>{escape(caption)}</caption>\n"
        f"  <thead><tr>{head}</tr></thead>\n"
        f"  <tbody>\n{body}  </tbody>\n"
        "</table>"
    )
