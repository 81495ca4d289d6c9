"""Attach the actor, the URL and the client address to every history row written during a request."""

from typing import Any

from django.http import HttpRequest
from pghistory.middleware import HistoryMiddleware


class AuditContextMiddleware(HistoryMiddleware):
    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().get_context(request)
        context["ip"] = request.META.get("REMOTE_ADDR")
        return context
