"""A contribution series as a table, written in one pass (the partner profile and the operation page).

A profile shows a dozen series of up to six periods; a template loop with two dates, two numbers, three
bilingual texts, a choice label and a link per row cost more than the rest of the page. The table here is
the same markup, written with the page's own helpers: the month format, the choice labels, the fixed
words and the change link's address are read once per table, the bilingual texts by `tr_pair` with the
page's language given once.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from portal.core.html import column_headings
from portal.core.i18n import active_language, format_number, name_of, time_html
from portal.core.models import choice_labels
from portal.core.templatetags.bilingual import tr_pair

from .models import Contribution

_PLACEHOLDER_PK = 2147483647


# Pure functions of (language, value), kept for the process: a profile writes a dozen tables of the same
# few months, numbers and words.
@functools.lru_cache(maxsize=4096)
def _number(language: str, kind: str, value: Any) -> str:
    return format_number(value)


@functools.lru_cache(maxsize=4096)
def _amount(language: str, kind: str, value: Any) -> str:
    return str(floatformat(value, "-2g"))


@dataclass(frozen=True)
class _Words:
    ongoing: str
    change: str
    command: str
    deciding: str
    icc: str
    caption: str
    peak_label: str
    headings: str


@functools.lru_cache(maxsize=8)
def _words(language: str) -> _Words:
    """The table's fixed words in `language` (the active one, which gettext reads)."""
    # The labels are gettext calls of their own, outside the f-strings, where makemessages finds them.
    headings = column_headings(
        (gettext("Period"), "portal-col-period"),
        (gettext("Kind"), "portal-col-kind"),
        (gettext("Personnel"), "portal-num portal-col-personnel"),
        (gettext("Amount"), "portal-num portal-col-amount"),
        (gettext("Arrangements"), ""),
    )
    return _Words(
        ongoing=gettext("ongoing"),
        change=escape(gettext("Change")),
        command=escape(gettext("Command:")),
        deciding=escape(gettext("Decision-making:")),
        icc=escape(gettext("Planned through the International Coordination Centre")),
        caption=gettext("Contributions %(of_partner)s to %(operation)s, by period"),
        peak_label=escape(gettext("Peak personnel / total funding")),
        headings=headings,
    )


def contribution_table(series: Any, *, edit_iso_code: str = "") -> SafeString:
    """The periods of one `operations.selectors.ContributionSeries` (its `rows`), with the footer's peak and
    totals over every period when the series has more than one. `edit_iso_code` (the partner's code) adds
    a link to change each contribution."""
    language = active_language()
    month_format = get_format("YEAR_MONTH_FORMAT")
    kinds = choice_labels(Contribution._meta.get_field("kind"), language)
    words = _words(language)
    ongoing, change, command, deciding, icc = (
        words.ongoing,
        words.change,
        words.command,
        words.deciding,
        words.icc,
    )
    edit_href = ""
    if edit_iso_code:
        edit_href = reverse("partners:record_edit", args=[edit_iso_code, "contribution", _PLACEHOLDER_PK])
    caption = words.caption % {
        "of_partner": name_of(str(series.partner.name or "")),
        "operation": series.operation.acronym,
    }
    rows = []
    for contribution in series.rows:
        period = time_html(language, contribution.period_start, month_format) + " – "
        if contribution.period_end:
            period += time_html(language, contribution.period_end, month_format)
        else:
            period += ongoing
        kind = escape(kinds.get(contribution.kind, contribution.kind))
        personnel = contribution.personnel
        personnel = "–" if personnel is None else _number(language, type(personnel).__name__, personnel)
        amount = "–"
        if contribution.amount is not None:
            shown = _amount(language, type(contribution.amount).__name__, contribution.amount)
            amount = f"{shown} {escape(contribution.currency)}"
        notes = []
        description = tr_pair(contribution.description_en, contribution.description_fr, language)
        if description:
            notes.append(description)
        c = contribution
        for label, english, french in (
            (command, c.command_arrangement_en, c.command_arrangement_fr),
            (deciding, c.decision_making_association_en, c.decision_making_association_fr),
        ):
            text = tr_pair(english, french, language)
            if text:
                notes.append(f'<span class="portal-table__secondary">{label} {text}</span>')
        if contribution.planned_through_icc:
            notes.append(f'<span class="portal-table__secondary">{icc}</span>')
        if edit_href:
            href = edit_href.replace(str(_PLACEHOLDER_PK), str(contribution.pk))
            notes.append(
                f'<a class="portal-table__secondary" href="{href}">{change}'
                f'<span class="usa-sr-only"> {kind}</span></a>'
            )
        rows.append(
            "      <tr>\n"
            f'        <td class="portal-nowrap">{period}</td>\n'
            f"        <td>{kind}</td>\n"
            f'        <td class="portal-num">{personnel}</td>\n'
            f'        <td class="portal-num">{amount}</td>\n'
            f'        <td class="portal-small">{" ".join(notes) if notes else "–"}</td>\n'
            "      </tr>\n"
        )
    footer = ""
    if series.count > 1:
        peak = "–" if series.peak_personnel is None else format_number(series.peak_personnel)
        totals = "<br>".join(
            f"{floatformat(total, '-2g')} {escape(currency)}"
            for currency, total in series.totals_by_currency.items()
        )
        peak_label = words.peak_label
        footer = (
            "    <tfoot><tr>\n"
            f'      <th scope="row" colspan="2">{peak_label}</th>\n'
            f'      <td class="portal-num">{peak}</td>\n'
            f'      <td class="portal-num">{totals or "–"}</td>\n'
            "      <td></td>\n"
            "    </tr></tfoot>\n"
        )
    headings = words.headings
    return mark_safe(  # noqa: S308 - every value above is escaped or built from escaped parts
        '<div class="portal-table-wrap">\n'
        '  <table class="usa-table usa-table--borderless portal-table portal-table--contributions">\n'
        f'    <caption class="usa-sr-only">{escape(caption)}</caption>\n'
        "    <thead><tr>\n"
        f"{headings}"
        "    </tr></thead>\n"
        f"    <tbody>\n{''.join(rows)}    </tbody>\n"
        f"{footer}"
        "  </table>\n"
        "</div>"
    )
