"""The API's list of catalogue items, read as `values()` rows and written as CatalogueItemSerializer
writes each item (the same JSON, byte for byte: `tests/perf/test_fast_representation.py`).

A page of items read as instances is two model instances per item (the item and its cooperation area,
every column of both read), each through modeltranslation's hooks; here it is one tuple per item, and
each distinct area is written once per request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.models import CooperationArea
from portal.api.rows import Row, Translated, iso_date, plain_values, row_languages
from portal.core.models import choice_labels

from ..models import CatalogueItem

_PLAIN_AFTER_EXEMPTION = ("external_reference", "institution", "discipline", "level", "delivery")

CATALOGUE_LIST_COLUMNS = (
    "id",
    "code",
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
    "kind",
    "area_id",
    "area__code",
    "area__name_en",
    "area__name_fr",
    "area__description_en",
    "area__description_fr",
    "needs_council_decision",
    "exemption_reason_en",
    "exemption_reason_fr",
    *_PLAIN_AFTER_EXEMPTION,
    "duration_days",
    "languages",
    "active_from",
    "deactivated_on",
    "marking",
    "audience",
    "fee_eur",
)

_TITLE = Translated(CatalogueItem, "title")
_DESCRIPTION = Translated(CatalogueItem, "description")
_EXEMPTION = Translated(CatalogueItem, "exemption_reason")
_AREA_NAME = Translated(CooperationArea, "name", "area__")
_AREA_DESCRIPTION = Translated(CooperationArea, "description", "area__")


@functools.cache
def _fee_writer() -> Callable[[Any], Any]:
    """The serializer's own DecimalField output (its digits and its setting for strings)."""
    from .serializers import CatalogueItemSerializer

    return CatalogueItemSerializer().fields["fee_eur"].to_representation


def catalogue_list_rows(items: QuerySet[CatalogueItem]) -> QuerySet[Any]:
    """The API list's queryset as the plain rows `catalogue_list_output` writes."""
    return plain_values(items.select_related(None), *CATALOGUE_LIST_COLUMNS)


def catalogue_list_output(rows: list[Row]) -> list[dict[str, Any]]:
    """Each row as CatalogueItemSerializer writes the item."""
    languages = row_languages()
    labels = choice_labels(CatalogueItem._meta.get_field("kind"), get_language())
    fee_text = _fee_writer()
    areas: dict[int, dict[str, Any]] = {}
    out = []
    for row in rows:
        kind = row["kind"]
        area = areas.get(row["area_id"])
        if area is None:
            area = areas[row["area_id"]] = {
                "code": row["area__code"],
                "name": _AREA_NAME(row, languages),
                "name_en": row["area__name_en"],
                "name_fr": row["area__name_fr"],
                "description": _AREA_DESCRIPTION(row, languages),
                "description_en": row["area__description_en"],
                "description_fr": row["area__description_fr"],
            }
        item: dict[str, Any] = {
            "id": row["id"],
            "code": row["code"],
            "title": _TITLE(row, languages),
            "title_en": row["title_en"],
            "title_fr": row["title_fr"],
            "description": _DESCRIPTION(row, languages),
            "description_en": row["description_en"],
            "description_fr": row["description_fr"],
            "kind": kind,
            "kind_label": labels.get(kind, kind),
            "area": area,
            "needs_council_decision": row["needs_council_decision"],
            "exemption_reason": _EXEMPTION(row, languages),
            "exemption_reason_en": row["exemption_reason_en"],
            "exemption_reason_fr": row["exemption_reason_fr"],
        }
        for name in _PLAIN_AFTER_EXEMPTION:
            item[name] = row[name]
        languages_spoken = row["languages"]
        fee = row["fee_eur"]
        item["duration_days"] = row["duration_days"]
        item["languages"] = None if languages_spoken is None else [str(code) for code in languages_spoken]
        item["active_from"] = iso_date(row["active_from"])
        item["deactivated_on"] = iso_date(row["deactivated_on"])
        item["marking"] = row["marking"]
        item["audience"] = row["audience"]
        item["fee_eur"] = None if fee is None else fee_text(fee)
        out.append(item)
    return out


def catalogue_list_response(view: APIView, request: Request, items: QuerySet[CatalogueItem]) -> Response:
    """A page of the catalogue (the view's pagination) written from plain rows."""
    paginator: Any = view.paginator  # type: ignore[attr-defined]
    page = paginator.paginate_queryset(catalogue_list_rows(items), request, view=view)
    return paginator.get_paginated_response(catalogue_list_output(page))
