"""The silence procedure: scheduled agenda items put under silence until a deadline, silence broken by a
delegation (the item awaits the Council again), and the beat task's approval of the items whose deadline
passed unbroken."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.state_machine import VersionCheck, version_guard
from portal.notifications.outbox import event_record

from ..requests import permissions
from ..requests.models import (
    InclusionRequest,
)
from ..requests.models import InclusionRequestStatus as S
from ..requests.services import request_event_data
from ..requests.workflow import (
    TransitionNotAllowed,
)
from .decision_services import decision_apply
from .models import (
    SILENCE_LONGEST,
    AgendaItem,
    AgendaItemStatus,
    CouncilDecisionOutcome,
    CouncilMeetingKind,
    CouncilMeetingStatus,
)
from .services import _lock_meeting, _require_secretary


@transaction.atomic
def silence_start(
    *,
    actor: User,
    items: Iterable[AgendaItem],
    deadline: datetime.datetime,
    now: datetime.datetime | None = None,
    expected_version: VersionCheck | None = None,
) -> list[AgendaItem]:
    """Put scheduled agenda items under the silence procedure until `deadline`."""
    _require_secretary(actor)
    now = now or timezone.now()
    if deadline <= now:
        raise ValidationError({"deadline": _("The silence deadline must be in the future.")})
    if deadline > now + SILENCE_LONGEST:
        raise ValidationError(
            {
                "deadline": _(
                    "A silence procedure lasts at most %(days)s days: choose a deadline no later than "
                    "%(latest)s."
                )
                % {
                    "days": SILENCE_LONGEST.days,
                    "latest": formats.date_format(
                        timezone.localtime(now + SILENCE_LONGEST), "DATETIME_FORMAT"
                    ),
                }
            }
        )
    items = list(items)
    # The API checks its If-Match against the meeting the items are on (locked first, as the agenda's
    # other writes do); the pages send no version.
    meeting = _lock_meeting(items[0].meeting) if expected_version is not None and items else None
    with version_guard(expected_version, meeting):
        started: list[AgendaItem] = []
        for item in items:
            locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
            request = InclusionRequest.objects.select_for_update().get(pk=locked.request_id)
            if not permissions.request_is_visible(actor, request):
                raise PermissionDenied(_("You cannot see item %(position)s.") % {"position": locked.position})
            if locked.status != AgendaItemStatus.SCHEDULED or request.status != S.AWAITING_COUNCIL:
                raise TransitionNotAllowed(
                    _("Item %(position)s (%(reference)s) is not waiting for a decision.")
                    % {"position": locked.position, "reference": request.reference},
                    code="not_scheduled",
                )
            locked.status = AgendaItemStatus.UNDER_SILENCE
            locked.silence_deadline = deadline
            locked.save(update_fields=["status", "silence_deadline"])
            event_record(
                kind="request.silence_started",
                target=request,
                actor=actor,
                data=request_event_data(
                    request=request,
                    change=None,
                    meeting=locked.meeting.reference,
                    agenda_item_id=locked.pk,
                    silence_deadline=deadline.isoformat(),
                ),
            )
            started.append(locked)
        return started


@transaction.atomic
def silence_break(
    *,
    actor: User,
    item: AgendaItem,
    delegation: str,
    reason: str,
    now: datetime.datetime | None = None,
    expected_version: VersionCheck | None = None,
) -> AgendaItem:
    """Record that a delegation broke silence: the item goes back to awaiting a Council discussion.

    On a regular meeting the item stays on its agenda, to be discussed; on a silence batch it is
    closed, and the request (still awaiting the Council) can be put on a meeting's agenda.
    """
    _require_secretary(actor)
    now = now or timezone.now()
    errors: dict[str, str] = {}
    if not delegation.strip():
        errors["delegation"] = _("Name the delegation that broke silence.")
    if not reason.strip():
        errors["reason"] = _("Say why silence was broken.")
    if errors:
        raise ValidationError(errors)
    meeting = _lock_meeting(item.meeting) if expected_version is not None else None
    with version_guard(expected_version, meeting):
        locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
        request = InclusionRequest.objects.select_for_update().get(pk=locked.request_id)
        if not permissions.request_is_visible(actor, request):
            raise PermissionDenied(_("You cannot see this request."))
        if locked.status != AgendaItemStatus.UNDER_SILENCE:
            raise TransitionNotAllowed(_("This item is not under silence."), code="not_under_silence")
        if locked.silence_deadline is not None and locked.silence_deadline <= now:
            raise TransitionNotAllowed(
                _("The silence deadline has passed; silence can no longer be broken."), code="silence_over"
            )
        back_on_agenda = (
            locked.meeting.kind == CouncilMeetingKind.REGULAR
            and locked.meeting.status == CouncilMeetingStatus.PLANNED
        )
        locked.status = AgendaItemStatus.SCHEDULED if back_on_agenda else AgendaItemStatus.SILENCE_BROKEN
        locked.silence_broken_at = now
        locked.silence_broken_by = delegation.strip()
        locked.silence_broken_reason = reason.strip()
        locked.save(
            update_fields=["status", "silence_broken_at", "silence_broken_by", "silence_broken_reason"]
        )
        event_record(
            kind="request.silence_broken",
            target=request,
            actor=actor,
            data=request_event_data(
                request=request,
                change=None,
                meeting=locked.meeting.reference,
                agenda_item_id=locked.pk,
                delegation=locked.silence_broken_by,
                reason=locked.silence_broken_reason,
            ),
        )
        return locked


def silence_expire_due(*, now: datetime.datetime | None = None) -> int:
    """Approve every item whose silence deadline passed unbroken (the beat task's body); returns how many.

    Each item is decided in its own transaction, recorded by the portal (no actor), so that one
    failure does not hold back the others, and two beat runs never approve the same item twice.
    """
    now = now or timezone.now()
    approved = 0
    due = AgendaItem.objects.filter(status=AgendaItemStatus.UNDER_SILENCE, silence_deadline__lte=now)
    for item_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            item = (
                AgendaItem.objects.select_for_update(skip_locked=True)
                .select_related("meeting")
                .filter(pk=item_id, status=AgendaItemStatus.UNDER_SILENCE, silence_deadline__lte=now)
                .first()
            )
            if item is None:
                continue
            decision_apply(
                request=item.request_id,
                outcome=CouncilDecisionOutcome.APPROVED,
                actor=None,
                acting_for=None,
                meeting=item.meeting,
                reference=item.meeting.reference,
                conditions="",
                reason=_("Silence procedure ended unbroken at %(deadline)s.")
                % {"deadline": date_format(timezone.localtime(item.silence_deadline), "DATETIME_FORMAT")},
                now=now,
            )
            approved += 1
    return approved
