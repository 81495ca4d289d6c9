"""Who may build and run a partner's annual programme: officers of the partner's desk, and administrators.

Reading is the selectors' business (a programme is seen by whoever's clearance covers its marking); this
module says who may change one. Pages, services and the API ask the same rule:
`user.has_perm("workprogrammes.manage_programme", programme_or_partner)`.
"""

from __future__ import annotations

from typing import Any, TypeGuard

import rules
from django.contrib.auth.models import AnonymousUser

from portal.accounts.models import Role, User

from .models import ProgrammeActivity, WorkProgramme


def _authenticated(user: User | AnonymousUser | None) -> TypeGuard[User]:
    return bool(user is not None and user.is_authenticated and user.is_active)


def _partner_id(target: Any) -> int | None:
    if isinstance(target, WorkProgramme):
        return target.partner_id
    if isinstance(target, ProgrammeActivity):
        return target.programme.partner_id
    return getattr(target, "pk", target)


def _marking(target: Any) -> int:
    return int(getattr(target, "marking", 0) or 0)


@rules.predicate
def can_manage_programme(user: User | AnonymousUser | None, target: Any) -> bool:
    """Officers of the partner's desk and administrators, if their clearance covers the record."""
    if not _authenticated(user) or target is None or user.clearance < _marking(target):
        return False
    if user.has_role(Role.ADMINISTRATOR):
        return True
    return user.has_role(Role.OFFICER) and _partner_id(target) in user.desk_partner_ids


@rules.predicate
def can_start_programmes(user: User | AnonymousUser | None) -> bool:
    """Whether to offer "start a programme" at all (the partner is checked when it is chosen)."""
    return _authenticated(user) and (
        user.has_role(Role.ADMINISTRATOR) or (user.has_role(Role.OFFICER) and bool(user.desk_partner_ids))
    )


rules.add_perm("workprogrammes.manage_programme", can_manage_programme)
rules.add_perm("workprogrammes.start_programme", can_start_programmes)
