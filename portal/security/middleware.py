"""Per-request security: session limits, the two-factor requirement and the log of refused accesses.

Order in settings.MIDDLEWARE: RefusedAccessLogMiddleware near the top (it sees every 403, CSRF
failures included); SessionLimitsMiddleware after django-otp's OTPMiddleware and before the login
requirement (an ended session is then sent to the login page like any other visitor);
TwoFactorRequiredMiddleware after the login requirement.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import cached_property
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from portal.accounts.models import User

from .selectors import totp_device_confirmed, two_factor_required, two_factor_verified

security_log = logging.getLogger("portal.security")

# Session keys (seconds since the epoch): when the user signed in, and their last own request.
SIGNED_IN_AT = "portal_signed_in_at"
ACTIVE_AT = "portal_active_at"

API_PREFIX = "/api/"


def _client(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", "-"))


def _user_label(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return "anonymous"
    return f"{user.pk}:{user.get_username()}"


class RefusedAccessLogMiddleware:
    """Log every refused access (403, from pages, the API, CSRF checks or the two-factor gate)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            security_log.warning(
                "Access refused: %s %s user=%s ip=%s",
                request.method,
                request.path,
                _user_label(request),
                _client(request),
            )
        return response


def _is_background(request: HttpRequest) -> bool:
    """A request a page makes by itself (the notification bell's poll), which is not the user's activity."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return False
    return match.view_name in settings.SESSION_BACKGROUND_URL_NAMES


class SessionLimitsMiddleware:
    """End a signed-in session after SESSION_COOKIE_AGE idle or SESSION_ABSOLUTE_SECONDS in all.

    The session is saved (and its expiry pushed back) when the user makes a request and it was last
    saved SESSION_ACTIVITY_RESOLUTION_SECONDS ago or more, but not on the notification bell's poll, which
    would otherwise keep an unattended browser signed in for ever.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        now = int(time.time())
        if request.user.is_authenticated:
            signed_in_at = request.session.get(SIGNED_IN_AT)
            active_at = request.session.get(ACTIVE_AT)
            if signed_in_at is not None and now - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS:
                security_log.info("Session ended (absolute limit) user=%s", _user_label(request))
                logout(request)
            elif active_at is not None and now - active_at > settings.SESSION_COOKIE_AGE:
                security_log.info("Session ended (idle) user=%s", _user_label(request))
                logout(request)
        response = self.get_response(request)
        # After the view: the login view itself has just signed the user in. Only a session that exists
        # is touched: a request signed with an API token (DRF puts its user on the request) has none, and
        # writing its times would create a new session row for every API call.
        if (
            request.user.is_authenticated
            and hasattr(request, "session")
            and request.session.session_key is not None
            and not _is_background(request)
        ):
            request.session.setdefault(SIGNED_IN_AT, now)
            # Written at most once a minute: saving the session on every request would cost each page a
            # write transaction, for an idle limit that is counted in minutes.
            active_at = request.session.get(ACTIVE_AT)
            if active_at is None or now - active_at >= settings.SESSION_ACTIVITY_RESOLUTION_SECONDS:
                request.session[ACTIVE_AT] = now
        return response


class TwoFactorRequiredMiddleware:
    """Users whose role needs two-factor reach nothing but the two-factor pages until they enter a code.

    Pages redirect to the code page (or the set-up page for a user without an authenticator); the API,
    when used with a session, answers 403. API tokens are created on a page, so only after the code.
    """

    ALWAYS_OPEN_URL_NAMES = (
        "security:otp-setup",
        "security:otp-verify",
        "logout",
        "set_language",
        "javascript-catalog",
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    @cached_property
    def open_paths(self) -> frozenset[str]:
        paths = set()
        for name in self.ALWAYS_OPEN_URL_NAMES:
            try:
                paths.add(reverse(name))
            except NoReverseMatch:
                continue
        return frozenset(paths)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and request.path not in self.open_paths
            and two_factor_required(user=user)
            and not two_factor_verified(user=user)
        ):
            return self._refuse(request, user)
        return self.get_response(request)

    def _refuse(self, request: HttpRequest, user: User) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            # The API's own error body (portal/api/exceptions.py), so that clients read it like any other.
            message = _("Your role needs two-factor sign-in: enter your code on the portal's pages first.")
            body = {"error": {"code": "two_factor_required", "message": message, "fields": {}}}
            return JsonResponse(body, status=403)
        has_device = totp_device_confirmed(user=user) is not None
        target = reverse("security:otp-verify" if has_device else "security:otp-setup")
        return redirect(f"{target}?next={quote(request.get_full_path())}")
