"""The directory's table rows and filter options, read as plain rows and written in one pass.

A template loop over 25 partners with a dozen tags and lookups each, over model instances with their
areas prefetched as instances too, cost more than the rest of the page. The rows here are the same
markup, written with the page's own helpers (bilingual fields, status tags) from `values()` rows, the
profile's address reversed once for the page, the choice labels looked up once per request, and each
distinct region, framework, area and area count written once per page. A row carries its areas as ids
(aggregated in the directory's own query); their names and order come from the filter's list of areas,
read for the page anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from django.contrib.postgres.aggregates import ArrayAgg
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext, ngettext

from portal.core.i18n import active_language
from portal.core.models import choice_labels
from portal.core.templatetags.bilingual import tr_pair
from portal.core.templatetags.portal_tags import status_tag

from .models import Partner, PartnerEngagementLevel, PartnerStatus

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
    "area_ids",
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
    """The directory's queryset as the plain rows `directory_rows` writes (no instances, no prefetch),
    each with the ids of its areas (`area_ids`, in no order), aggregated over the join `area_count` counts."""
    return (
        partners.prefetch_related(None)
        .annotate(area_ids=ArrayAgg("areas", distinct=True))
        .values(*DIRECTORY_ROW_FIELDS)
    )


def directory_rows(rows: Iterable[Mapping[str, Any]], areas: list[dict[str, Any]]) -> SafeString:
    """The table rows of a page of `directory_row_values` rows; `areas` are every area (`directory_choices`),
    in the order a row lists its areas."""
    # The profile's address, reversed once: ISO codes are two letters, nothing to escape or quote.
    head, tail = reverse("partners:profile", args=["ZZ"]).rsplit("ZZ", 1)
    language = get_language()
    lang = active_language()
    status_labels = choice_labels(Partner._meta.get_field("status"), language)
    level_labels = choice_labels(Partner._meta.get_field("engagement_level"), language)
    no_area = format_html('            <span class="portal-muted">{}</span>\n', gettext("None chosen yet"))
    # Each area's place in the page's order and its list item, written when a row first shows it.
    rank = {area["pk"]: index for index, area in enumerate(areas)}
    area_items: dict[int, str] = {}
    # Regions, frameworks and area counts repeat from row to row: each distinct one written once.
    pairs: dict[tuple[str | None, str | None], str] = {}
    counts: dict[int, str] = {}
    levels = {value: escape(level_labels.get(value, value)) for value in PartnerEngagementLevel.values}
    out = []
    for row in rows:
        former = ""
        if row["status"] == PartnerStatus.FORMER:
            former = " " + status_tag(row["status"], status_labels.get(row["status"], row["status"]))
        count = row["area_count"]
        if count:
            items = []
            # (An area added since the page read the list has no place in it yet: left out.)
            for area_id in sorted((i for i in row["area_ids"] if i in rank), key=rank.__getitem__):
                item = area_items.get(area_id)
                if item is None:
                    area = areas[rank[area_id]]
                    item = area_items[area_id] = f"<li>{tr_pair(area['name_en'], area['name_fr'], lang)}</li>"
                items.append(item)
            label = counts.get(count)
            if label is None:
                label = counts[count] = ngettext("%(counter)s area:", "%(counter)s areas:", count) % {
                    "counter": count
                }
            areas_html = _AREAS.format(count=label, items="".join(items))
        else:
            areas_html = no_area
        region_key = (row["region__name_en"], row["region__name_fr"])
        region = pairs.get(region_key)
        if region is None:
            region = pairs[region_key] = tr_pair(*region_key, lang)
        framework_key = (row["framework__acronym_en"], row["framework__acronym_fr"])
        framework = pairs.get(framework_key)
        if framework is None:
            framework = pairs[framework_key] = tr_pair(*framework_key, lang)
        level = row["engagement_level"]
        out.append(
            _ROW.format(
                href=f"{head}{row['iso_code']}{tail}",
                name=tr_pair(row["name_en"], row["name_fr"], lang),
                former=former,
                iso=escape(row["iso_code"]),
                region=region,
                # The title attribute: the text alone, in the other language where the page's is empty.
                framework_name=escape(
                    (row["framework__name_fr"] if lang == "fr" else row["framework__name_en"])
                    or (row["framework__name_en"] if lang == "fr" else row["framework__name_fr"])
                    or ""
                ),
                framework=framework,
                level=levels.get(level) or escape(level_labels.get(level, level)),
                since="–" if row["dialogue_since"] is None else row["dialogue_since"],
                areas=areas_html,
            )
        )
    return SafeString("".join(out))


_OPTION = '<option value="{}"{}>{}</option>'


def _options(choices: Iterable[tuple[str, str]], selected: str) -> SafeString:
    """A select's options (value, text), the one whose value is `selected` marked so; as the template
    wrote them, one after another."""
    return SafeString(
        "".join(
            _OPTION.format(escape(value), " selected" if value == selected else "", escape(text))
            for value, text in choices
        )
    )


def filter_options_markup(
    regions: list[dict[str, Any]], areas: list[dict[str, Any]], filters: Mapping[str, str]
) -> dict[str, SafeString]:
    """The options of the directory's three selects (regions, engagement levels, areas), as markup,
    the filtered-on value of each selected."""
    level_labels = choice_labels(Partner._meta.get_field("engagement_level"), get_language())
    return {
        "regions": _options(((row["code"], row["label"] or "") for row in regions), filters["region"]),
        "engagement_levels": _options(
            ((value, level_labels[value]) for value in PartnerEngagementLevel.values),
            filters["engagement_level"],
        ),
        "areas": _options(((row["code"], row["label"] or "") for row in areas), filters["area"]),
    }
