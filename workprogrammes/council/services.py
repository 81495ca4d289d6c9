"""Writes of the Council's work on inclusion requests: meetings, their agendas, rescheduling a deferred
request, and withdrawing a request (which takes it off any open agenda).

Each write checks who may act, locks the rows it changes and, where a request changes status, applies the
request's workflow table through requests/workflow_services.py, all in one transaction."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import formats, timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.state_machine import VersionCheck, version_guard

from ..requests import permissions
from ..requests.models import (
    InclusionRequest,
)
from ..requests.models import InclusionRequestStatus as S
from ..requests.workflow import (
    TransitionNotAllowed,
)
from ..requests.workflow_services import request_transition
from . import permissions as council_permissions
from .models import (
    AGENDA_ITEM_OPEN,
    AgendaItem,
    AgendaItemStatus,
    CouncilDecision,
    CouncilDecisionOutcome,
    CouncilMeeting,
    CouncilMeetingKind,
    CouncilMeetingStatus,
    meeting_date_window,
)


def _close_open_items(
    *, request: InclusionRequest, status: str, meeting: CouncilMeeting | None = None
) -> None:
    items = AgendaItem.objects.filter(request=request, status__in=AGENDA_ITEM_OPEN)
    if meeting is not None:
        items = items.filter(meeting=meeting)
    items.update(status=status)


@transaction.atomic
def inclusion_request_withdraw(
    *,
    actor: User,
    request: InclusionRequest,
    reason: str,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
    expected_version: VersionCheck | None = None,
) -> InclusionRequest:
    """The desk's officer withdraws a request before the final decision; it leaves any open agenda."""

    def change(locked: InclusionRequest, at: datetime.datetime) -> list[str]:
        _close_open_items(request=locked, status=AgendaItemStatus.WITHDRAWN)
        return []

    locked, _change = request_transition(
        request=request,
        action="withdraw",
        actor=actor,
        acting_for=acting_for,
        reason=reason,
        now=now,
        change=change,
        expected_version=expected_version,
    )
    return locked


def _require_secretary(actor: User, acting_for: User | None = None) -> User:
    principal = permissions.principal_for(actor=actor, acting_for=acting_for)
    if not council_permissions.can_manage_council(principal):
        raise PermissionDenied(_("Only council secretaries manage meetings and record decisions."))
    return principal


@transaction.atomic
def council_meeting_create(
    *,
    actor: User,
    date: datetime.date,
    reference: str,
    kind: str = CouncilMeetingKind.REGULAR,
    notes: str = "",
) -> CouncilMeeting:
    """Plan a Council meeting (or a silence-procedure batch) with its reference, e.g. C-M(2026)0042."""
    _require_secretary(actor)
    reference = reference.strip()
    errors: dict[str, str] = {}
    if not reference:
        errors["reference"] = _("Give the meeting's reference.")
    elif CouncilMeeting.objects.filter(reference__iexact=reference).exists():
        errors["reference"] = _("A meeting with this reference already exists.")
    if kind not in CouncilMeetingKind.values:
        errors["kind"] = _("Choose a kind of meeting.")
    earliest, latest = meeting_date_window(timezone.localdate())
    if not earliest <= date <= latest:
        errors["date"] = _(
            "A meeting is planned between %(earliest)s and %(latest)s (a year ago to two years ahead): "
            "check the year."
        ) % {
            "earliest": formats.date_format(earliest, "DATE_FORMAT"),
            "latest": formats.date_format(latest, "DATE_FORMAT"),
        }
    if errors:
        raise ValidationError(errors)
    return CouncilMeeting.objects.create(date=date, reference=reference, kind=kind, notes=notes.strip())


def _lock_meeting(meeting: CouncilMeeting) -> CouncilMeeting:
    return CouncilMeeting.objects.select_for_update().get(pk=meeting.pk)


def _reschedule(
    *,
    actor: User,
    request: InclusionRequest,
    meeting: CouncilMeeting,
    acting_for: User | None = None,
    now: datetime.datetime,
) -> InclusionRequest:
    last_deferral = (
        CouncilDecision.objects.filter(request=request, outcome=CouncilDecisionOutcome.DEFERRED)
        .select_related("meeting")
        .order_by("-recorded_at", "-pk")
        .first()
    )
    if last_deferral is not None:
        deferred_on = (
            last_deferral.meeting.date if last_deferral.meeting else last_deferral.recorded_at.date()
        )
        if meeting.date <= deferred_on:
            raise TransitionNotAllowed(
                _("%(reference)s was deferred on %(date)s; put it on a later meeting.")
                % {"reference": request.reference, "date": date_format(deferred_on, "DATE_FORMAT")},
                code="not_a_later_meeting",
            )
    locked, _change = request_transition(
        request=request,
        action="reschedule",
        actor=actor,
        acting_for=acting_for,
        now=now,
        reason=_("Rescheduled at %(meeting)s.") % {"meeting": meeting.reference},
        event_extra={"meeting": meeting.reference, "rescheduled": True},
    )
    return locked


