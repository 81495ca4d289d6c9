"""Writes of the partners' contributions to NATO-led operations.

Same rules as the rest of a partner's record (partners/services.py): officers of the partner's desk
and administrators, validated, attributed and recorded in history with the actor.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from partners.models import Partner
from partners.services import attributed_create, attributed_update, partner_record_permission_check
from portal.accounts.models import User
from portal.core.records import record_create, record_update

from .models import Contribution, Operation, currency_code

CONTRIBUTION_FIELDS = (
    "operation",
    "kind",
    "period_start",
    "period_end",
    "personnel",
    "amount",
    "currency",
    "command_arrangement_en",
    "command_arrangement_fr",
    "decision_making_association_en",
    "decision_making_association_fr",
    "planned_through_icc",
    "description_en",
    "description_fr",
    "source",
)


def _normalised(fields: dict[str, Any]) -> dict[str, Any]:
    # The currency as the model stores it, so that "eur" sent for EUR is no change.
    if isinstance(fields.get("currency"), str):
        fields["currency"] = currency_code(fields["currency"])
    return fields


@transaction.atomic
def contribution_create(*, actor: User, partner: Partner, **fields: Any) -> Contribution:
    """Record what the partner gave to an operation over one period (people, money or both)."""
    partner_record_permission_check(actor=actor, partner=partner)
    return attributed_create(
        actor=actor, model=Contribution, allowed=CONTRIBUTION_FIELDS, partner=partner, **_normalised(fields)
    )


@transaction.atomic
def contribution_update(*, actor: User, contribution: Contribution, **changes: Any) -> Contribution:
    """Correct a contribution, e.g. close its period or revise its figures."""
    locked = Contribution.objects.select_for_update().get(pk=contribution.pk)
    partner_record_permission_check(actor=actor, partner=locked.partner_id)
    return attributed_update(actor=actor, record=locked, allowed=CONTRIBUTION_FIELDS, **_normalised(changes))


OPERATION_FIELDS = (
    "code",
    "acronym_en",
    "acronym_fr",
    "name_en",
    "name_fr",
    "theatre_en",
    "theatre_fr",
    "description_en",
    "description_fr",
    "start_date",
    "end_date",
)


def operation_create(*, actor: User, **fields: Any) -> Operation:
    """Add a NATO-led operation (administrators; the admin's permissions and audit)."""
    return record_create(actor=actor, model=Operation, allowed=OPERATION_FIELDS, fields=fields)


def operation_update(*, actor: User, operation: Operation, **changes: Any) -> Operation:
    """Change an operation's fields (administrators)."""
    return record_update(actor=actor, record=operation, allowed=OPERATION_FIELDS, changes=changes)
