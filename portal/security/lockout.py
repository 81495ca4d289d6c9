"""Sign-in lockout (django-axes): by (username, address) pair, and by address alone at a higher limit.

- The pair: the AXES_FAILURE_LIMIT-th wrong password for one username from one address locks that pair
  for AXES_COOLOFF_TIME. Wrong passwords typed elsewhere, or for other usernames, do not lock a user
  out: a colleague behind the same address still signs in, and nobody can lock a named account from
  their own desk.
- The address: after AXES_ADDRESS_FAILURE_LIMIT wrong passwords from one address, whatever the
  usernames, every sign-in from it waits out the cool-off (guessing across many accounts is slowed).
- One attempt before either lock, the sign-in page says so.

The address is the client's as portal/security/client.py reads it: behind a reverse proxy, set
TRUSTED_PROXY_HOPS, or every client has the proxy's address and the address limit locks everyone out.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

security_log = logging.getLogger("portal.security")


def _cool_off_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def address_failures(request: HttpRequest) -> int:
    """Wrong passwords from the request's address within the cool-off, whatever the usernames."""
    ip = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
    if not ip:
        return 0
    attempts = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=get_cool_off_threshold(request))
    return int(attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0)


def pair_failures(request: HttpRequest, credentials: dict[str, Any] | None) -> int:
    """Wrong passwords for this username from this address within the cool-off."""
    return int(AxesDatabaseHandler().get_failures(request, credentials))


class LockoutHandler(AxesDatabaseHandler):
    """django-axes's database handler, adding the address's own, higher limit to the pair's."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        pair = super().get_failures(request, credentials)
        if address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(pair, get_failure_limit(request, credentials))
        return pair


def _address_locked(request: HttpRequest) -> bool:
    return address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT


def lockout_message(*, address: bool = False) -> str:
    minutes = _cool_off_minutes()
    if address:
        first = ngettext(
            "Sign-ins from your network address are paused after %(count)s failed attempt.",
            "Sign-ins from your network address are paused after %(count)s failed attempts.",
            settings.AXES_ADDRESS_FAILURE_LIMIT,
        ) % {"count": settings.AXES_ADDRESS_FAILURE_LIMIT}
    else:
        first = ngettext(
            "This account is locked after %(count)s failed sign-in attempts.",
            "This account is locked after %(count)s failed sign-in attempts.",
            settings.AXES_FAILURE_LIMIT,
        ) % {"count": settings.AXES_FAILURE_LIMIT}
    return (
        first
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


def last_attempt_warning(request: HttpRequest, credentials: dict[str, Any]) -> str | None:
    """After a wrong password: a warning when the next wrong one would lock the pair or the address."""
    minutes = _cool_off_minutes()
    if pair_failures(request, credentials) == settings.AXES_FAILURE_LIMIT - 1:
        return ngettext(
            "One attempt left: after another wrong password, signing in to this account from here is "
            "locked for %(minutes)s minute.",
            "One attempt left: after another wrong password, signing in to this account from here is "
            "locked for %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
    if address_failures(request) == settings.AXES_ADDRESS_FAILURE_LIMIT - 1:
        return ngettext(
            "One attempt left: after another wrong password, sign-ins from your network address are "
            "paused for %(minutes)s minute.",
            "One attempt left: after another wrong password, sign-ins from your network address are "
            "paused for %(minutes)s minutes.",
            minutes,
        ) % {"minutes": minutes}
    return None


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The login page again (429), with the lockout explained and the username kept."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    address = _address_locked(request) and pair_failures(request, credentials) < settings.AXES_FAILURE_LIMIT
    security_log.warning(
        "Sign-in locked out (%s): username=%r ip=%s",
        "address" if address else "username and address",
        username,
        getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", "-"),
    )
    form = AuthenticationForm(request, initial={"username": username})
    # Unbound, so that the password is not checked again; it only carries the message.
    form.full_clean()
    form.cleaned_data = {}
    form.add_error(None, lockout_message(address=address))
    context = {"form": form, "next": request.POST.get("next", ""), "locked_out": True}
    return render(request, "registration/login.html", context, status=429)
