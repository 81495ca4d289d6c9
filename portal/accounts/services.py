"""Writes about users: delegations ("acting for")."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Delegation, User


@transaction.atomic
def delegation_create(
    *, principal: User, delegate: User, start_date: datetime.date, end_date: datetime.date, reason: str = ""
) -> Delegation:
    """Name a delegate for a date range; refuses oneself, inactive users, past ranges and overlaps."""
    errors: dict[str, str] = {}
    if delegate.pk == principal.pk:
        errors["delegate"] = _("You cannot delegate to yourself.")
    elif not delegate.is_active:
        errors["delegate"] = _("This user account is disabled.")
    if end_date < start_date:
        errors["end_date"] = _("The end date must be on or after the start date.")
    elif end_date < timezone.localdate():
        errors["end_date"] = _("The delegation would already be over.")
    if errors:
        raise ValidationError(errors)
    # Serialise concurrent creations by the same principal so the overlap check holds.
    User.objects.select_for_update().filter(pk=principal.pk).get()
    overlapping = Delegation.objects.filter(
        principal=principal,
        delegate=delegate,
        revoked_at__isnull=True,
        start_date__lte=end_date,
        end_date__gte=start_date,
    )
    if overlapping.exists():
        raise ValidationError({"start_date": _("This person is already your delegate during these dates.")})
    return Delegation.objects.create(
        principal=principal, delegate=delegate, start_date=start_date, end_date=end_date, reason=reason
    )


@transaction.atomic
def delegation_end(*, delegation: Delegation, by: User) -> Delegation:
    """End a delegation now; only its principal (or the delegate, stepping down) may do so."""
    delegation = Delegation.objects.select_for_update().get(pk=delegation.pk)
    if by.pk not in (delegation.principal_id, delegation.delegate_id):
        raise PermissionError("Only the principal or the delegate may end a delegation.")
    if delegation.revoked_at is not None:
        return delegation
    delegation.revoked_at = timezone.now()
    delegation.save(update_fields=["revoked_at"])
    return delegation
