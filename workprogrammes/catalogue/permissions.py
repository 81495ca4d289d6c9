"""Who may change the activity catalogue: administrators, who import it from a file."""

from __future__ import annotations

from typing import Any

import rules

from portal.accounts.models import Role


def _authenticated(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def can_import_catalogue(user: Any) -> bool:
    """The catalogue is reference data: administrators import it."""
    return _authenticated(user) and user.has_role(Role.ADMINISTRATOR)


rules.add_perm("workprogrammes.import_catalogue", can_import_catalogue)
