"""Writes of a partner's record: milestones, dialogue meetings, liaison, chosen areas, engagement level.

Officers of the partner's desk and administrators keep the record current through these services, from
the portal's forms, the API or a command. Each write checks the permission, validates the whole record
(its check constraints included), sets `created_by`/`updated_by`, and runs inside `pghistory.context`
with the actor, so that every history event says who made it, however the write arrived.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any, TypeVar

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.records import record_create, record_update, writable_values

from .models import (
    AttributedModel,
    CooperationArea,
    DialogueMeeting,
    LiaisonArrangement,
    Milestone,
    Partner,
    PartnerAreaChange,
    PartnerEngagementLevel,
    PartnershipFramework,
    Region,
)
from .permissions import can_edit_partner_record

R = TypeVar("R", bound=AttributedModel)

# What an officer may write on each record (the partner is set on creation and never changes).
MILESTONE_FIELDS = (
    "date",
    "date_precision",
    "kind",
    "title_en",
    "title_fr",
    "description_en",
    "description_fr",
)
DIALOGUE_MEETING_FIELDS = ("date", "kind", "title_en", "title_fr", "location", "summary_en", "summary_fr")
LIAISON_ARRANGEMENT_FIELDS = (
    "post",
    "operation",
    "officers",
    "officer_name",
    "start_date",
    "end_date",
    "notes_en",
    "notes_fr",
)


def partner_record_permission_check(*, actor: User, partner: Partner | int) -> None:
    """Raise PermissionDenied unless the actor may keep this partner's record."""
    if not can_edit_partner_record(actor, partner):
        raise PermissionDenied(
            _("Only officers of the partner's desk and administrators may change its record.")
        )


def attributed_create(*, actor: User, model: type[R], allowed: Collection[str], **fields: Any) -> R:
    """Create a record with the given fields, validated and attributed (the caller checks the permission)."""
    record = model(**writable_values(fields, allowed=[*allowed, "partner"]))
    record.created_by = actor
    record.updated_by = actor
    record.full_clean()
    with pghistory.context(user=actor.pk):
        record.save()
    return record


def attributed_update(*, actor: User, record: R, allowed: Collection[str], **changes: Any) -> R:
    """Change a locked record's fields, validated and attributed; saves only what changed."""
    values = writable_values(changes, allowed=allowed)
    changed = [name for name, value in values.items() if _differs(record, name, value)]
    if not changed:
        return record
    for name in changed:
        setattr(record, name, values[name])
    record.updated_by = actor
    record.full_clean()
    with pghistory.context(user=actor.pk):
        record.save(update_fields=[*changed, "updated_by", "updated_at"])
    return record


def _differs(record: models.Model, name: str, value: Any) -> bool:
    field = record._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        new_id = value.pk if isinstance(value, models.Model) else value
        return bool(getattr(record, field.attname) != new_id)
    return bool(getattr(record, name) != value)


def _locked(model: type[R], pk: int) -> R:
    return model._default_manager.select_for_update().get(pk=pk)


# --- Milestones ---------------------------------------------------------------------------------


@transaction.atomic
def milestone_create(*, actor: User, partner: Partner, **fields: Any) -> Milestone:
    """Record a dated event in relations with this partner."""
    partner_record_permission_check(actor=actor, partner=partner)
    return attributed_create(
        actor=actor, model=Milestone, allowed=MILESTONE_FIELDS, partner=partner, **fields
    )


@transaction.atomic
def milestone_update(*, actor: User, milestone: Milestone, **changes: Any) -> Milestone:
    """Correct a partner's milestone (Alliance-wide milestones are reference data for administrators)."""
    locked = _locked(Milestone, milestone.pk)
    if locked.partner_id is None:
        raise PermissionDenied(
            _("Alliance-wide milestones are kept by administrators in the reference data.")
        )
    partner_record_permission_check(actor=actor, partner=locked.partner_id)
    return attributed_update(actor=actor, record=locked, allowed=MILESTONE_FIELDS, **changes)


# --- Dialogue meetings --------------------------------------------------------------------------


@transaction.atomic
def dialogue_meeting_create(*, actor: User, partner: Partner, **fields: Any) -> DialogueMeeting:
    """Record a meeting of the political dialogue with this partner."""
    partner_record_permission_check(actor=actor, partner=partner)
    return attributed_create(
        actor=actor, model=DialogueMeeting, allowed=DIALOGUE_MEETING_FIELDS, partner=partner, **fields
    )


@transaction.atomic
def dialogue_meeting_update(*, actor: User, meeting: DialogueMeeting, **changes: Any) -> DialogueMeeting:
    """Correct a dialogue meeting of the partner."""
    locked = _locked(DialogueMeeting, meeting.pk)
    partner_record_permission_check(actor=actor, partner=locked.partner_id)
    return attributed_update(actor=actor, record=locked, allowed=DIALOGUE_MEETING_FIELDS, **changes)


