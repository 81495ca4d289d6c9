"""The API's list of partners, read as `values()` rows and written as PartnerSerializer writes each
partner (the same JSON, byte for byte: `tests/perf/test_fast_representation.py`).

A page of 50 partners read as instances is some 400 model instances (each partner with its region, its
framework and every cooperation area it chose, the same few areas again and again), every one through
modeltranslation's hooks. Here the page is one tuple per partner, and the areas one tuple per (partner,
area) pair, each distinct area written once per request.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.models import CooperationArea, Partner, PartnershipFramework, Region
from portal.api.rows import Row, Translated, plain_values, row_languages
from portal.core.i18n import localized_text
from portal.core.models import choice_labels

PARTNER_LIST_COLUMNS = (
    "id",
    "iso_code",
    "name_en",
    "name_fr",
    "region__code",
    "region__name_en",
    "region__name_fr",
    "framework__code",
    "framework__kind",
    "framework__acronym_en",
    "framework__acronym_fr",
    "framework__name_en",
    "framework__name_fr",
    "engagement_level",
    "dialogue_since",
    "status",
)

AREA_COLUMNS = (
    "partner_id",
    "cooperationarea_id",
    "cooperationarea__code",
    "cooperationarea__name_en",
    "cooperationarea__name_fr",
    "cooperationarea__description_en",
    "cooperationarea__description_fr",
)

_NAME = Translated(Partner, "name")
_REGION_NAME = Translated(Region, "name", "region__")
_FRAMEWORK_ACRONYM = Translated(PartnershipFramework, "acronym", "framework__")
_FRAMEWORK_NAME = Translated(PartnershipFramework, "name", "framework__")
_AREA_NAME = Translated(CooperationArea, "name", "cooperationarea__")
_AREA_DESCRIPTION = Translated(CooperationArea, "description", "cooperationarea__")


def partner_list_rows(partners: QuerySet[Partner]) -> QuerySet[Any]:
    """The directory's queryset as the plain rows `partner_list_output` writes (the areas apart)."""
    return plain_values(partners.prefetch_related(None).select_related(None), *PARTNER_LIST_COLUMNS)


def partner_areas(partner_ids: list[int], languages: tuple[str, ...]) -> dict[int, list[dict[str, Any]]]:
    """Each partner's cooperation areas as CooperationAreaSerializer writes them, in the directory's order
    (by name in the active language), in one query; an area chosen by many partners is written once."""
    pairs = (
        Partner.areas.through.objects.filter(partner_id__in=partner_ids)
        .order_by(localized_text("cooperationarea__name"))
        .values_list(*AREA_COLUMNS, named=False)
    )
    written: dict[int, dict[str, Any]] = {}
    areas: dict[int, list[dict[str, Any]]] = {pk: [] for pk in partner_ids}
    for partner_id, area_id, *_columns in pairs:
        area = written.get(area_id)
        if area is None:
            row = dict(zip(AREA_COLUMNS, (partner_id, area_id, *_columns), strict=True))
            area = written[area_id] = {
                "code": row["cooperationarea__code"],
                "name": _AREA_NAME(row, languages),
                "name_en": row["cooperationarea__name_en"],
                "name_fr": row["cooperationarea__name_fr"],
                "description": _AREA_DESCRIPTION(row, languages),
                "description_en": row["cooperationarea__description_en"],
                "description_fr": row["cooperationarea__description_fr"],
            }
        areas[partner_id].append(area)
    return areas


def partner_list_output(rows: list[Row]) -> list[dict[str, Any]]:
    """Each row as PartnerSerializer writes the partner, with its areas."""
    languages = row_languages()
    labels = choice_labels(Partner._meta.get_field("engagement_level"), get_language())
    areas = partner_areas([row["id"] for row in rows], languages)
    out = []
    for row in rows:
        level = row["engagement_level"]
        out.append(
            {
                "iso_code": row["iso_code"],
                "name": _NAME(row, languages),
                "name_en": row["name_en"],
                "name_fr": row["name_fr"],
                "region": {
                    "code": row["region__code"],
                    "name": _REGION_NAME(row, languages),
                    "name_en": row["region__name_en"],
                    "name_fr": row["region__name_fr"],
                },
                "framework": {
                    "code": row["framework__code"],
                    "kind": row["framework__kind"],
                    "acronym": _FRAMEWORK_ACRONYM(row, languages),
                    "acronym_en": row["framework__acronym_en"],
                    "acronym_fr": row["framework__acronym_fr"],
                    "name": _FRAMEWORK_NAME(row, languages),
                    "name_en": row["framework__name_en"],
                    "name_fr": row["framework__name_fr"],
                },
                "engagement_level": level,
                "engagement_level_label": labels.get(level, level),
                "dialogue_since": row["dialogue_since"],
                "status": row["status"],
                "areas": areas[row["id"]],
            }
        )
    return out


def partner_list_response(view: APIView, request: Request, partners: QuerySet[Partner]) -> Response:
    """A page of the directory (the view's pagination) written from plain rows."""
    paginator: Any = view.paginator  # type: ignore[attr-defined]
    page = paginator.paginate_queryset(partner_list_rows(partners), request, view=view)
    return paginator.get_paginated_response(partner_list_output(page))
