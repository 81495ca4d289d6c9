"""Pagination shared by the list pages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(
    request: HttpRequest, queryset: QuerySet[Any] | Sequence[Any], *, per_page: int
) -> dict[str, Any]:
    """The page asked for in `?page=` (the last one if too high, the first if not a number), of a queryset
    (counted and sliced in SQL) or of a list already read (counted and sliced here, no query).

    Returns the template context the include `includes/pagination.html` expects.
    """
    paginator = Paginator(queryset, per_page)
    page_obj: Page[Any] = paginator.get_page(request.GET.get("page"))
    return {
        "page_obj": page_obj,
        "page_range": list(paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)),
    }
