"""The portal's own middleware for running it: probes answered early, each request logged, and the HTTP
metrics' labels kept bounded. (The request id is django-guid's: request_id.py; the HTTP metrics are
django-prometheus's.)"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django_prometheus.middleware import PrometheusAfterMiddleware

from . import views
from .metrics import metrics_authorised

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


class HttpMetricsMiddleware(PrometheusAfterMiddleware):
    """django-prometheus's per-route counters and timings, with every method label screened: the library
    labels its latency histogram with the request's method as sent, and a label per invented method
    would let anyone grow the metrics without end."""

    def label_metric(self, metric: Any, request: Any, response: Any = None, **labels: Any) -> Any:
        if "method" in labels:
            labels["method"] = self._method(request)
        return super().label_metric(metric, request, response, **labels)


class AccessLogMiddleware:
    """Writes one access log line for every request (logger portal.access, with the request id like every
    other record)."""

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
