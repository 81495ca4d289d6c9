"""What a locked-out account sees (django-axes): the login page, saying why and what to do."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

security_log = logging.getLogger("portal.security")


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return (
        ngettext(
            "This account is locked after %(count)s failed sign-in attempts.",
            "This account is locked after %(count)s failed sign-in attempts.",
            settings.AXES_FAILURE_LIMIT,
        )
        % {"count": settings.AXES_FAILURE_LIMIT}
        + " "
        + ngettext(
            "Wait %(minutes)s minute and try again, or ask a portal administrator to unlock it.",
            "Wait %(minutes)s minutes and try again, or ask a portal administrator to unlock it.",
            minutes,
        )
        % {"minutes": minutes}
        + " "
        + _("If you have forgotten your password, the administrator can set a new one.")
    )


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page again (429), with the lockout explained and the username kept."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    security_log.warning(
        "Sign-in locked out: username=%r ip=%s", username, request.META.get("REMOTE_ADDR", "-")
    )
    form = AuthenticationForm(request, initial={"username": username})
    # Unbound, so that the password is not checked again; it only carries the message.
    form.full_clean()
    form.cleaned_data = {}
    form.add_error(None, lockout_message())
    context = {"form": form, "next": request.POST.get("next", ""), "locked_out": True}
    return render(request, "registration/login.html", context, status=429)
