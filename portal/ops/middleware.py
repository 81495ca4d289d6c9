"""The portal's own middleware for running it: probes answered early, and each request counted, timed and
logged. (The request id is django-guid's: request_id.py.)"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from . import views
from .metrics import metrics_authorised, request_observe

access_log = logging.getLogger("portal.access")


class ProbeMiddleware:
    """Answers /healthz and /readyz before the host check, the HTTPS redirect and the session middleware.

    Load balancers and container healthchecks call them by address over plain HTTP, with a Host header
    that ALLOWED_HOSTS does not list; a probe must not be redirected or refused for that. A scraper
    presenting the metrics token is answered here too; staff reading /metrics with their session go
    through the whole chain (the view checks them).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        if path == "/healthz":
            return views.healthz(request)
        if path == "/readyz":
            return views.readyz(request)
        if path == "/metrics" and "Authorization" in request.headers and metrics_authorised(request):
            return views.metrics(request)
        return self.get_response(request)


class RequestMetricsMiddleware:
    """Counts and times every request by its route (Prometheus), and writes one access log line for it
    (logger portal.access, with the request id like every other record)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match is not None else None
        path = request.path
        if match is not None and any("token" in name for name in match.kwargs):
            path = "/" + str(match.route)  # a secret in the URL (the calendar feed's) stays out of the log
        request_observe(method=request.method or "", view=view, status=response.status_code, seconds=seconds)
        user = getattr(request, "user", None)
        access_log.info(
            "%s %s %s",
            request.method,
            path,
            response.status_code,
            extra={
                "method": request.method,
                "path": path,
                "view": view,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
