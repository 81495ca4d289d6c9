"""URLs of the benchmark: the portal's own, a trivial page (the stack's floor) and the naive API lists."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from rest_framework.routers import SimpleRouter

from bench._naive import NaiveActivityViewSet, NaiveRequestViewSet
from portal.urls import urlpatterns as portal_urlpatterns


def trivial(request: HttpRequest) -> HttpResponse:
    """No query of its own: what the middleware (session, sign-in, two-factor, ...) costs by itself."""
    return HttpResponse("ok", content_type="text/plain")


router = SimpleRouter()
router.register("activities", NaiveActivityViewSet, basename="naive-activity")
router.register("requests", NaiveRequestViewSet, basename="naive-request")

urlpatterns = [
    path("bench/trivial/", trivial, name="bench-trivial"),
    path("api/bench-naive/", include(router.urls)),
    *portal_urlpatterns,
]
