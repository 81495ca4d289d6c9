"""A programme's activities as a table, written in one pass (the programme page and the partner profile).

A programme has some 170 activities at scale; a template loop with two dates, a bilingual title, two
typed texts, a choice label, a status tag and a link per row cost more than the rest of the programme
page. The table here is the same markup, written with the page's own helpers: the date format, the choice
labels, the fixed words and the activity address are read once per table, and the bilingual and typed
texts are given the page's language once.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

from django.urls import reverse
from django.utils.formats import get_format
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from portal.core.html import column_headings
from portal.core.i18n import active_language, shown_integer, time_html
from portal.core.models import choice_labels
from portal.core.templatetags.bilingual import tr_pair, typed
from portal.core.templatetags.portal_tags import status_tag

from .models import ProgrammeActivity, WorkProgramme

_PLACEHOLDER_PK = 2147483647


def activity_table(activities: Iterable[Any], *, link_activities: bool = False) -> SafeString:
    """The activities (with their catalogue item read alongside), by the order given; with
    `link_activities`, each row links to the activity's page. No activity: a sentence saying so."""
    activities = list(activities)
    if not activities:
        sentence = escape(gettext("No activity is planned in this programme yet."))
        return mark_safe(f'<p class="portal-muted">{sentence}</p>')  # noqa: S308 - translated, escaped
    language = active_language()
    day_format = get_format("DATE_FORMAT")
    objectives = choice_labels(ProgrammeActivity._meta.get_field("objective"), language)
    statuses = choice_labels(ProgrammeActivity._meta.get_field("status"), language)
    no_decision = escape(gettext("no council decision needed"))
    open_label = escape(gettext("Open"))
    href = reverse("programmes:activity_detail", args=[_PLACEHOLDER_PK]) if link_activities else ""
    status_tags: dict[str, str] = {}  # one per distinct status
    rows = []
    for activity in activities:
        dates = time_html(language, activity.start_date, day_format)
        if activity.end_date != activity.start_date:
            dates += " – " + time_html(language, activity.end_date, day_format)
        title = tr_pair(activity.title_en, activity.title_fr, language)
        item = activity.catalogue_item
        if item is not None:
            needs = "" if item.needs_council_decision else f" · {no_decision}"
            title += f'<span class="portal-table__secondary">{escape(item.code)}{needs}</span>'
        status = status_tags.get(activity.status)
        if status is None:
            status = status_tags[activity.status] = status_tag(
                activity.status, statuses.get(activity.status, activity.status)
            )
        link = ""
        if href:
            own = href.replace(str(_PLACEHOLDER_PK), str(activity.pk))
            own_title, other_title = (
                (activity.title_fr, activity.title_en)
                if language == "fr"
                else (activity.title_en, activity.title_fr)
            )
            named = escape(own_title or other_title or "")
            link = f'<a href="{own}">{open_label}<span class="usa-sr-only"> {named}</span></a>'
            link = f"        <td>{link}</td>\n"
        rows.append(
            "      <tr>\n"
            f'        <td class="portal-nowrap">{dates}</td>\n'
            f"        <td>{title}</td>\n"
            f"        <td>{typed(activity.place, language) or '–'}</td>\n"
            f"        <td>{typed(activity.lead, language) or '–'}</td>\n"
            f"        <td>{escape(objectives.get(activity.objective, activity.objective))}</td>\n"
            f"        <td>{status}</td>\n"
            f"{link}"
            "      </tr>\n"
        )
    details = ""
    if link_activities:
        details_label = escape(gettext("Details"))
        details = f'      <th scope="col"><span class="usa-sr-only">{details_label}</span></th>\n'
    # The labels are gettext calls of their own, outside the f-strings, where makemessages finds them.
    caption = escape(gettext("Activities, by start date"))
    headings = column_headings(
        (gettext("Dates"), ""),
        (gettext("Activity"), ""),
        (gettext("Place"), ""),
        (gettext("Lead"), ""),
        (gettext("Objective"), ""),
        (gettext("Status"), ""),
    )
    return mark_safe(  # noqa: S308 - every value above is escaped or built from escaped parts
        '<div class="portal-table-wrap">\n'
        '  <table class="usa-table usa-table--borderless portal-table">\n'
        f'    <caption class="usa-sr-only">{caption}</caption>\n'
        "    <thead><tr>\n"
        f"{headings}"
        f"{details}"
        "    </tr></thead>\n"
        f"    <tbody>\n{''.join(rows)}    </tbody>\n"
        "  </table>\n"
        "</div>"
    )


# Pure functions of (language, number), kept for the process: the sentences of the programme list.
@functools.lru_cache(maxsize=1024)
def _activity_count(language: str, count: int) -> str:
    counter = shown_integer(language, count)
    return ngettext("%(counter)s activity", "%(counter)s activities", count) % {"counter": counter}


@functools.lru_cache(maxsize=1024)
def _opening(language: str, year: int) -> str:
    return gettext("Open the %(year)s programme") % {"year": shown_integer(language, year)}


def programme_list(programmes: Iterable[Any], latest_activities: list[Any]) -> SafeString:
    """A partner's programmes, newest first, as the profile shows them: one `<details>` each, the first
    open with its first activities (`latest_activities`, read by the caller). Each programme carries
    `activity_count`. Written in one pass: the template loop's two plural sentences, link and status tag
    per programme cost more than the rest of the section."""
    programmes = list(programmes)
    if not programmes:
        # As {% translate "..." %} wrote it: a translated literal is not escaped.
        none = gettext("No work programme is recorded for this partner.")
        return mark_safe(f'\n  <p class="portal-muted">{none}</p>\n  ')  # noqa: S308 - the portal's own words
    language = active_language()
    kinds = choice_labels(WorkProgramme._meta.get_field("kind"), language)
    statuses = choice_labels(WorkProgramme._meta.get_field("status"), language)
    href = reverse("programmes:detail", args=[_PLACEHOLDER_PK])
    status_tags: dict[str, str] = {}  # one per distinct status
    parts = []
    for index, programme in enumerate(programmes):
        count = programme.activity_count
        kind = conditional_escape(kinds.get(programme.kind, programme.kind))
        status = status_tags.get(programme.status)
        if status is None:
            status = status_tags[programme.status] = status_tag(
                programme.status, statuses.get(programme.status, programme.status)
            )
        own = href.replace(str(_PLACEHOLDER_PK), str(programme.pk))
        first = ""
        if index == 0:
            partial = ""
            if count > len(latest_activities):
                sentence = ngettext(
                    "The first %(shown)s of %(counter)s activity, by start date.",
                    "The first %(shown)s of %(counter)s activities, by start date.",
                    count,
                ) % {
                    "shown": shown_integer(language, len(latest_activities)),
                    "counter": shown_integer(language, count),
                }
                partial = f'<p class="portal-muted portal-small">{sentence}</p>'
            first = f"\n      {partial}\n      {activity_table(latest_activities)}\n      "
        parts.append(
            "\n"
            f'  <details class="portal-programme"{" open" if index == 0 else ""}>\n'
            "    <summary>\n"
            f"      <span>{shown_integer(language, programme.year)} – {kind}</span>\n"
            f"      {status}\n"
            f'      <span class="portal-muted portal-small">{_activity_count(language, count)}</span>\n'
            "    </summary>\n"
            '    <div class="portal-programme__body">\n'
            f'      <p class="portal-small"><a href="{own}">{_opening(language, programme.year)}</a></p>\n'
            f"      {first}\n"
            "    </div>\n"
            "  </details>\n"
            "  "
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped or built from escaped parts
