"""API permission classes that delegate to the portal's rules (django-rules), never restate them."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class HasPortalRole(BasePermission):
    """A signed-in user holding at least one portal role (the same rule the pages use)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("portal.browse"))
