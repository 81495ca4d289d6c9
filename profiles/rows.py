"""The profile's milestones, dialogue meetings and contribution sections as markup, written in one pass.

The template loops wrote a dozen tags and filters per milestone and per meeting (dates, bilingual texts,
a choice label, a change link); here the same markup comes from the page's own helpers, with the fixed
words, the link's address and the dates formatted once per language and value.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from operations.rows import contribution_table
from portal.core.i18n import active_language, shown_integer, time_html
from portal.core.templatetags.bilingual import tr_field, typed
from portal.core.templatetags.portal_tags import precise_date, precise_date_iso

_PLACEHOLDER_PK = 2147483647


# Pure functions of (language, value), kept for the process.
@functools.lru_cache(maxsize=4096)
def _date(language: str, day: datetime.date, precision: str) -> tuple[str, str]:
    """A milestone's date: its <time datetime> value and its text, as precisely as it is known."""
    return escape(precise_date_iso(day, precision)), escape(precise_date(day, precision))


def _edit_href(iso_code: str, kind: str) -> str:
    return reverse("partners:record_edit", args=[iso_code, kind, _PLACEHOLDER_PK])


def timeline_items(milestones: Iterable[Any], *, edit_iso_code: str = "") -> SafeString:
    """The `<li>` of each milestone (the partner's and the Alliance-wide ones, by date), as the profile's
    timeline lists them; `edit_iso_code` (the partner's code) adds a link to change the partner's own."""
    language = active_language()
    # As {% translate "..." %} writes them: a translated literal is not escaped.
    alliance = gettext("Alliance-wide")
    change = gettext("Change")
    href = _edit_href(edit_iso_code, "milestone") if edit_iso_code else ""
    items = []
    for milestone in milestones:
        own = milestone.partner_id is not None
        iso, text = _date(language, milestone.date, milestone.date_precision)
        title = tr_field(milestone, "title")
        meta = conditional_escape(milestone.get_kind_display()) + ("" if own else f" · {alliance}")
        description = ""
        if milestone.description:
            description = f'<p class="portal-timeline__description">{tr_field(milestone, "description")}</p>'
        link = ""
        if href and own:
            link = (
                f'<a class="portal-small" href="{href.replace(str(_PLACEHOLDER_PK), str(milestone.pk))}">'
                f'{change}<span class="usa-sr-only"> {title}</span></a>'
            )
        items.append(
            "\n"
            f'    <li class="portal-timeline__item{"" if own else " portal-timeline__item--alliance"}">\n'
            f'      <time class="portal-timeline__date" datetime="{iso}">{text}</time>\n'
            f'      <span class="portal-timeline__title">{title}</span>\n'
            f'      <span class="portal-timeline__meta">{meta}</span>\n'
            f"      {description}\n"
            f"      {link}\n"
            "    </li>\n"
            "    "
        )
    return mark_safe("".join(items))  # noqa: S308 - every value above is escaped or built from escaped parts


def dialogue_rows(meetings: Iterable[Any], *, edit_iso_code: str = "") -> SafeString:
    """The `<tr>` of each dialogue meeting, most recent first, as the profile's table shows them;
    `edit_iso_code` (the partner's code) adds a link to change each."""
    language = active_language()
    day_format = get_format("DATE_FORMAT")
    change = gettext("Change")  # as {% translate %} writes it: a translated literal is not escaped
    href = _edit_href(edit_iso_code, "dialogue") if edit_iso_code else ""
    rows = []
    for meeting in meetings:
        title = tr_field(meeting, "title")
        cell = str(title)
        if meeting.summary:
            cell += f'<span class="portal-table__secondary">{tr_field(meeting, "summary")}</span>'
        if href:
            cell += (
                f' <a class="portal-small" href="{href.replace(str(_PLACEHOLDER_PK), str(meeting.pk))}">'
                f'{change}<span class="usa-sr-only"> {title}</span></a>'
            )
        rows.append(
            "\n"
            "        <tr>\n"
            f'          <td class="portal-nowrap">{time_html(language, meeting.date, day_format)}</td>\n'
            f"          <td>{cell}</td>\n"
            f"          <td>{conditional_escape(meeting.get_kind_display())}</td>\n"
            f"          <td>{typed(meeting.location, language) or '–'}</td>\n"
            "        </tr>\n"
            "        "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value above is escaped or built from escaped parts


def contribution_sections(series_list: Iterable[Any], *, edit_iso_code: str = "") -> SafeString:
    """Each contribution series (operations.selectors.ContributionSeries) under its operation's heading,
    with the sentence saying when only its latest periods are shown, and its table; or the sentence
    saying there is none. `edit_iso_code` (the partner's code) adds a link to change each contribution."""
    language = active_language()
    sections = []
    for series in series_list:
        operation = series.operation
        code = conditional_escape(operation.code)
        href = conditional_escape(reverse("operations:detail", args=[operation.code]))
        partial = ""
        if series.is_partial:
            sentence = ngettext(
                "The latest %(shown)s of %(counter)s period; the operation's page has them all.",
                "The latest %(shown)s of %(counter)s periods; the operation's page has them all.",
                series.count,
            ) % {
                "shown": shown_integer(language, len(series.rows)),
                "counter": shown_integer(language, series.count),
            }
            partial = f'<p class="portal-muted portal-small">{sentence}</p>'
        sections.append(
            "\n"
            f'  <h3 id="contributions-{code}"><a href="{href}">{tr_field(operation, "acronym")}</a> – '
            f'{tr_field(operation, "name")} <span class="portal-muted portal-small">'
            f"({tr_field(operation, 'theatre')})</span></h3>\n"
            f"  {partial}\n"
            f"  {contribution_table(series, edit_iso_code=edit_iso_code)}\n"
            "  "
        )
    if not sections:
        # As {% translate "..." %} writes it: a translated literal is not escaped.
        none = gettext("This partner has no recorded contribution to a NATO-led operation.")
        sections.append(f'\n  <p class="portal-muted">{none}</p>\n  ')
    return mark_safe("".join(sections))  # noqa: S308 - every value above is escaped or built from escaped parts
