"""The two-factor pages: enrol an authenticator app (QR code), and confirm a code after the password."""

from __future__ import annotations

from base64 import b32encode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from portal.accounts.http import AuthenticatedHttpRequest
from portal.core.forms import add_service_errors

from .forms import TokenForm
from .qr import qr_svg_data_uri
from .selectors import totp_device_confirmed, two_factor_verified
from .services import totp_device_confirm, totp_device_start, totp_verify


def _next_url(request: HttpRequest) -> str:
    """Where to go once verified: the page first asked for, if it is on this site, else the home page."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return str(resolve_url(settings.LOGIN_REDIRECT_URL))


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "POST"])
def otp_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (or type the key), then confirm one code."""
    user = request.user
    if totp_device_confirmed(user=user) is not None:
        return redirect(_with_next("security:otp-verify", request))
    device = totp_device_start(user=user)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = totp_device_confirm(user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            request.session.cycle_key()
            otp_login(request, confirmed)
            messages.success(
                request, _("Your authenticator app is set up. You will enter its code each time you sign in.")
            )
            return redirect(_next_url(request))
    context = {
        "form": form,
        "qr_src": qr_svg_data_uri(device.config_url),
        "secret": _grouped(b32encode(device.bin_key).decode()),
        "next": _next_url(request),
    }
    return render(request, "security/otp_setup.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def otp_verify(request: AuthenticatedHttpRequest) -> HttpResponse:
    """After the password: the code of the user's authenticator app, before any other page."""
    user = request.user
    if two_factor_verified(user=user):
        return redirect(_next_url(request))
    if totp_device_confirmed(user=user) is None:
        return redirect(_with_next("security:otp-setup", request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = totp_verify(user=user, token=form.cleaned_data["token"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            # A new session key once the second factor is in, as at every rise in privilege.
            request.session.cycle_key()
            otp_login(request, device)
            return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "security/otp_verify.html", context, status=400 if form.errors else 200)
