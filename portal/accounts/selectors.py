"""Reads about users: delegations ("acting for")."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Delegation, Desk, User

# The same words whether the person does not exist or has not named you: nothing tells them apart.
NO_DELEGATION_MESSAGE = _("No active delegation names you as this person's delegate today.")


def _active_on(on: datetime.date) -> Q:
    return Q(start_date__lte=on, end_date__gte=on, revoked_at__isnull=True)


def request_context_annotations(user_field: str, today: datetime.date) -> dict[str, Any]:
    """What each request reads about its signed-in user, as annotations of the query that reads the user
    (the session's, portal/accounts/backends.py, or the API token's), for User.remember_request_context:
    the group names, whether an active user has named them delegate on `today`, the partners of the desks
    they belong to or head, and whether they head a desk. `user_field` is the outer query's user id ("pk",
    or "user_id" on a token)."""
    user = OuterRef(user_field)
    on_desks = Desk.partners.through.objects.filter(Q(desk__members=user) | Q(desk__head=user))
    return {
        "group_names": ArraySubquery(Group.objects.filter(user=user).values("name")),
        "is_delegate_today": Exists(
            Delegation.objects.filter(_active_on(today), delegate=user, principal__is_active=True)
        ),
        "desk_partner_ids_read": ArraySubquery(on_desks.values("partner_id").distinct()),
        "heads_a_desk_read": Exists(Desk.objects.filter(head=user)),
    }


@functools.lru_cache(maxsize=2)
def users_with_request_context(today: datetime.date) -> QuerySet[User]:
    """Users with request_context_annotations for that day: the definition of a query, never run itself.
    Each request filters it to its user and runs that afresh, so nothing read is kept between requests;
    the definition is built once a day per process because building its four subqueries cost twice what
    compiling and running the whole query does (about 1 ms against 0.5 ms)."""
    return User._default_manager.annotate(**request_context_annotations("pk", today))


def delegation_is_active(*, delegate: User, principal: User, on: datetime.date | None = None) -> bool:
    """Whether `delegate` may act for `principal` on that day (today if not given)."""
    on = on or timezone.localdate()
    if delegate.pk == principal.pk or not delegate.is_active:
        return False
    return Delegation.objects.filter(_active_on(on), delegate=delegate, principal=principal).exists()


def delegation_principals(*, delegate: User, on: datetime.date | None = None) -> QuerySet[User]:
    """The users `delegate` is acting for on that day (today if not given)."""
    on = on or timezone.localdate()
    return User.objects.filter(
        is_active=True,
        delegations_given__in=Delegation.objects.filter(_active_on(on), delegate=delegate),
    ).distinct()


def delegation_delegates_by_principal(
    *, principals: list[int], on: datetime.date | None = None
) -> dict[int, list[User]]:
    """For each principal id, the active delegates acting for them on that day (one query)."""
    on = on or timezone.localdate()
    result: dict[int, list[User]] = {}
    rows = Delegation.objects.filter(
        _active_on(on), principal_id__in=principals, delegate__is_active=True
    ).select_related("delegate")
    for delegation in rows:
        result.setdefault(delegation.principal_id, []).append(delegation.delegate)
    return result


def delegations_of(*, user: User) -> QuerySet[Delegation]:
    """Delegations the user gave or received, newest first, with both users loaded."""
    return Delegation.objects.filter(Q(principal=user) | Q(delegate=user)).select_related(
        "principal", "delegate"
    )
