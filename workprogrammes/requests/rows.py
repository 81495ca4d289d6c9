"""Rows of the request lists (the review queue and "My requests"), read as plain values and written in one
pass.

A template loop over 25 requests, each an include with a dozen tags and lookups over a request with six
related records loaded as instances, cost most of a list page. The rows here are the same markup,
written with the page's own helpers (bilingual text, status tags) from `values()` rows; the request's
address is reversed once for the page, and the status labels and date format are read once per request.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import escape
from django.utils.safestring import SafeString
from django.utils.timezone import localtime
from django.utils.translation import get_language, gettext

from portal.core.i18n import active_language, localized_text
from portal.core.models import choice_labels
from portal.core.templatetags.bilingual import tr_pair, typed
from portal.core.templatetags.portal_tags import status_tag

from .models import WAITING_FOR_REVIEW, InclusionRequest

# What a row reads (`request_rows`); `is_overdue` is the queue's annotation.
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


def request_row_values(requests: QuerySet[InclusionRequest], *, overdue: bool = False) -> QuerySet[Any]:
    """A request list's queryset (or the page of it: the count is taken on the list itself, without the
    rows' joins) as the plain rows `request_rows` writes, with the queue's `is_overdue`."""
    fields = (*REQUEST_ROW_FIELDS, "is_overdue") if overdue else REQUEST_ROW_FIELDS
    return requests.select_related(None).values(*fields)


def request_rows(rows: Any, *, pick: bool = False) -> SafeString:
    """The table rows of a page of `request_row_values` rows; `pick` adds the queue's checkbox cell."""
    head, tail = reverse("requests:detail", args=["IR-0000-0000"]).rsplit("IR-0000-0000", 1)
    language = get_language()
    lang = active_language()
    labels = choice_labels(InclusionRequest._meta.get_field("status"), language)
    date_format = get_format("DATE_FORMAT")
    overdue_tag = ' <span class="usa-tag portal-tag--overdue">{}</span>'.format(escape(gettext("Overdue")))
    out = []
    for row in rows:
        status = row["status"]
        if row["programme_activity_id"] is not None:
            activity = tr_pair(row["programme_activity__title_en"], row["programme_activity__title_fr"], lang)
        elif row["title"]:
            activity = typed(row["title"], lang)
        else:
            activity = tr_pair(row["catalogue_item__title_en"], row["catalogue_item__title_fr"], lang)
        due_at = row["due_at"]
        if due_at and status in WAITING_FOR_REVIEW:
            due_at = localtime(due_at)
            due = '<time datetime="{}">{}</time>{}'.format(
                escape(dateformat.format(due_at, "c")),
                escape(dateformat.format(due_at, date_format)),
                overdue_tag if row.get("is_overdue") else "",
            )
        else:
            due = "–"
        updated_at = localtime(row["updated_at"])
        reference = escape(row["reference"])
        cells = _CELLS.format(
            href=f"{head}{reference}{tail}",
            reference=reference,
            partner=tr_pair(row["partner__name_en"], row["partner__name_fr"], lang),
            activity=activity,
            status=status_tag(status, labels.get(status, status)),
            due=due,
            updated_iso=escape(dateformat.format(updated_at, "c")),
            updated=escape(dateformat.format(updated_at, date_format)),
        )
        if pick:
            select = gettext("Select %(reference)s") % {"reference": reference}
            pick_cell = _PICK.format(pk=row["pk"], select=select)
            out.append(f"          <tr>\n{pick_cell}            {cells}          </tr>\n")
        else:
            out.append(f"<tr>{cells}</tr>")
    return SafeString("".join(out))


def partner_options() -> list[tuple[int, str]]:
    """Every partner as a filter's option (id, name in the page's language), by name."""
    from partners.models import Partner

    lang = active_language()
    rows = Partner.objects.order_by(localized_text("name")).values_list("pk", "name_en", "name_fr")
    return [
        (pk, (name_fr or name_en) if lang == "fr" else (name_en or name_fr)) for pk, name_en, name_fr in rows
    ]


def reviewer_options(reviewers: QuerySet[Any]) -> list[tuple[int, str]]:
    """The reviewers a review can be given to as (id, label) options, labelled as the form's field
    labels them: "First Last (username)", or the username alone."""
    options = []
    for pk, first, last, username in reviewers.values_list("pk", "first_name", "last_name", "username"):
        name = f"{first} {last}".strip()
        options.append((pk, f"{name} ({username})" if name else str(username)))
    return options
