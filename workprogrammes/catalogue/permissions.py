"""Who may change the activity catalogue: administrators, who import it from a file."""

from __future__ import annotations

from typing import TypeGuard

import rules
from django.contrib.auth.models import AnonymousUser

from portal.accounts.models import Role, User


def _authenticated(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def can_import_catalogue(user: User | AnonymousUser | None) -> bool:
    """The catalogue is reference data: administrators import it."""
    return _authenticated(user) and user.has_role(Role.ADMINISTRATOR)


rules.add_perm("workprogrammes.import_catalogue", can_import_catalogue)
