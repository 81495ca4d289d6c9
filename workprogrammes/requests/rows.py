"""Rows of the request lists (the review queue and "My requests"), read as plain values and written in one
pass.

A template loop over 25 requests, each an include with a dozen tags and lookups over a request with six
related records loaded as instances, cost most of a list page. The rows here are the same markup,
written with the page's own helpers (bilingual text, status tags) from `values()` rows; the request's
address is reversed once for the page, and the status labels and date format are read once per request.
"""

from __future__ import annotations

import datetime
import functools
import html
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.timezone import get_current_timezone
from django.utils.translation import get_language, gettext

from portal.accounts.models import Desk
from portal.core.i18n import active_language, localized_text
from portal.core.models import choice_labels
from portal.core.templatetags.bilingual import tr_pair, typed
from portal.core.templatetags.portal_tags import status_tag

from .models import WAITING_FOR_REVIEW, InclusionRequest

# What a row reads (`request_rows`).
REQUEST_ROW_FIELDS = (
    "pk",
    "reference",
    "status",
    "due_at",
    "updated_at",
    "title",
    "partner__name_en",
    "partner__name_fr",
    "programme_activity_id",
    "programme_activity__title_en",
    "programme_activity__title_fr",
    "catalogue_item__title_en",
    "catalogue_item__title_fr",
)

_PICK = (
    "            <td>\n"
    '              <div class="usa-checkbox">\n'
    '                <input class="usa-checkbox__input" id="pick-{pk}" type="checkbox" name="requests"'
    ' value="{pk}">\n'
    '                <label class="usa-checkbox__label" for="pick-{pk}"><span class="usa-sr-only">{select}'
    "</span></label>\n"
    "              </div>\n"
    "            </td>\n"
)
_CELLS = (
    '<th scope="row" class="portal-nowrap"><a href="{href}">{reference}</a></th>\n'
    "<td>{partner}</td>\n"
    "<td>{activity}</td>\n"
    "<td>{status}</td>\n"
    '<td class="portal-nowrap">{due}</td>\n'
    '<td class="portal-nowrap"><time datetime="{updated_iso}">{updated}</time></td>\n'
)


def request_row_values(requests: QuerySet[InclusionRequest]) -> QuerySet[Any]:
    """A request list's queryset (or the page of it: the count is taken on the list itself, without the
    rows' joins) as the plain rows `request_rows` writes."""
    return requests.select_related(None).values(*REQUEST_ROW_FIELDS)


@functools.lru_cache(maxsize=4096)
def _date_text(language: str, day: datetime.date) -> str:
    """A day as the page's DATE_FORMAT writes it ("27 Nov 2026", "27 novembre 2026"), escaped: a pure
    function of the language and the day, so written once per process for each (rows share few days)."""
    return escape(dateformat.format(day, get_format("DATE_FORMAT", language)))


def request_rows(rows: Any, *, pick: bool = False, overdue: bool = False) -> SafeString:
    """The table rows of a page of `request_row_values` rows; `pick` adds the queue's checkbox cell, and
    `overdue` the queue's tag on each review past its due time (InclusionRequest.review_overdue_q's rule
    for a request waiting with a due time; one without shows no due date)."""
    head, tail = reverse("requests:detail", args=["IR-0000-0000"]).rsplit("IR-0000-0000", 1)
    language = get_language()
    lang = active_language()
    zone = get_current_timezone()
    now = timezone.now()
    labels = choice_labels(InclusionRequest._meta.get_field("status"), language)
    overdue_tag = ' <span class="usa-tag portal-tag--overdue">{}</span>'.format(escape(gettext("Overdue")))
    select = gettext("Select %(reference)s")
    # Rows repeat partners, activities and statuses: each one's markup is written once per page.
    texts: dict[tuple[str, ...], str] = {}
    statuses: dict[str, str] = {}
    out = []
    for row in rows:
        status = row["status"]
        if row["programme_activity_id"] is not None:
            key: tuple[str, ...] = (row["programme_activity__title_en"], row["programme_activity__title_fr"])
        elif row["title"]:
            key = (row["title"],)
        else:
            key = (row["catalogue_item__title_en"], row["catalogue_item__title_fr"])
        activity = texts.get(key)
        if activity is None:
            activity = texts[key] = typed(key[0], lang) if len(key) == 1 else tr_pair(key[0], key[1], lang)
        partner_key = ("partner", row["partner__name_en"], row["partner__name_fr"])
        partner = texts.get(partner_key)
        if partner is None:
            partner = texts[partner_key] = tr_pair(partner_key[1], partner_key[2], lang)
        status_html = statuses.get(status)
        if status_html is None:
            status_html = statuses[status] = status_tag(status, labels.get(status, status))
        due_at = row["due_at"]
        if due_at and status in WAITING_FOR_REVIEW:
            local_due = due_at.astimezone(zone)
            due = '<time datetime="{}">{}</time>{}'.format(
                local_due.isoformat(),
                _date_text(language, local_due.date()),
                overdue_tag if overdue and due_at < now else "",
            )
        else:
            due = "–"
        updated_at = row["updated_at"].astimezone(zone)
        reference = html.escape(row["reference"])
        cells = _CELLS.format(
            href=f"{head}{reference}{tail}",
            reference=reference,
            partner=partner,
            activity=activity,
            status=status_html,
            due=due,
            updated_iso=updated_at.isoformat(),
            updated=_date_text(language, updated_at.date()),
        )
        if pick:
            pick_cell = _PICK.format(pk=row["pk"], select=select % {"reference": reference})
            out.append(f"          <tr>\n{pick_cell}            {cells}          </tr>\n")
        else:
            out.append(f"<tr>{cells}</tr>")
    return SafeString("".join(out))


def _name_options(rows: QuerySet[Any]) -> list[tuple[int, str]]:
    """(id, name in the page's language, or the other language's where it is empty, or "" as the translated
    field reads when both are) of each row, in the rows' order."""
    own, other = ("name_fr", "name_en") if active_language() == "fr" else ("name_en", "name_fr")
    return [(pk, first or second or "") for pk, first, second in rows.values_list("pk", own, other)]


def partner_options() -> list[tuple[int, str]]:
    """Every partner as a filter's option (id, name in the page's language), by that name."""
    from partners.models import Partner

    return _name_options(Partner.objects.order_by(localized_text("name")))


def desk_options() -> list[tuple[int, str]]:
    """Every desk as a filter's option (id, name in the page's language), by that name."""
    return _name_options(Desk.objects.order_by("name"))


def reviewer_options(reviewers: QuerySet[Any]) -> list[tuple[int, str]]:
    """The reviewers a review can be given to as (id, label) options, labelled as the form's field
    labels them: "First Last (username)", or the username alone."""
    options = []
    for pk, first, last, username in reviewers.values_list("pk", "first_name", "last_name", "username"):
        name = f"{first} {last}".strip()
        options.append((pk, f"{name} ({username})" if name else str(username)))
    return options
