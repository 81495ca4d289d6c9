"""Signing in starts the session's clocks (the session limits of portal/security/middleware.py)."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from .middleware import ACTIVE_AT, SIGNED_IN_AT


@receiver(user_logged_in, dispatch_uid="security-session-clocks")
def start_session_clocks(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Sign-in time and last activity, written with the new session that signing in saves anyway."""
    session = getattr(request, "session", None)
    if session is None:
        return
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[ACTIVE_AT] = now
