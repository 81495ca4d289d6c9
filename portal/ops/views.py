"""Endpoints for load balancers, orchestrators and Prometheus: JSON health and readiness, metrics."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import CONTENT_TYPE_LATEST

from .health import check_result, readiness_checks, result_as_dict
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
    results = {name: check_result(check) for name, check in readiness_checks().items()}
    failing = [name for name, result in results.items() if result.error]
    body = {
        "status": "failing" if failing else "ok",
        "failing": failing,
        "checks": {name: result_as_dict(result) for name, result in results.items()},
    }
    ready = not failing
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
