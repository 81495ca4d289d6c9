"""The database out of reach: a read is tried once more, anything else is answered 503 with Retry-After.

While PostgreSQL restarts, fails over or refuses connections, a request that needs it cannot be served,
and that is not a fault of the portal: the answer is 503 with `Retry-After` and a page (or, under /api/,
the API's error body) that says so, instead of a 500. Django's persistent connections are checked before
reuse (CONN_HEALTH_CHECKS), which covers a connection dropped between two requests; one dropped in the
middle of a request breaks the query running then. For GET and HEAD, which change nothing, the view is
then run once more on a new connection before giving up.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.views import defaults

logger = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD"})
# SQLSTATE classes and codes that mean "no usable connection": 08 connection exception, 57P01-57P05
# (administrator or crash shutdown, cannot connect now, database dropped, idle session ended), 53300
# (too many connections). A cancelled query (57014) or a lock wait (55P03) is the request's own fault.
_UNAVAILABLE_CODES = ("08", "57P", "53300")


def database_unavailable(exc: BaseException | None) -> bool:
    """Whether `exc` means that the database cannot be reached (rather than a fault of the query)."""
    if isinstance(exc, InterfaceError):
        return True  # "connection already closed"
    if not isinstance(exc, OperationalError):
        return False
    code = getattr(exc.__cause__, "pgcode", None)
    # libpq reports a refused or broken connection ("server closed the connection unexpectedly",
    # "Connection refused", a timeout while connecting) without any SQLSTATE.
    return code is None or code.startswith(_UNAVAILABLE_CODES)


def _drop_broken_connections() -> bool:
    """Close every connection of this thread; False if one is inside a transaction (no retry then)."""
    for conn in connections.all(initialized_only=True):
        if conn.in_atomic_block:
            return False
    for conn in connections.all(initialized_only=True):
        try:
            conn.close()
        except DatabaseError:
            conn.connection = None  # already broken: nothing to close
    return True


class DatabaseRetryMiddleware:
    """Runs a GET or HEAD view once more when its database connection was lost in the middle of it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.method not in SAFE_METHODS or not database_unavailable(exception):
            return None
        if getattr(request, "_database_retried", False) or request.resolver_match is None:
            return None
        if not _drop_broken_connections():
            return None
        request._database_retried = True  # type: ignore[attr-defined]
        logger.warning(
            "Database connection lost during %s %s; trying once more.", request.method, request.path
        )
        match = request.resolver_match
        response = match.func(request, *match.args, **match.kwargs)
        render = getattr(response, "render", None)
        if callable(render) and not getattr(response, "is_rendered", True):
            response = render()
        return response


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 with Retry-After: the API's error body under /api/, else a page in the request's language."""
    seconds = int(settings.DATABASE_RETRY_AFTER_SECONDS)
    language = translation.get_language() or translation.get_language_from_request(request)
    with translation.override(language):
        if request.path.startswith("/api/"):
            message = _(
                "The database cannot be reached at the moment. Retry after the number of seconds given "
                "in Retry-After; send an Idempotency-Key with creates and workflow actions to retry them "
                "safely."
            )
            response: HttpResponse = JsonResponse(
                {"error": {"code": "service_unavailable", "message": message, "fields": {}}}, status=503
            )
        else:
            html = render_to_string("503.html", {"LANGUAGE_CODE": language, "retry_after": seconds})
            response = HttpResponse(html, status=503)
        response["Content-Language"] = language
    response["Retry-After"] = str(seconds)
    response["Cache-Control"] = "no-store"
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """The portal's handler500: 503 when the database is out of reach, Django's 500 page otherwise."""
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return defaults.server_error(request)
