"""API lists kept in the cache until the data changes, as the pages are (portal/core/page_cache.py).

A list's JSON is kept under everything it depends on besides the data: the view, the full path with its
filters and cursor, the user (with roles and clearance), the language and the negotiated format. The
data's version (the latest history event of every tracked model) is part of the key, so a write
anywhere makes every kept list stale at once. Authentication, permissions and throttling run before
the cache is looked at, exactly as for a list that is built.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.translation import get_language
from rest_framework.request import Request
from rest_framework.response import Response

from portal.core.page_cache import data_version, hashed_key, user_key_parts

logger = logging.getLogger(__name__)


def list_key(request: Request, view_name: str, version: str) -> str:
    renderer = getattr(request, "accepted_renderer", None)
    parts = [
        view_name,
        request.get_full_path(),
        version,
        *user_key_parts(request.user),
        get_language() or "",
        getattr(renderer, "format", "") or "",
        getattr(request, "accepted_media_type", "") or "",
    ]
    return hashed_key("api-list", parts)


class CachedListMixin:
    """For a ListAPIView: serve GET from the cache while the data is unchanged; keep each page built."""

    _list_cache_key: str | None = None

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        if not settings.PAGE_CACHE_SECONDS or not request.user.is_authenticated:
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        try:
            version, storable = data_version()
            key = list_key(request, type(self).__qualname__, version)
            found = cache.get(key)
        except Exception:  # e.g. the cache's server is down: the list is built as if nothing were kept
            logger.warning("List cache unavailable; the list is built afresh.", exc_info=True)
            return super().list(request, *args, **kwargs)  # type: ignore[misc]
        if found is not None:
            content_type, content = found
            return HttpResponse(content, content_type=content_type)
        self._list_cache_key = key if storable else None
        return super().list(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        key = self._list_cache_key
        if key and isinstance(response, Response) and response.status_code == 200:
            response.render()
            try:
                cache.set(key, (response["Content-Type"], response.content), settings.PAGE_CACHE_SECONDS)
            except Exception:
                logger.warning("List cache unavailable; the list is not kept.", exc_info=True)
        return response
