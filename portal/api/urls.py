"""The API under /api/: version 1 of the resources, the OpenAPI schema and its documentation pages.

The schema needs a signed-in user (401/403 otherwise); the documentation pages redirect to the login page.
"""

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, URLResolver, include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from portal.security.csp import csp_allow_own_inline_blocks

from .views import ApiRootView, UnknownEndpointView

# The documentation pages come from drf-spectacular's sidecar: their fixed inline blocks are allowed by
# hash on these responses only. Redoc also injects its styles and runs a worker from a blob: URL.
docs_csp = csp_allow_own_inline_blocks()
redoc_csp = csp_allow_own_inline_blocks(styles=False)
redoc_extra_csp = csp_update({"style-src": ["'unsafe-inline'"], "worker-src": ["'self'", "blob:"]})

v1_patterns: list[URLPattern | URLResolver] = [
    path("", ApiRootView.as_view(), name="root"),
    path("", include("profiles.api.urls")),
    path("", include("operations.api.urls")),
    path("", include("workprogrammes.catalogue.api.urls")),
    path("", include("workprogrammes.programmes.api.urls")),
    path("", include("workprogrammes.requests.api.urls")),
    path("", include("workprogrammes.council.api.urls")),
    path("", include("portal.notifications.api.urls")),
    path("", include("portal.reports.api.urls")),
    path("", include("portal.api.accounts.urls")),
]

urlpatterns = [
    path("v1/", include((v1_patterns, "api"))),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        docs_csp(login_required(SpectacularSwaggerView.as_view(url_name="api-schema"))),
        name="api-docs",
    ),
    path(
        "redoc/",
        redoc_csp(redoc_extra_csp(login_required(SpectacularRedocView.as_view(url_name="api-schema")))),
        name="api-redoc",
    ),
    # Last: a path no route matched (e.g. /api/v1/activities/-1/) gets a JSON 404, not the HTML page.
    re_path(r"^", UnknownEndpointView.as_view(), name="api-unknown"),
]
