"""Who does the Council's work on requests: the council secretaries."""

from __future__ import annotations

from typing import Any

import rules

from portal.accounts.models import Role


def _authenticated(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def can_manage_council(user: Any) -> bool:
    """Meetings, agendas, decision sheets and silence procedures belong to the council secretaries."""
    return _authenticated(user) and user.has_role(Role.COUNCIL_SECRETARY)


rules.add_perm("workprogrammes.manage_council", can_manage_council)
