"""Writes of reference data and records' core fields, with the admin's own rules, from any surface.

The API's partner, operation, catalogue-item and reference-data endpoints and the admin obey the same
permissions: Django's model permissions (`<app>.add_<model>`, `<app>.change_<model>`), which the roles
grant (administrators hold them all). Each write validates the whole record (its check constraints
included), saves only what changed, names the actor on attributed records, and runs inside
`pghistory.context` with the actor, so the audit trail says who made it, as the admin's does.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, TypeVar

import pghistory
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User

M = TypeVar("M", bound=models.Model)


def record_permission_check(*, actor: User, model: type[models.Model], action: str) -> None:
    """Raise PermissionDenied unless the actor holds the admin's permission to add/change the model."""
    opts = model._meta
    if not actor.is_active or not actor.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        raise PermissionDenied(
            _("Your roles do not allow you to change %(records)s.") % {"records": opts.verbose_name_plural}
        )


def writable_values(fields: Mapping[str, Any], *, allowed: Collection[str]) -> dict[str, Any]:
    """The fields a write was given, refused if one is not among those it may write, text trimmed."""
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    return {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}


@transaction.atomic
def record_create(*, actor: User, model: type[M], allowed: Collection[str], fields: Mapping[str, Any]) -> M:
    """Create a record of `model` from the allowed fields, checked and audited as in the admin."""
    record_permission_check(actor=actor, model=model, action="add")
    record = model(**writable_values(fields, allowed=allowed))
    if hasattr(record, "updated_by_id"):
        record.created_by = actor  # type: ignore[attr-defined]
        record.updated_by = actor  # type: ignore[attr-defined]
    record.full_clean()
    with pghistory.context(user=actor.pk):
        record.save()
    return record


@transaction.atomic
def record_update(*, actor: User, record: M, allowed: Collection[str], changes: Mapping[str, Any]) -> M:
    """Change the allowed fields of a record (locked first), checked and audited as in the admin."""
    model = type(record)
    record_permission_check(actor=actor, model=model, action="change")
    locked = model._default_manager.select_for_update().get(pk=record.pk)
    values = writable_values(changes, allowed=allowed)
    changed = [name for name, value in values.items() if getattr(locked, name) != value]
    if not changed:
        return locked
    for name in changed:
        setattr(locked, name, values[name])
    update_fields = list(changed)
    if hasattr(locked, "updated_by_id"):
        locked.updated_by = actor  # type: ignore[attr-defined]
        update_fields.append("updated_by")
    if hasattr(locked, "updated_at"):
        update_fields.append("updated_at")
    locked.full_clean()
    with pghistory.context(user=actor.pk):
        locked.save(update_fields=update_fields)
    return locked
