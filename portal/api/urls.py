"""The API under /api/: version 1 of the resources, the OpenAPI schema and its documentation pages.

The schema needs a signed-in user (401/403 otherwise); the documentation pages redirect to the login page.
"""

from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .views import UnknownEndpointView

v1_patterns = [
    path("", include("partners.api.urls")),
    path("", include("operations.api.urls")),
    path("", include("workprogrammes.api.urls")),
    path("", include("portal.notifications.api.urls")),
]

urlpatterns = [
    path("v1/", include((v1_patterns, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", login_required(SpectacularSwaggerView.as_view(url_name="api-schema")), name="api-docs"),
    path("redoc/", login_required(SpectacularRedocView.as_view(url_name="api-schema")), name="api-redoc"),
    # Last: a path no route matched (e.g. /api/v1/activities/-1/) gets a JSON 404, not the HTML page.
    re_path(r"^", UnknownEndpointView.as_view(), name="api-unknown"),
]
