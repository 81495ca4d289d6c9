"""Per-user throttling at a rate read from settings on each request (so tests can change it)."""

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class PortalUserRateThrottle(UserRateThrottle):
    """Each signed-in user (or anonymous address) gets `settings.API_THROTTLE_RATE` requests."""

    def get_rate(self) -> str:
        return str(settings.API_THROTTLE_RATE)
