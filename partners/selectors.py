"""Reads of partners: the directory (search, filters, sorting) and the profile with all its sections."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Value, When

from portal.core.i18n import localized_text
from portal.core.search import bilingual_vector, search_query

from .models import (
    CooperationArea,
    Partner,
    PartnerEngagementLevel,
    Region,
)

DIRECTORY_PAGE_SIZE = 25
SEARCH_MAX_LENGTH = 100
FULL_TEXT_MIN_LENGTH = 3


def current_partners() -> QuerySet[Partner]:
    """Partners not retired."""
    return cast("QuerySet[Partner]", Partner.objects.alive())


_ENGAGEMENT_RANK = Case(
    *(
        When(engagement_level=value, then=Value(rank))
        for rank, value in enumerate(PartnerEngagementLevel.values)
    ),
    default=Value(len(PartnerEngagementLevel.values)),
)

# Sort keys offered by the directory's column headers; anything else falls back to the name.
DIRECTORY_SORTS = ("name", "iso_code", "region", "engagement_level", "dialogue_since", "areas")
DIRECTORY_DEFAULT_SORT = "name"


def _ordering(sort: str) -> list[Any]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key not in DIRECTORY_SORTS:
        key, descending = DIRECTORY_DEFAULT_SORT, False
    expressions: dict[str, Any] = {
        "name": F("sort_name"),
        "iso_code": F("iso_code"),
        "region": F("sort_region"),
        "engagement_level": _ENGAGEMENT_RANK,
        "dialogue_since": F("dialogue_since"),
        "areas": F("area_count"),
    }
    primary = expressions[key]
    primary = primary.desc(nulls_last=True) if descending else primary.asc(nulls_last=True)
    return [primary, F("sort_name").asc(), "pk"]


def partner_directory(
    *, q: str = "", region: str = "", engagement_level: str = "", area: str = "", sort: str = ""
) -> QuerySet[Partner]:
    """Current partners matching a name search in English or French and the filters, in the chosen order.

    `region` and `area` are codes, `engagement_level` a PartnerEngagementLevel value, `sort` a key of
    DIRECTORY_SORTS, prefixed with '-' for descending order.
    """
    partners = (
        current_partners()
        .select_related("region", "framework")
        .prefetch_related(
            Prefetch("areas", queryset=CooperationArea.objects.order_by(localized_text("name")))
        )
        .annotate(
            sort_name=localized_text("name"),
            sort_region=localized_text("region__name"),
            area_count=Count("areas", distinct=True),
        )
    )
    q = q.strip()[:SEARCH_MAX_LENGTH]
    if q:
        partners = _matching_name(partners, q)
    if region:
        partners = partners.filter(region__code=region)
    if engagement_level:
        partners = partners.filter(engagement_level=engagement_level)
    if area:
        partners = partners.filter(
            pk__in=Partner.areas.through.objects.filter(cooperationarea__code=area).values("partner_id")
        )
    return partners.order_by(*_ordering(sort or DIRECTORY_DEFAULT_SORT))


_P = TypeVar("_P", bound=QuerySet[Any])


def _matching_name(partners: _P, q: str) -> _P:
    """Partners whose name (English or French) has words starting with the words searched, or whose
    ISO code it is. One or two letters are no word to search for: they match anywhere in a name."""
    by_code = Q(iso_code=q.upper())
    query = search_query(q) if len(q) >= FULL_TEXT_MIN_LENGTH else None
    if query is None:
        return partners.filter(Q(name_en__icontains=q) | Q(name_fr__icontains=q) | by_code)
    return partners.alias(found=bilingual_vector("name")).filter(Q(found=query) | by_code)


@dataclass(frozen=True)
class DirectoryFilterOptions:
    regions: list[Region]
    areas: list[CooperationArea]
    engagement_levels: list[tuple[str, Any]]


def directory_filter_options() -> DirectoryFilterOptions:
    """The choices offered above the directory: every region and area, and the engagement levels."""
    return DirectoryFilterOptions(
        regions=list(Region.objects.order_by(localized_text("name"))),
        areas=list(CooperationArea.objects.order_by(localized_text("name"))),
        engagement_levels=list(PartnerEngagementLevel.choices),
    )


@dataclass(frozen=True)
class DirectoryChoices:
    """The regions and areas the directory's filters offer, as plain rows in the page's order (by name in
    the page's language): each a dict of `pk`, `code`, `name_en`, `name_fr` and `label` (the name shown)."""

    regions: list[dict[str, Any]]
    areas: list[dict[str, Any]]


_CHOICE_COLUMNS = ("kind", "pk", "code", "name_en", "name_fr", "label")


def directory_choices() -> DirectoryChoices:
    """Every region and area for the directory's page, in one query (the page shows their codes and names;
    the areas' names also serve the table's rows)."""

    def rows_of(model: type[Region | CooperationArea], kind: str) -> QuerySet[Any]:
        return (
            model.objects.order_by()
            .annotate(kind=Value(kind, output_field=CharField()), label=localized_text("name"))
            .values(*_CHOICE_COLUMNS)
        )

    both = rows_of(Region, "region").union(rows_of(CooperationArea, "area"), all=True)
    choices = DirectoryChoices(regions=[], areas=[])
    for row in both.order_by("kind", "label", "pk"):
        (choices.regions if row.pop("kind") == "region" else choices.areas).append(row)
    return choices
