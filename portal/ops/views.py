"""Endpoints for load balancers, orchestrators and Prometheus: JSON health and readiness, metrics."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from .health import readiness_checks
from .metrics import metrics_authorised, metrics_exposition


@login_not_required
@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers (touches no database or Redis, so it never fails for theirs)."""
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: databases, Redis and Celery workers, each with its status; 503 if any is failing."""
    results = readiness_checks()
    ready = all(result.ok for result in results)
    body = {
        "status": "ok" if ready else "failing",
        "failing": [result.name for result in results if not result.ok],
        "checks": {result.name: result.as_dict() for result in results},
    }
    return JsonResponse(body, status=200 if ready else 503)


@login_not_required
@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for staff or a scraper with the bearer token (401 anonymous, 403 others)."""
    if not metrics_authorised(request):
        if getattr(request, "user", None) is not None and request.user.is_authenticated:
            return HttpResponse("Staff only.\n", status=403, content_type="text/plain")
        response = HttpResponse("Authentication required.\n", status=401, content_type="text/plain")
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics_exposition(), content_type=CONTENT_TYPE_LATEST)