# --- Liaison arrangements -----------------------------------------------------------------------


@transaction.atomic
def liaison_arrangement_create(*, actor: User, partner: Partner, **fields: Any) -> LiaisonArrangement:
    """Record liaison officers the partner posts at SHAPE, the ICC, an operational HQ or NATO HQ."""
    partner_record_permission_check(actor=actor, partner=partner)
    return attributed_create(
        actor=actor, model=LiaisonArrangement, allowed=LIAISON_ARRANGEMENT_FIELDS, partner=partner, **fields
    )


@transaction.atomic
def liaison_arrangement_update(
    *, actor: User, arrangement: LiaisonArrangement, **changes: Any
) -> LiaisonArrangement:
    """Correct a liaison arrangement, e.g. record the date it ended."""
    locked = _locked(LiaisonArrangement, arrangement.pk)
    partner_record_permission_check(actor=actor, partner=locked.partner_id)
    return attributed_update(actor=actor, record=locked, allowed=LIAISON_ARRANGEMENT_FIELDS, **changes)


# --- Areas of cooperation and engagement level --------------------------------------------------


@transaction.atomic
def partner_cooperation_update(
    *,
    actor: User,
    partner: Partner,
    engagement_level: str,
    areas: Iterable[CooperationArea],
) -> Partner:
    """Set the areas the partner chose and the extent of its engagement; each area chosen or dropped is
    written down as a PartnerAreaChange."""
    locked = _locked(Partner, partner.pk)
    partner_record_permission_check(actor=actor, partner=locked)
    if engagement_level not in PartnerEngagementLevel.values:
        raise ValidationError({"engagement_level": _("Choose an engagement level from the list.")})
    wanted = {area.pk: area for area in areas}
    current = set(locked.areas.values_list("pk", flat=True))
    added, dropped = sorted(set(wanted) - current), sorted(current - set(wanted))
    with pghistory.context(user=actor.pk):
        if added:
            locked.areas.add(*added)
        if dropped:
            locked.areas.remove(*dropped)
        PartnerAreaChange.objects.bulk_create(
            [PartnerAreaChange(partner=locked, area_id=pk, chosen=True, actor=actor) for pk in added]
            + [PartnerAreaChange(partner=locked, area_id=pk, chosen=False, actor=actor) for pk in dropped]
        )
        if engagement_level != locked.engagement_level or added or dropped:
            locked.engagement_level = engagement_level
            locked.updated_by = actor
            locked.save(update_fields=["engagement_level", "updated_by", "updated_at"])
    return locked


# --- Core fields and reference data (the admin's permissions; see portal/core/records.py) -----------

PARTNER_CORE_FIELDS = (
    "iso_code",
    "name_en",
    "name_fr",
    "region",
    "framework",
    "dialogue_since",
    "summary_en",
    "summary_fr",
    "status",
)
REGION_FIELDS = ("code", "name_en", "name_fr")
COOPERATION_AREA_FIELDS = ("code", "name_en", "name_fr", "description_en", "description_fr")
FRAMEWORK_FIELDS = (
    "code",
    "acronym_en",
    "acronym_fr",
    "name_en",
    "name_fr",
    "kind",
    "description_en",
    "description_fr",
)


def partner_create(*, actor: User, **fields: Any) -> Partner:
    """Add a partner (administrators)."""
    return record_create(actor=actor, model=Partner, allowed=PARTNER_CORE_FIELDS, fields=fields)


def partner_update(*, actor: User, partner: Partner, **changes: Any) -> Partner:
    """Change a partner's core fields (administrators); areas and engagement: partner_cooperation_update."""
    return record_update(actor=actor, record=partner, allowed=PARTNER_CORE_FIELDS, changes=changes)


def region_create(*, actor: User, **fields: Any) -> Region:
    return record_create(actor=actor, model=Region, allowed=REGION_FIELDS, fields=fields)


def region_update(*, actor: User, region: Region, **changes: Any) -> Region:
    return record_update(actor=actor, record=region, allowed=REGION_FIELDS, changes=changes)


def cooperation_area_create(*, actor: User, **fields: Any) -> CooperationArea:
    return record_create(actor=actor, model=CooperationArea, allowed=COOPERATION_AREA_FIELDS, fields=fields)


def cooperation_area_update(*, actor: User, area: CooperationArea, **changes: Any) -> CooperationArea:
    return record_update(actor=actor, record=area, allowed=COOPERATION_AREA_FIELDS, changes=changes)


def framework_create(*, actor: User, **fields: Any) -> PartnershipFramework:
    return record_create(actor=actor, model=PartnershipFramework, allowed=FRAMEWORK_FIELDS, fields=fields)


def framework_update(*, actor: User, framework: PartnershipFramework, **changes: Any) -> PartnershipFramework:
    return record_update(actor=actor, record=framework, allowed=FRAMEWORK_FIELDS, changes=changes)
