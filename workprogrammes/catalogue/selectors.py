"""Reads of the activity catalogue, limited to what the user's clearance allows."""

from __future__ import annotations

import datetime
from typing import cast

from django.db.models import Q, QuerySet
from django.utils import timezone

from portal.accounts.models import User
from portal.core.search import bilingual_vector, search_query

from .models import CATALOGUE_SEARCH_FIELDS, CatalogueItem

SEARCH_MAX_LENGTH = 100


def catalogue_search(items: QuerySet[CatalogueItem], q: str) -> QuerySet[CatalogueItem]:
    """Items whose code starts with the text, whose external reference it is, or whose title or description
    (English or French) has words starting with its words (full-text search, GIN-indexed)."""
    by_code = Q(code__istartswith=q) | Q(external_reference__iexact=q)
    query = search_query(q)
    if query is None:
        return items.filter(by_code)
    return items.alias(found=bilingual_vector(*CATALOGUE_SEARCH_FIELDS)).filter(Q(found=query) | by_code)


def catalogue_item_list(
    *,
    user: User,
    q: str = "",
    kind: str = "",
    area: str = "",
    needs_council_decision: bool | None = None,
) -> QuerySet[CatalogueItem]:
    """Current catalogue items the user's clearance covers, by code.

    `q` searches codes, titles and descriptions (catalogue_search); `area` is a cooperation area code.
    """
    items = cast("QuerySet[CatalogueItem]", CatalogueItem.objects.alive())
    items = items.filter(marking__lte=user.clearance).select_related("area").order_by("code")
    q = q.strip()[:SEARCH_MAX_LENGTH]
    if q:
        items = catalogue_search(items, q)
    if kind:
        items = items.filter(kind=kind)
    if area:
        items = items.filter(area__code=area)
    if needs_council_decision is not None:
        items = items.filter(needs_council_decision=needs_council_decision)
    return items


def catalogue_item_is_offered(item: CatalogueItem | None, *, on: datetime.date | None = None) -> bool:
    """Whether officers may pick this item now: not retired, not deactivated (and already active)."""
    if item is None:
        return True
    on = on or timezone.localdate()
    if item.deleted_at is not None:
        return False
    return item.deactivated_on is None or item.deactivated_on > on
