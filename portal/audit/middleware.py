"""Attach the actor, the URL and the client address to every history row written during a request."""

from typing import Any

from django.http import HttpRequest
from pghistory.middleware import HistoryMiddleware

from portal.security.client import client_ip


class AuditContextMiddleware(HistoryMiddleware):
    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().get_context(request)
        context["ip"] = client_ip(request)
        return context