@transaction.atomic
def inclusion_request_reschedule(
    *,
    actor: User,
    request: InclusionRequest,
    meeting: CouncilMeeting,
    acting_for: User | None = None,
    now: datetime.datetime | None = None,
    expected_version: VersionCheck | None = None,
) -> InclusionRequest:
    """Put a deferred request on a later meeting's agenda: deferred -> awaiting council, plus the item."""
    locked = InclusionRequest.objects.select_for_update().get(pk=request.pk)
    with version_guard(expected_version, locked):
        locked = _reschedule(
            actor=actor, request=locked, meeting=meeting, acting_for=acting_for, now=now or timezone.now()
        )
        agenda_build(actor=actor, meeting=meeting, requests=[locked], now=now)
    return locked


@transaction.atomic
def agenda_build(
    *,
    actor: User,
    meeting: CouncilMeeting,
    requests: Iterable[InclusionRequest],
    now: datetime.datetime | None = None,
    expected_version: VersionCheck | None = None,
) -> list[AgendaItem]:
    """Add requests awaiting the Council to a planned meeting's agenda, after its current items.

    A deferred request is rescheduled (deferred -> awaiting council) when added to a meeting later than
    the one that deferred it. Either every request is added or none is.
    """
    _require_secretary(actor)
    now = now or timezone.now()
    meeting = _lock_meeting(meeting)
    with version_guard(expected_version, meeting):
        if meeting.status != CouncilMeetingStatus.PLANNED:
            raise TransitionNotAllowed(
                _("This meeting has been held; its agenda is closed."), code="meeting_held"
            )
        position = (meeting.agenda_items.aggregate(last=Max("position"))["last"] or 0) + 1
        items: list[AgendaItem] = []
        for request in requests:
            locked = InclusionRequest.objects.select_for_update().get(pk=request.pk)
            if not permissions.request_is_visible(actor, locked):
                raise PermissionDenied(_("You cannot see %(reference)s.") % {"reference": locked.reference})
            if locked.status == S.DEFERRED:
                locked = _reschedule(actor=actor, request=locked, meeting=meeting, now=now)
            elif locked.status != S.AWAITING_COUNCIL:
                raise TransitionNotAllowed(
                    _("%(reference)s is %(status)s, not awaiting the Council.")
                    % {"reference": locked.reference, "status": S(locked.status).label.lower()},
                    code="not_awaiting_council",
                )
            if AgendaItem.objects.filter(request=locked, status__in=AGENDA_ITEM_OPEN).exists():
                raise TransitionNotAllowed(
                    _("%(reference)s is already on an open agenda.") % {"reference": locked.reference},
                    code="already_on_agenda",
                )
            items.append(AgendaItem.objects.create(meeting=meeting, request=locked, position=position))
            position += 1
        return items


def _open_agenda_item(actor: User, item: AgendaItem) -> AgendaItem:
    """The item, locked with its meeting, if the meeting is still planned and the item still scheduled."""
    _require_secretary(actor)
    meeting = _lock_meeting(item.meeting)
    if meeting.status != CouncilMeetingStatus.PLANNED:
        raise TransitionNotAllowed(
            _("This meeting has been held; its agenda is closed."), code="meeting_held"
        )
    locked = AgendaItem.objects.select_for_update().select_related("request").get(pk=item.pk)
    if locked.status != AgendaItemStatus.SCHEDULED:
        raise TransitionNotAllowed(
            _("Item %(position)s is no longer only scheduled; it cannot be moved or removed.")
            % {"position": locked.position},
            code="agenda_item_not_scheduled",
        )
    return locked


def _renumber_agenda(meeting: CouncilMeeting) -> None:
    """Number the meeting's items 1, 2, 3... in their current order (after a removal or a move)."""
    for position, item in enumerate(meeting.agenda_items.order_by("position", "pk"), start=1):
        if item.position != position:
            item.position = position
            item.save(update_fields=["position"])


@transaction.atomic
def agenda_item_move(*, actor: User, item: AgendaItem, direction: str) -> AgendaItem:
    """Move a scheduled item one place up or down the agenda of a planned meeting."""
    if direction not in ("up", "down"):
        raise ValidationError({"direction": _("Choose up or down.")})
    locked = _open_agenda_item(actor, item)
    _renumber_agenda(locked.meeting)
    locked.refresh_from_db(fields=["position"])
    target = locked.position - 1 if direction == "up" else locked.position + 1
    neighbour = AgendaItem.objects.filter(meeting=locked.meeting, position=target).first()
    if neighbour is None:
        return locked  # already first (or last): nothing to move
    neighbour.position, locked.position = locked.position, target
    neighbour.save(update_fields=["position"])
    locked.save(update_fields=["position"])
    return locked


@transaction.atomic
def agenda_item_remove(*, actor: User, item: AgendaItem) -> InclusionRequest:
    """Take a scheduled item off a planned meeting's agenda; the request keeps awaiting the Council."""
    locked = _open_agenda_item(actor, item)
    meeting, request = locked.meeting, locked.request
    locked.delete()
    _renumber_agenda(meeting)
    return request
