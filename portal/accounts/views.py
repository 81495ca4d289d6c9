"""The language switch (the API token pages are the API's: portal/api/pages.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from .services import user_set_language


@login_not_required
@require_POST
def language_set(request: HttpRequest) -> HttpResponse:
    """The language switch: Django's cookie for this browser, and the signed-in user's own preference."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        # Django sets the cookie for any language it has a catalogue of; the portal offers two.
        response.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    elif request.user.is_authenticated:
        user_set_language(user=request.user, language=language)
    return response
