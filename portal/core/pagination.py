"""Pagination shared by the list pages."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext


@dataclass(frozen=True)
class PageLink:
    """One entry of the pagination bar: a page's number and address, or an ellipsis (number None)."""

    number: int | None
    url: str = ""
    label: str = ""
    current: bool = False


class _PageUrls:
    """The current address's query string with another page number, keeping the filters and sorting
    where they are; the query string is encoded once for all the links of a page."""

    def __init__(self, request: HttpRequest) -> None:
        params = request.GET.copy()
        params["page"] = "0"
        self.pieces = params.urlencode().split("&")
        # The piece written for "page" (setting it replaced any the address had): exactly "page=0".
        self.at = self.pieces.index("page=0")

    def __call__(self, number: int) -> str:
        pieces = self.pieces.copy()
        pieces[self.at] = f"page={number}"
        return "?" + "&".join(pieces)


def paginate(
    request: HttpRequest, queryset: QuerySet[Any] | Sequence[Any], *, per_page: int
) -> dict[str, Any]:
    """The page asked for in `?page=` (the last one if too high, the first if not a number), of a queryset
    (counted and sliced in SQL) or of a list already read (counted and sliced here, no query).

    Returns the template context the include `includes/pagination.html` expects: `page_obj`, and the
    bar's links written here, once per page (`page_links`, `previous_url`, `next_url`).
    """
    paginator = Paginator(queryset, per_page)
    page_obj: Page[Any] = paginator.get_page(request.GET.get("page"))
    context: dict[str, Any] = {"page_obj": page_obj, "page_links": [], "previous_url": "", "next_url": ""}
    if paginator.num_pages <= 1:
        return context
    url = _PageUrls(request)
    label = gettext("Page %(number)s")
    for number in paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1):
        if number == paginator.ELLIPSIS:
            context["page_links"].append(PageLink(None))
        else:
            number = int(number)
            link = PageLink(number, url(number), label % {"number": number}, number == page_obj.number)
            context["page_links"].append(link)
    if page_obj.has_previous():
        context["previous_url"] = url(page_obj.previous_page_number())
    if page_obj.has_next():
        context["next_url"] = url(page_obj.next_page_number())
    return context
