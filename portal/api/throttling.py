"""Per-user throttling at a rate read from settings on each request (so tests can change it).

The counts live in the cache (shared through Redis when CACHE_URL says so). A cache that fails lets the
request through: losing the limit for a moment is better than refusing every call (portal/ops/cache.py
already answers a failing Redis as a miss; this guard covers any other cache backend).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from rest_framework.throttling import UserRateThrottle

if TYPE_CHECKING:  # rest_framework.views imports this module while it is being defined
    from rest_framework.request import Request
    from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class PortalUserRateThrottle(UserRateThrottle):
    """Each signed-in user (or anonymous address) gets `settings.API_THROTTLE_RATE` requests."""

    def get_rate(self) -> str:
        return str(settings.API_THROTTLE_RATE)

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:
            logger.warning("API throttle's cache unavailable; the request is let through.", exc_info=True)
            return True
