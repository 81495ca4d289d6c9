"""Pages about the signed-in user's own account."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from portal.api.forms import ApiTokenForm
from portal.api.selectors import api_token_list
from portal.api.services import api_token_create, api_token_revoke
from portal.security.selectors import two_factor_verified

from .services import user_set_language


@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's API tokens: create one (its text is shown once, on this response), list, revoke."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = api_token_create(
            user=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            expires_in_days=form.expires_in_days(),
            second_factor=two_factor_verified(user=request.user),
        )
        form = ApiTokenForm()
    tokens = api_token_list(user=request.user)  # type: ignore[arg-type]
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=201 if new_token else 200,
    )


@require_POST
def api_token_revoke_view(request: HttpRequest, digest: str) -> HttpResponse:
    """Revoke one of the user's tokens; programs using it are refused from the next request on."""
    if api_token_revoke(user=request.user, digest=digest):  # type: ignore[arg-type]
        messages.success(request, _("The token was revoked."))
    else:
        messages.error(request, _("That token does not exist or was already revoked."))
    return redirect("accounts:api-tokens")


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
