"""Who may keep a partner's record current: officers of the partner's desk, and administrators.

Pages, services and the API ask the same predicate (`user.has_perm("partners.edit_record", partner)`).
"""

from __future__ import annotations

from typing import Any, TypeGuard

import rules
from django.contrib.auth.models import AnonymousUser

from portal.accounts.models import Role, User


def _authenticated(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


@rules.predicate
def can_edit_partner_record(user: User | AnonymousUser | None, partner: Any) -> bool:
    """Administrators edit every partner's record; an officer edits those of the partners on their desks."""
    if not _authenticated(user) or partner is None:
        return False
    if user.has_role(Role.ADMINISTRATOR):
        return True
    partner_id = getattr(partner, "pk", partner)
    return user.has_role(Role.OFFICER) and partner_id in user.desk_partner_ids


rules.add_perm("partners.edit_record", can_edit_partner_record)
