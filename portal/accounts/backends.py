"""The sign-in backend: Django's model backend, reading with the user what every request asks of them."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.utils import timezone

from .models import User
from .selectors import users_with_request_context


class PortalModelBackend(ModelBackend):
    """Django's ModelBackend (passwords, is_active), except that a session's user is read in one query with
    their roles, desks and delegations (User.remember_request_context). Without it, every page read the
    user's groups, and the menus and request pages their desks and delegations, in queries of their own."""

    def get_user(self, user_id: Any) -> User | None:
        user = users_with_request_context(timezone.localdate()).filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        user.remember_request_context(user)
        return user
