"""The directory's table rows, read as plain rows and written in one pass.

A template loop over 25 partners with a dozen tags and lookups each, over model instances with their
areas prefetched as instances too, cost more than the rest of the page. The rows here are the same
markup, written with the page's own helpers (bilingual fields, status tags) from `values()` rows, the
profile's address reversed once for the page, and the choice labels looked up once per request.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from portal.core.i18n import active_language, localized_text
from portal.core.models import choice_labels
from portal.core.templatetags.bilingual import tr_pair
from portal.core.templatetags.portal_tags import status_tag

from .models import Partner, PartnerStatus

# What a directory row reads (`directory_rows`): the partner's columns and its region's and framework's.
DIRECTORY_ROW_FIELDS = (
    "pk",
    "iso_code",
    "name_en",
    "name_fr",
    "status",
    "engagement_level",
    "dialogue_since",
    "area_count",
    "region__name_en",
    "region__name_fr",
    "framework__name_en",
    "framework__name_fr",
    "framework__acronym_en",
    "framework__acronym_fr",
)

_ROW = (
    "        <tr>\n"
    '          <th scope="row"><a href="{href}">{name}</a>{former}</th>\n'
    "          <td>{iso}</td>\n"
    "          <td>{region}</td>\n"
    '          <td><abbr title="{framework_name}">{framework}</abbr></td>\n'
    "          <td>{level}</td>\n"
    '          <td class="portal-num">{since}</td>\n'
    "          <td>\n"
    "{areas}"
    "          </td>\n"
    "        </tr>\n"
)
_AREAS = (
    '            <span class="usa-sr-only">{count}</span>\n'
    '            <ul class="portal-inline-list">{items}</ul>\n'
)


def directory_row_values(partners: QuerySet[Partner]) -> QuerySet[Any]:
    """The directory's queryset (or a page of it) as the plain rows `directory_rows` writes (no instances,
    no prefetch)."""
    return partners.prefetch_related(None).values(*DIRECTORY_ROW_FIELDS)


def _areas_by_partner(partner_ids: list[int]) -> dict[int, list[tuple[str, str]]]:
    """The areas of each partner, by name in the page's language: one query for the page."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if not partner_ids:
        return found
    rows = (
        Partner.areas.through.objects.filter(partner_id__in=partner_ids)
        .order_by(localized_text("cooperationarea__name"), "cooperationarea_id")
        .values_list("partner_id", "cooperationarea__name_en", "cooperationarea__name_fr")
    )
    for partner_id, name_en, name_fr in rows:
        found[partner_id].append((name_en, name_fr))
    return found


def directory_rows(rows: Any) -> SafeString:
    """The table rows of a page of `directory_row_values` rows."""
    rows = list(rows)
    areas_of = _areas_by_partner([row["pk"] for row in rows])
    # The profile's address, reversed once: ISO codes are two letters, nothing to escape or quote.
    head, tail = reverse("partners:profile", args=["ZZ"]).rsplit("ZZ", 1)
    language = get_language()
    lang = active_language()
    status_labels = choice_labels(Partner._meta.get_field("status"), language)
    level_labels = choice_labels(Partner._meta.get_field("engagement_level"), language)
    no_area = format_html('            <span class="portal-muted">{}</span>\n', gettext("None chosen yet"))
    out = []
    for row in rows:
        former = ""
        if row["status"] == PartnerStatus.FORMER:
            former = " " + status_tag(row["status"], status_labels.get(row["status"], row["status"]))
        areas = areas_of.get(row["pk"])
        if areas:
            count = row["area_count"]
            areas_html = _AREAS.format(
                count=ngettext("%(counter)s area:", "%(counter)s areas:", count) % {"counter": count},
                items="".join(f"<li>{tr_pair(en, fr, lang)}</li>" for en, fr in areas),
            )
        else:
            areas_html = no_area
        level = row["engagement_level"]
        out.append(
            _ROW.format(
                href=f"{head}{row['iso_code']}{tail}",
                name=tr_pair(row["name_en"], row["name_fr"], lang),
                former=former,
                iso=escape(row["iso_code"]),
                region=tr_pair(row["region__name_en"], row["region__name_fr"], lang),
                # The title attribute: the text alone, in the other language where the page's is empty.
                framework_name=escape(
                    (row["framework__name_fr"] if lang == "fr" else row["framework__name_en"])
                    or (row["framework__name_en"] if lang == "fr" else row["framework__name_fr"])
                    or ""
                ),
                framework=tr_pair(row["framework__acronym_en"], row["framework__acronym_fr"], lang),
                level=escape(level_labels.get(level, level)),
                since="–" if row["dialogue_since"] is None else row["dialogue_since"],
                areas=areas_html,
            )
        )
    return SafeString("".join(out))
