"""Template context available on every page."""

from typing import Any

import rules
from django.http import HttpRequest


def portal(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles, for the header, and which sections the navigation offers them.

    The sections are asked of the permission rules alone (no database): every page renders the navigation.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_roles": [], "nav_reports": False}
    return {"user_roles": user.role_labels(), "nav_reports": rules.has_perm("reports.view_reports", user)}
