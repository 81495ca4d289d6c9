"""The notification bell of the page header."""

from __future__ import annotations

from typing import Any

from django import template

from ..selectors import notification_unread_count

register = template.Library()


@register.inclusion_tag("notifications/bell_link.html", takes_context=True)
def notification_bell(context: dict[str, Any]) -> dict[str, Any]:
    """The bell with the signed-in user's unread count (one query, only where the bell is shown)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"show": False}
    return {"show": True, "unread": notification_unread_count(user=user)}
