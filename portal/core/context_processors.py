"""Template context available on every page."""

from typing import Any

from django.http import HttpRequest

from portal.core.navigation import MAIN_NAVIGATION, USER_NAVIGATION, navigation_for
from portal.security.selectors import two_factor_required, two_factor_verified


def portal(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles and the menus they may use, for the header.

    Until a user who needs a second factor has entered their code, the header offers no menu, roles or
    unread count: the code page is the only page open to them. The menus are asked of the permission
    rules alone (no database): every page renders them.
    """
    user = getattr(request, "user", None)
    signed_out = {"user_roles": [], "nav_main": [], "nav_user": [], "nav_reports": False, "nav_shown": False}
    if user is None or not user.is_authenticated:
        return signed_out
    if two_factor_required(user=user) and not two_factor_verified(user=user):
        return signed_out
    match = getattr(request, "resolver_match", None)
    view_name = match.view_name if match is not None else ""
    main = navigation_for(user, MAIN_NAVIGATION, view_name=view_name)
    return {
        "user_roles": user.role_labels(),
        "nav_main": main,
        "nav_user": navigation_for(user, USER_NAVIGATION, view_name=view_name),
        "nav_reports": any(entry.url_name == "reports:index" for entry in main),
        "nav_shown": True,
    }
