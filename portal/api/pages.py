"""The signed-in user's pages about their API tokens, under /account/tokens/ (page_urls.py)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from portal.accounts.http import AuthenticatedHttpRequest
from portal.security.selectors import two_factor_verified

from .forms import ApiTokenForm
from .selectors import api_token_list
from .services import api_token_create, api_token_revoke


@require_http_methods(["GET", "POST"])
def api_tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The user's API tokens: create one (its text is shown once, on this response), list, revoke."""
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        _token, new_token = api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            expires_in_days=form.expires_in_days(),
            second_factor=two_factor_verified(user=request.user),
        )
        form = ApiTokenForm()
    tokens = api_token_list(user=request.user)
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": tokens, "new_token": new_token},
        status=201 if new_token else 200,
    )


@require_POST
def api_token_revoke_view(request: AuthenticatedHttpRequest, digest: str) -> HttpResponse:
    """Revoke one of the user's tokens; programs using it are refused from the next request on."""
    if api_token_revoke(user=request.user, digest=digest):
        messages.success(request, _("The token was revoked."))
    else:
        messages.error(request, _("That token does not exist or was already revoked."))
    return redirect("accounts:api-tokens")
