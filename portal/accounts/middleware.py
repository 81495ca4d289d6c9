"""The signed-in user's preferred language. (Every page requires a signed-in user by Django's
LoginRequiredMiddleware; the few public views carry @login_not_required.)"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


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
