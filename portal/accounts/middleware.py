"""Every page requires a signed-in user, except the login page itself and the API (which answers 401/403)."""

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

# "/calendar/" holds only the ICS feeds, whose secret token is their credential (portal/reports).
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/i18n/", "/api/", "/healthz", "/readyz", "/calendar/")


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
