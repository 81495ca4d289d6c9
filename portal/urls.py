"""The portal's URLs: pages per app, the admin, the API and its documentation."""

from collections.abc import Callable

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http.response import HttpResponseBase
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from portal.accounts import views as accounts_views
from portal.reports import views as reports_views
from portal.security.csp import csp_allow_own_inline_blocks, decorate_urlpatterns
from portal.security.forms import SignInForm


def admin_view(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """An admin page: its own inline blocks allowed by hash, and a visitor who is not signed in sent to the
    portal's sign-in page like on every other page, the admin's own login page included (Django's
    LoginRequiredMiddleware reads these two attributes of the view)."""
    wrapped = csp_allow_own_inline_blocks()(view)
    wrapped.login_required = True  # type: ignore[attr-defined]
    wrapped.login_url = settings.LOGIN_URL  # type: ignore[attr-defined]
    return wrapped


# 503 with Retry-After while the database cannot be reached; Django's 500 page for anything else.
handler500 = "portal.ops.unavailable.server_error"

urlpatterns = [
    path("", reports_views.dashboard, name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", accounts_views.language_set, name="set_language"),
    path("i18n/js/", login_not_required(JavaScriptCatalog.as_view()), name="javascript-catalog"),
    path("partners/", include("profiles.urls")),
    path("operations/", include("operations.urls")),
    path("programmes/", include("workprogrammes.programmes.urls")),
    path("requests/", include("workprogrammes.requests.urls")),
    path("council/", include("workprogrammes.council.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("account/two-factor/", include("portal.security.urls")),
    path("account/", include("portal.api.page_urls")),
    path("reports/", include("portal.reports.urls")),
    # The one page reached without signing in: the secret token in the URL is the credential.
    path("calendar/<str:token>.ics", reports_views.calendar_feed, name="calendar-feed"),
    path("api/", include("portal.api.urls")),
    # /healthz, /readyz (no sign-in: load balancers) and /metrics (staff or the scraper's token).
    path("", include("portal.ops.urls")),
    # The admin's few fixed inline blocks are allowed by hash, on its own pages only (portal/security/csp.py).
    path("admin/", (decorate_urlpatterns(admin.site.urls[0], admin_view), "admin", "admin")),
]
