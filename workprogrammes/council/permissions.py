"""Who does the Council's work on requests: the council secretaries."""

from __future__ import annotations

import rules
from django.contrib.auth.models import AnonymousUser

from portal.accounts.models import Role, User

from ..requests.permissions import authenticated


@rules.predicate
def can_manage_council(user: User | AnonymousUser) -> bool:
    """Meetings, agendas, decision sheets and silence procedures belong to the council secretaries."""
    return authenticated(user) and user.has_role(Role.COUNCIL_SECRETARY)


rules.add_perm("workprogrammes.manage_council", can_manage_council)
