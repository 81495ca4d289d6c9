"""The API's list of inclusion requests, read as `values()` rows and written as InclusionRequestSerializer
writes each request (the same JSON, byte for byte: `tests/perf/test_fast_representation.py`).

Fifty requests read as instances are some 350 model instances (each request with its partner, desk,
activity, catalogue item and two people), every one through modeltranslation's hooks; the rows here are
one tuple of columns per request.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import get_language
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from portal.api.rows import Row, Translated, datetime_writer, iso_date, plain_values, row_languages, user_ref
from portal.core.models import choice_labels
from portal.core.planner import joins_in_written_order

from ...programmes.api.list_rows import (
    CatalogueItemRef,
    PartnerRef,
    catalogue_item_ref_columns,
    partner_ref_columns,
)
from ...programmes.models import ProgrammeActivity
from ..models import InclusionRequest

REQUEST_LIST_COLUMNS = (
    "id",
    "reference",
    *partner_ref_columns("partner__"),
    "desk__code",
    "programme_activity_id",
    "programme_activity__title_en",
    "programme_activity__title_fr",
    "programme_activity__start_date",
    "programme_activity__end_date",
    "programme_activity__place",
    *catalogue_item_ref_columns("catalogue_item__"),
    "title",
    "start_date",
    "end_date",
    "place",
    "status",
    "revision",
    "needs_council_decision",
    "requested_by__username",
    "requested_by__first_name",
    "requested_by__last_name",
    "reviewer__username",
    "reviewer__first_name",
    "reviewer__last_name",
    "submitted_at",
    "due_at",
    "decided_at",
    "marking",
    "releasability",
    "created_at",
    "updated_at",
)

_PARTNER = PartnerRef("partner__")
_ITEM = CatalogueItemRef("catalogue_item__")
_ACTIVITY_TITLE = Translated(ProgrammeActivity, "title", "programme_activity__")


def request_list_rows(requests: QuerySet[InclusionRequest]) -> QuerySet[Any]:
    """The API list's queryset as the plain rows `request_list_output` writes."""
    return plain_values(requests.select_related(None), *REQUEST_LIST_COLUMNS)


def request_list_output(rows: list[Row]) -> list[dict[str, Any]]:
    """Each row as InclusionRequestSerializer writes the request."""
    languages = row_languages()
    labels = choice_labels(InclusionRequest._meta.get_field("status"), get_language())
    moment = datetime_writer()
    out = []
    for row in rows:
        activity = None
        if row["programme_activity_id"] is not None:
            activity = {
                "id": row["programme_activity_id"],
                "title": _ACTIVITY_TITLE(row, languages),
                "title_en": row["programme_activity__title_en"],
                "title_fr": row["programme_activity__title_fr"],
                "start_date": iso_date(row["programme_activity__start_date"]),
                "end_date": iso_date(row["programme_activity__end_date"]),
                "place": row["programme_activity__place"],
            }
        item = _ITEM(row, languages)
        # InclusionRequest.activity_title and its siblings: the activity's, else the request's own.
        if activity is not None:
            title, start, end, place = (
                activity["title"],
                activity["start_date"],
                activity["end_date"],
                activity["place"],
            )
        else:
            title = row["title"] or (item["title"] if item is not None else "")
            start, end, place = iso_date(row["start_date"]), iso_date(row["end_date"]), row["place"]
        status = row["status"]
        out.append(
            {
                "id": row["id"],
                "reference": row["reference"],
                "partner": _PARTNER(row, languages),
                "desk": row["desk__code"],
                "programme_activity": activity,
                "catalogue_item": item,
                "activity_title": title,
                "activity_start": start,
                "activity_end": end,
                "activity_place": place,
                "title": row["title"],
                "start_date": iso_date(row["start_date"]),
                "end_date": iso_date(row["end_date"]),
                "place": row["place"],
                "status": status,
                "status_label": labels.get(status, status),
                "revision": row["revision"],
                "needs_council_decision": row["needs_council_decision"],
                "requested_by": user_ref(
                    row["requested_by__username"],
                    row["requested_by__first_name"],
                    row["requested_by__last_name"],
                ),
                "reviewer": user_ref(
                    row["reviewer__username"], row["reviewer__first_name"], row["reviewer__last_name"]
                ),
                "submitted_at": moment(row["submitted_at"]),
                "due_at": moment(row["due_at"]),
                "decided_at": moment(row["decided_at"]),
                "marking": row["marking"],
                "releasability": row["releasability"],
                "created_at": moment(row["created_at"]),
                "updated_at": moment(row["updated_at"]),
            }
        )
    return out


def request_list_response(view: APIView, request: Request, requests: QuerySet[InclusionRequest]) -> Response:
    """A page of the list (the view's cursor pagination) written from plain rows."""
    paginator: Any = view.paginator  # type: ignore[attr-defined]
    # Seven tables: planning every order of their joins took 21-31 ms for 1-6 ms of execution (2 ms in
    # the written order; scale data, 7 December).
    with joins_in_written_order():
        page = paginator.paginate_queryset(request_list_rows(requests), request, view=view)
    return paginator.get_paginated_response(request_list_output(page))
