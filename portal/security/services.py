"""Writes about sign-in security: enrolling an authenticator app (TOTP) and checking its codes."""

from __future__ import annotations

import logging
import secrets
from binascii import hexlify

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.models import User

from .selectors import totp_device_confirmed

security_log = logging.getLogger("portal.security")

DEVICE_NAME = "Authenticator app"


def _clean_token(token: str) -> str:
    digits = "".join(token.split())
    if not (digits.isdigit() and len(digits) == 6):
        raise ValidationError({"token": _("Enter the 6 digits your authenticator app shows.")})
    return digits


def _throttle_message(device: Device) -> str | None:
    allowed, details = device.verify_is_allowed()
    if allowed:
        return None
    locked_until = (details or {}).get("locked_until")
    if locked_until is not None:
        return _("Too many wrong codes. Wait until %(time)s, then try again with a new code.") % {
            "time": locked_until.strftime("%H:%M:%S")
        }
    return _("Too many wrong codes. Wait a moment, then try again with a new code.")


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """The authenticator the user is enrolling: the pending one if there is one, else a new secret."""
    pending = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if pending is not None:
        return pending
    return TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


@transaction.atomic
def totp_device_confirm(*, user: User, token: str) -> TOTPDevice:
    """Confirm the pending authenticator with a code it shows; refuses a wrong code or a second device."""
    digits = _clean_token(token)
    if totp_device_confirmed(user=user) is not None:
        raise ValidationError(_("You already have an authenticator. Sign in with its code."))
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        raise ValidationError(_("Start again: open the set-up page to get a new QR code."))
    throttled = _throttle_message(device)
    if throttled:
        raise ValidationError({"token": throttled})
    if not device.verify_token(digits):
        security_log.warning("Two-factor enrolment: wrong code user=%s", user.pk)
        raise ValidationError(
            {"token": _("That code is not right. Check the clock of your device and try again.")}
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    security_log.info("Two-factor enrolled user=%s device=%s", user.pk, device.pk)
    return device


def totp_verify(*, user: User, token: str) -> TOTPDevice:
    """The user's authenticator if it accepts this code (each code works once; wrong codes slow down)."""
    digits = _clean_token(token)
    # The device row is locked so that throttling counts every concurrent attempt.
    with transaction.atomic():
        device = (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).order_by("pk").first()
        )
        if device is None:
            raise ValidationError(_("You have no authenticator yet: set one up first."))
        throttled = _throttle_message(device)
        if throttled:
            raise ValidationError({"token": throttled})
        verified = device.verify_token(digits)
    if not verified:
        security_log.warning("Two-factor check failed user=%s", user.pk)
        raise ValidationError(
            {"token": _("That code is not right, or it was already used. Enter the next one.")}
        )
    return device


@transaction.atomic
def totp_device_enrol_with_key(*, user: User, key_hex: str | None = None) -> TOTPDevice:
    """Give the user a confirmed authenticator with this secret (demo accounts, tests); returns it."""
    key = key_hex or hexlify(secrets.token_bytes(20)).decode()
    # The new one first: the user is never without an authenticator (signals.authenticator_removed).
    device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, key=key, confirmed=True)
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return device
