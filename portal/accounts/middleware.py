"""Every page requires a signed-in user, except the login page itself and the API (which answers 401/403)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.utils import translation

# "/calendar/" holds only the ICS feeds, whose secret token is their credential (portal/reports).
# "/metrics" answers 401 or 403 itself: Prometheus sends a bearer token, not a session (portal/ops).
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/static/",
    "/i18n/",
    "/api/",
    "/healthz",
    "/readyz",
    "/metrics",
    "/calendar/",
)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class PreferredLanguageMiddleware:
    """Pages in the signed-in user's saved language when this browser has made no choice of its own.

    The language switch sets a cookie (this browser's explicit choice, read by LocaleMiddleware) and saves
    the user's preference; a browser without the cookie, e.g. at another desk, shows the preference rather
    than whatever Accept-Language the browser sends. The API keeps honouring Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.user.is_authenticated
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
            and not request.path.startswith("/api/")
        ):
            language = request.user.preferred_language
            if language in dict(settings.LANGUAGES):
                translation.activate(language)
                request.LANGUAGE_CODE = language
        return self.get_response(request)
