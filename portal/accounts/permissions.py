"""Role predicates (django-rules) shared by every app's permissions module.

Apps combine these into object-level rules in their own `permissions.py`; pages and API views ask
`user.has_perm(...)` so that each rule exists once.
"""

from typing import Any

import rules
from django.contrib.auth.models import AnonymousUser

from .models import Role, User


def _role(role: str) -> Any:
    @rules.predicate(name=f"is_{role}")
    def check(user: User | AnonymousUser | None) -> bool:
        return bool(user and user.is_authenticated and user.has_role(role))

    return check


is_viewer = _role(Role.VIEWER)
is_officer = _role(Role.OFFICER)
is_reviewer = _role(Role.REVIEWER)
is_council_secretary = _role(Role.COUNCIL_SECRETARY)
is_analyst = _role(Role.ANALYST)
is_administrator = _role(Role.ADMINISTRATOR)
has_any_role = is_viewer | is_officer | is_reviewer | is_council_secretary | is_analyst | is_administrator


@rules.predicate
def is_on_partners_desk(user: User | AnonymousUser | None, partner: Any) -> bool:
    """The partner is on one of the user's desks."""
    partner_id = getattr(partner, "pk", partner)
    return bool(user and user.is_authenticated and partner_id in user.desk_partner_ids)


rules.add_perm("portal.browse", has_any_role)
