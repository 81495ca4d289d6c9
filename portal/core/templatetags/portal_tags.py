"""Template helpers shared by every page: status tags, marking banners, dates, sortable headers, the data
table of a chart."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Any

from django import template
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext

from portal.core.charts import ChartSpec, shown_number
from portal.core.i18n import active_language
from portal.core.models import Marking
from portal.core.status import status_style

register = template.Library()

_MARKING_CSS = {
    Marking.PUBLIC: "public",
    Marking.NATO_UNCLASSIFIED: "unclassified",
    Marking.NATO_RESTRICTED: "restricted",
    Marking.NATO_CONFIDENTIAL: "confidential",
    Marking.NATO_SECRET: "secret",
}


@functools.cache
def _status_css(value: str) -> str:
    return slugify(value).replace("-", "_") or "unknown"


# The e-mail variant writes the colours inline on purpose: mail clients ignore the portal's style sheet.
_EMAIL_TAG = (
    '<span style="{};display:inline-block;padding:1px 8px;border-radius:2px;font-size:0.875em;'
    'text-transform:uppercase">{}</span>'
)


@register.simple_tag
def status_tag(value: str, label: str | None = None, email: bool = False) -> SafeString:
    """A USWDS tag for a status value, coloured the same wherever that value appears.

    Pass `email=True` in e-mail templates: the colours are then written inline, since mail clients
    ignore the portal's style sheet. (Written here rather than as an included template: lists show one
    per row, and an inclusion tag renders a template with a context of its own each time.)
    """
    value = str(value or "")
    text = label if label not in (None, "") else value.replace("_", " ").capitalize()
    if email:
        return format_html(_EMAIL_TAG, status_style(value).inline_css, text)
    return format_html(
        '<span class="usa-tag portal-status portal-status--{}" data-status="{}">{}</span>',
        _status_css(value),
        value,
        text,
    )


@register.simple_tag
def marking_info(value: Any = None) -> dict[str, Any]:
    """Label and CSS modifier of a marking; no marking means the portal's default, NATO UNCLASSIFIED."""
    try:
        marking = Marking(int(value)) if value not in (None, "") else Marking.NATO_UNCLASSIFIED
    except (TypeError, ValueError):
        marking = Marking.NATO_UNCLASSIFIED
    return {"value": int(marking), "label": marking.label, "css": _MARKING_CSS[marking]}


@register.filter
def precise_date(value: datetime.date | None, precision: str = "day") -> str:
    """A date shown only as precisely as it is known: '1990', 'November 2006' or '29 November 2006'."""
    if value is None:
        return ""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return date_format(value, "F Y")
    return date_format(value, "j F Y")


@register.filter
def precise_date_iso(value: datetime.date | None, precision: str = "day") -> str:
    """The machine-readable form of `precise_date`, for a <time datetime> attribute."""
    if value is None:
        return ""
    if precision == "year":
        return f"{value.year:04d}"
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


_SORT_HEADER = (
    '<th scope="col" class="portal-sortable{}"{}>\n'
    '  <a href="{}" class="portal-sortable__link">{}'
    '<span class="portal-sortable__icon" aria-hidden="true">{}</span>'
    '<span class="usa-sr-only">{}</span></a>\n'
    "</th>\n"
)
_SORT_ICONS = {"ascending": "▲", "descending": "▼", "": "⇅"}


@register.simple_tag(takes_context=True)
def sort_header(context: dict[str, Any], key: str, label: str, numeric: bool = False) -> SafeString:
    """A column header that sorts the table by `key`, toggling the direction, and says how it is sorted.

    (Written here rather than as an included template: an inclusion tag renders a template with a
    context of its own for each column.)
    """
    request: HttpRequest = context["request"]
    current = request.GET.get("sort", context.get("default_sort", ""))
    if current == key:
        direction, next_sort = "ascending", f"-{key}"
        hint = gettext("(sorted ascending; select to sort descending)")
    elif current == f"-{key}":
        direction, next_sort = "descending", key
        hint = gettext("(sorted descending; select to sort ascending)")
    else:
        direction, next_sort = "", key
        hint = gettext("(select to sort)")
    params = request.GET.copy()
    params["sort"] = next_sort
    params.pop("page", None)
    return format_html(
        _SORT_HEADER,
        " portal-num" if numeric else "",
        format_html(' aria-sort="{}"', direction) if direction else "",
        f"?{params.urlencode()}",
        label,
        _SORT_ICONS[direction],
        hint,
    )


_NUMERIC = ' class="portal-num num"'


@functools.lru_cache(maxsize=4096)
def _number_cell(language: str, kind: str, value: Any) -> str:
    """A chart table's cell: a pure function of (language, value), kept for the process (a profile's two
    charts have some 400 cells of a few distinct values). `kind` keeps 1, 1.0 and Decimal(1) apart."""
    return f'<td class="portal-num num">{escape(shown_number(value))}</td>'


def _cell(language: str, value: Any) -> str:
    if isinstance(value, int | float | Decimal | None):
        return _number_cell(language, type(value).__name__, value)
    return f'<td class="portal-num num">{escape(shown_number(value))}</td>'


@register.simple_tag
def chart_table(chart: ChartSpec) -> SafeString:
    """A chart's data as a table: its text alternative (on the page, under the canvas; in PDFs, under the
    drawing). Written in one pass: a profile's two charts have some 400 cells, and a template loop with a
    filter per cell cost more than the rest of the charts."""
    headers, rows = chart.table()
    language = active_language()
    caption = gettext("Data of the chart “%(title)s”") % {"title": chart.title}
    head = "".join(
        f'<th scope="col"{_NUMERIC if i else ""}>{escape(header)}</th>' for i, header in enumerate(headers)
    )
    body = "".join(
        f'    <tr><th scope="row">{escape(row[0])}</th>'
        + "".join(_cell(language, value) for value in row[1:])
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
