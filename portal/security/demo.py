"""Authenticators for the demo accounts whose role needs two-factor sign-in, with one known key."""

from __future__ import annotations

from base64 import b32encode
from binascii import unhexlify

from portal.accounts.models import User

from .selectors import totp_device_confirmed, two_factor_required
from .services import totp_device_enrol_with_key

# Demo only: every demo account that needs a code shares this key (printed by `manage.py load_demo`).
DEMO_TOTP_KEY_HEX = "64656d6f2d6b65792d636370706f7274616c2121"
DEMO_TOTP_KEY_BASE32 = b32encode(unhexlify(DEMO_TOTP_KEY_HEX)).decode()


def demo_totp_enrol(*, usernames: list[str]) -> list[str]:
    """Enrol the demo key for those of these users who need two-factor and have no authenticator yet;
    returns the usernames that need a code (enrolled now or before)."""
    needing = []
    for user in User.objects.filter(username__in=usernames).order_by("username"):
        if not two_factor_required(user=user):
            continue
        needing.append(user.username)
        if totp_device_confirmed(user=user) is None:
            totp_device_enrol_with_key(user=user, key_hex=DEMO_TOTP_KEY_HEX)
    return needing
