"""Pagination: numbered pages for small collections, cursors for the large ones."""

from typing import Any

from rest_framework import pagination


class PagePagination(pagination.PageNumberPagination):
    """Numbered pages with a total count: for collections of at most a few thousand rows."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


class CursorPagination(pagination.CursorPagination):
    """Opaque cursors, no COUNT: for collections that grow without bound (activities, requests, ...).

    The ordering comes from the view's `ordering` (and its OrderingFilter), so each view states it.
    """

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering: Any = "-pk"
