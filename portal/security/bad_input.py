"""Input no route can take, refused with 400 and a reason before any view sees it.

PostgreSQL cannot store or compare a text containing a NUL character (psycopg2 raises ValueError),
and nothing in the portal needs one, so a path or a query string that carries one is refused here,
once for every route, pages and API alike, rather than in each view that reads a path argument or a
query parameter. Form fields and API input fields refuse NUL characters themselves (Django's and DRF's
CharField); JSON bodies are limited in depth by portal.api.parsers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

security_log = logging.getLogger("portal.security")

API_PREFIX = "/api/"


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "\x00" in request.path_info:
        return True
    query = request.META.get("QUERY_STRING", "")
    return b"\x00" in unquote_to_bytes(query.replace("+", " "))


class NulCharacterRefusalMiddleware:
    """Answer 400 to a request whose path or query string contains a NUL character (%00)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _has_nul(request):
            return self.get_response(request)
        security_log.info("Refused a NUL character in the address: %s", request.path.replace("\x00", "%00"))
        message = _("The address contains a NUL character, which no page or API route accepts.")
        if request.path.startswith(API_PREFIX):
            # The API's error body (portal.api.exceptions.error_body), without importing the API here.
            return JsonResponse(
                {"error": {"code": "bad_request", "message": message, "fields": {}}}, status=400
            )
        return render(request, "400.html", {"reason": message}, status=400)
