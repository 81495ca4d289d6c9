"""The API's list of programme activities, read as `values()` rows and written as ActivitySerializer writes
each activity (the same JSON, byte for byte: `tests/perf/test_fast_representation.py`); and the partner
and catalogue item references, which the request list writes the same way.

Fifty activities read as instances are 200 model instances (each activity with its programme, partner and
catalogue item), every one through modeltranslation's hooks; the rows here are one tuple per activity.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from partners.models import Partner
from portal.api.rows import Row, Translated, iso_date, plain_values, row_languages
from portal.core.models import choice_labels

from ...catalogue.models import CatalogueItem
from ..models import ProgrammeActivity, WorkProgramme


def partner_ref_columns(prefix: str) -> tuple[str, ...]:
    """The columns `PartnerRef` reads, under `prefix` (e.g. "partner__")."""
    return tuple(f"{prefix}{name}" for name in ("iso_code", "name_en", "name_fr"))


class PartnerRef:
    """PartnerRefSerializer's output from the columns `partner_ref_columns(prefix)`."""

    __slots__ = ("code", "name", "name_en", "name_fr")

    def __init__(self, prefix: str) -> None:
        self.code, self.name_en, self.name_fr = partner_ref_columns(prefix)
        self.name = Translated(Partner, "name", prefix)

    def __call__(self, row: Row, languages: tuple[str, ...]) -> dict[str, Any]:
        return {
            "iso_code": row[self.code],
            "name": self.name(row, languages),
            "name_en": row[self.name_en],
            "name_fr": row[self.name_fr],
        }


def catalogue_item_ref_columns(prefix: str) -> tuple[str, ...]:
    """The columns `CatalogueItemRef` reads: the foreign key (`<prefix>id`) and the item's."""
    return tuple(
        f"{prefix}{name}" for name in ("id", "code", "title_en", "title_fr", "needs_council_decision")
    )


class CatalogueItemRef:
    """CatalogueItemRefSerializer's output from `catalogue_item_ref_columns(prefix)`; None without an item."""

    __slots__ = ("code", "id", "needs_decision", "title", "title_en", "title_fr")

    def __init__(self, prefix: str) -> None:
        self.id, self.code, self.title_en, self.title_fr, self.needs_decision = catalogue_item_ref_columns(
            prefix
        )
        self.title = Translated(CatalogueItem, "title", prefix)

    def __call__(self, row: Row, languages: tuple[str, ...]) -> dict[str, Any] | None:
        pk = row[self.id]
        if pk is None:
            return None
        return {
            "id": pk,
            "code": row[self.code],
            "title": self.title(row, languages),
            "title_en": row[self.title_en],
            "title_fr": row[self.title_fr],
            "needs_council_decision": row[self.needs_decision],
        }


ACTIVITY_LIST_COLUMNS = (
    "id",
    "programme_id",
    *partner_ref_columns("programme__partner__"),
    "programme__year",
    *catalogue_item_ref_columns("catalogue_item__"),
    "title_en",
    "title_fr",
    "objective",
    "start_date",
    "end_date",
    "place",
    "lead",
    "status",
    "marking",
    "releasability",
)

_PARTNER = PartnerRef("programme__partner__")
_ITEM = CatalogueItemRef("catalogue_item__")
_TITLE = Translated(ProgrammeActivity, "title")


def activity_list_rows(activities: QuerySet[ProgrammeActivity]) -> QuerySet[Any]:
    """The API list's queryset as the plain rows `activity_list_output` writes."""
    return plain_values(activities.select_related(None), *ACTIVITY_LIST_COLUMNS)


def activity_list_output(rows: list[Row]) -> list[dict[str, Any]]:
    """Each row as ActivitySerializer writes the activity."""
    languages = row_languages()
    labels = choice_labels(ProgrammeActivity._meta.get_field("status"), get_language())
    out = []
    for row in rows:
        status = row["status"]
        out.append(
            {
                "id": row["id"],
                "programme": row["programme_id"],
                "partner": _PARTNER(row, languages),
                "year": row["programme__year"],
                "catalogue_item": _ITEM(row, languages),
                "title": _TITLE(row, languages),
                "title_en": row["title_en"],
                "title_fr": row["title_fr"],
                "objective": row["objective"],
                "start_date": iso_date(row["start_date"]),
                "end_date": iso_date(row["end_date"]),
                "place": row["place"],
                "lead": row["lead"],
                "status": status,
                "status_label": labels.get(status, status),
                "marking": row["marking"],
                "releasability": row["releasability"],
            }
        )
    return out


def activity_list_response(
    view: APIView, request: Request, activities: QuerySet[ProgrammeActivity]
) -> Response:
    """A page of the list (the view's cursor pagination) written from plain rows."""
    paginator: Any = view.paginator  # type: ignore[attr-defined]
    page = paginator.paginate_queryset(activity_list_rows(activities), request, view=view)
    return paginator.get_paginated_response(activity_list_output(page))


PROGRAMME_LIST_COLUMNS = (
    "id",
    *partner_ref_columns("partner__"),
    "year",
    "kind",
    "status",
    "agreed_on",
    "agreement_reference",
    "marking",
    "releasability",
    "activity_count",
)

_PROGRAMME_PARTNER = PartnerRef("partner__")


def programme_list_rows(programmes: QuerySet[WorkProgramme]) -> QuerySet[Any]:
    """The API list's queryset as the plain rows `programme_list_output` writes."""
    return plain_values(programmes.select_related(None), *PROGRAMME_LIST_COLUMNS)


def programme_list_output(rows: list[Row]) -> list[dict[str, Any]]:
    """Each row as ProgrammeSerializer writes the programme."""
    languages = row_languages()
    labels = choice_labels(WorkProgramme._meta.get_field("status"), get_language())
    out = []
    for row in rows:
        status = row["status"]
        out.append(
            {
                "id": row["id"],
                "partner": _PROGRAMME_PARTNER(row, languages),
                "year": row["year"],
                "kind": row["kind"],
                "status": status,
                "status_label": labels.get(status, status),
                "agreed_on": iso_date(row["agreed_on"]),
                "agreement_reference": row["agreement_reference"],
                "marking": row["marking"],
                "releasability": row["releasability"],
                "activity_count": row["activity_count"],
            }
        )
    return out


def programme_list_response(view: APIView, request: Request, programmes: QuerySet[WorkProgramme]) -> Response:
    """A page of the list (the view's pagination) written from plain rows."""
    paginator: Any = view.paginator  # type: ignore[attr-defined]
    page = paginator.paginate_queryset(programme_list_rows(programmes), request, view=view)
    return paginator.get_paginated_response(programme_list_output(page))
