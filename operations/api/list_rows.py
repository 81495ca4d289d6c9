"""The API's lists of operations and contributions, read as `values()` rows and written as
OperationSerializer and ContributionSerializer write each record (the same JSON, byte for byte:
`tests/perf/test_fast_representation.py`).

Fifty contributions read as instances are 150 model instances (each with its partner and its operation,
every column of the three read), every one through modeltranslation's hooks; here a page is one tuple
per row, of the columns the output shows.
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

from partners.models import Partner
from portal.api.rows import Row, Translated, iso_date, plain_values, row_languages
from portal.core.models import choice_labels

from ..models import Contribution, Operation

_TEXTS = ("command_arrangement", "decision_making_association", "description")

CONTRIBUTION_LIST_COLUMNS = (
    "id",
    "partner__iso_code",
    "partner__name_en",
    "partner__name_fr",
    "operation__code",
    "kind",
    "period_start",
    "period_end",
    "personnel",
    "amount",
    "currency",
    "planned_through_icc",
    *(f"{name}_{language}" for name in _TEXTS for language in ("en", "fr")),
    "source",
)

OPERATION_LIST_COLUMNS = (
    "code",
    *(f"{name}_{language}" for name in ("acronym", "name", "theatre") for language in ("en", "fr")),
    "start_date",
    "end_date",
    "partner_count",
)

_PARTNER_NAME = Translated(Partner, "name", "partner__")
_CONTRIBUTION_TEXTS = tuple((name, Translated(Contribution, name)) for name in _TEXTS)
_OPERATION_TEXTS = tuple((name, Translated(Operation, name)) for name in ("acronym", "name", "theatre"))


@functools.cache
def _amount_writer() -> Callable[[Any], Any]:
    """The serializer's own DecimalField output (its digits and its setting for strings)."""
    from .serializers import ContributionSerializer

    return ContributionSerializer().fields["amount"].to_representation


def contribution_list_rows(contributions: QuerySet[Contribution]) -> QuerySet[Any]:
    """The API list's queryset as the plain rows `contribution_list_output` writes."""
    return plain_values(contributions.select_related(None), *CONTRIBUTION_LIST_COLUMNS)


def contribution_list_output(rows: list[Row]) -> list[dict[str, Any]]:
    """Each row as ContributionSerializer writes the contribution."""
    languages = row_languages()
    labels = choice_labels(Contribution._meta.get_field("kind"), get_language())
    amount_text = _amount_writer()
    out = []
    for row in rows:
        kind = row["kind"]
        amount = row["amount"]
        item: dict[str, Any] = {
            "id": row["id"],
            "partner": {
                "iso_code": row["partner__iso_code"],
                "name": _PARTNER_NAME(row, languages),
                "name_en": row["partner__name_en"],
                "name_fr": row["partner__name_fr"],
            },
            "operation": row["operation__code"],
            "kind": kind,
            "kind_label": labels.get(kind, kind),
            "period_start": iso_date(row["period_start"]),
            "period_end": iso_date(row["period_end"]),
            "personnel": row["personnel"],
            "amount": None if amount is None else amount_text(amount),
            "currency": row["currency"],
            "planned_through_icc": row["planned_through_icc"],
        }
        for name, text in _CONTRIBUTION_TEXTS:
            item[name] = text(row, languages)
            item[f"{name}_en"] = row[f"{name}_en"]
            item[f"{name}_fr"] = row[f"{name}_fr"]
        item["source"] = row["source"]
        out.append(item)
    return out


def operation_list_rows(operations: QuerySet[Operation]) -> QuerySet[Any]:
    """The API list's queryset as the plain rows `operation_list_output` writes."""
    return plain_values(operations, *OPERATION_LIST_COLUMNS)


def operation_list_output(rows: list[Row]) -> list[dict[str, Any]]:
    """Each row as OperationSerializer writes the operation."""
    languages = row_languages()
    out = []
    for row in rows:
        item: dict[str, Any] = {"code": row["code"]}
        for name, text in _OPERATION_TEXTS:
            item[name] = text(row, languages)
            item[f"{name}_en"] = row[f"{name}_en"]
            item[f"{name}_fr"] = row[f"{name}_fr"]
        end_date = row["end_date"]
        item["start_date"] = iso_date(row["start_date"])
        item["end_date"] = iso_date(end_date)
        item["is_ongoing"] = end_date is None
        item["partner_count"] = row["partner_count"]
        out.append(item)
    return out


def list_response(
    view: APIView,
    request: Request,
    rows: QuerySet[Any],
    output: Callable[[list[Row]], list[dict[str, Any]]],
) -> Response:
    """A page of `rows` (the view's pagination) written by `output`."""
    paginator: Any = view.paginator  # type: ignore[attr-defined]
    page = paginator.paginate_queryset(rows, request, view=view)
    return paginator.get_paginated_response(output(page))
