"""The lifecycle of a programme: propose, agree, activate, close, each one row of PROGRAMME_MACHINE
(workflow.py) applied by `programme_transition`, the entry point the pages and the API both call."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pghistory
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.state_machine import version_guard
from portal.notifications.outbox import event_record

from ..requests.models import InclusionRequest
from ..requests.workflow import NO_LONGER_STANDING
from .models import WorkProgramme
from .services import (
    AS,
    PS,
    _check_may_request,
    _event_data,
    _lock_programme,
    _needs_council_decision,
    _not_allowed,
    _request_for,
    _timeline,
    programme_permission_check,
)
from .workflow import PROGRAMME_MACHINE, ProgrammeStep

# --- The programme's lifecycle ------------------------------------------------------------------


def _agreement_errors(step: ProgrammeStep) -> None:
    errors = {}
    if step.agreed_on is None:
        errors["agreed_on"] = _("Enter the date of the agreement.")
    elif step.agreed_on > timezone.localdate():
        errors["agreed_on"] = _("The agreement date cannot be in the future.")
    if not (step.agreement_reference or "").strip():
        errors["agreement_reference"] = _("Enter the agreement's reference.")
    if errors:
        raise ValidationError(errors)


def _record_agreement(step: ProgrammeStep) -> Callable[[WorkProgramme], dict[str, Any]]:
    def record_agreement(locked: WorkProgramme) -> dict[str, Any]:
        assert step.agreed_on is not None  # _agreement_errors
        locked.agreed_on = step.agreed_on
        locked.agreement_reference = step.agreement_reference.strip()
        return {"agreed_on": step.agreed_on.isoformat(), "reference": locked.agreement_reference}

    return record_agreement


def _proposal_requests(
    locked: WorkProgramme, step: ProgrammeStep
) -> Callable[[WorkProgramme], dict[str, Any]]:
    """Proposing creates one inclusion request (a draft, for the desk to submit) for each activity whose
    catalogue item needs a council decision and that no standing request names yet."""
    actor = step.actor
    activities = list(
        locked.activities.select_related("catalogue_item")
        .exclude(status=AS.CANCELLED)
        .order_by("start_date", "pk")
    )
    if locked.status == PS.DRAFT and not activities:
        raise ValidationError(_("Add at least one activity before proposing the programme."))
    needing = [a for a in activities if _needs_council_decision(a)]
    already = set(
        InclusionRequest.objects.filter(programme_activity__in=needing)
        .exclude(status__in=NO_LONGER_STANDING)
        .values_list("programme_activity_id", flat=True)
    )
    needing = [a for a in needing if a.pk not in already]
    if needing and locked.status == PS.DRAFT:
        programme_permission_check(actor=actor, target=locked)
        _check_may_request(actor=actor, programme=locked)
        errors = {}
        if not step.justification.strip():
            errors["justification"] = _("Explain why the partner should take part (used for each request).")
        if not step.mutual_benefit.strip():
            errors["mutual_benefit"] = _("State the mutual benefit and reciprocity (used for each request).")
        if errors:
            raise ValidationError(errors)

    def create_requests(proposed: WorkProgramme) -> dict[str, Any]:
        requests = [
            _request_for(
                actor=actor,
                programme=proposed,
                activity=activity,
                justification=step.justification,
                mutual_benefit=step.mutual_benefit,
            )
            for activity in needing
        ]
        return {"requests": len(requests), "request_ids": [r.pk for r in requests]}

    return create_requests


@transaction.atomic
def programme_transition(*, programme: WorkProgramme, step: ProgrammeStep) -> WorkProgramme:
    """Take one step of the programme's lifecycle (a row of PROGRAMME_MACHINE), for the pages and the API.

    Locks the programme once; inside that lock checks the version the client expects (if any) after the
    step's own refusals, who may act and from which status; then changes the status, writes the timeline
    and records the row's event.
    """
    transition = PROGRAMME_MACHINE.by_action(step.action)
    actor = step.actor
    if transition.action == "agree":
        _agreement_errors(step)
    reason = step.reason if transition.asks_reason else ""
    locked = _lock_programme(programme)
    with version_guard(step.expected_version, locked):
        change: Callable[[WorkProgramme], dict[str, Any]] | None = None
        if transition.action == "propose":
            change = _proposal_requests(locked, step)
        elif transition.action == "agree":
            change = _record_agreement(step)
        programme_permission_check(actor=actor, target=locked)
        if locked.status not in transition.sources:
            raise _not_allowed(str(dict(PS.choices)[transition.target]), locked.status)
        with pghistory.context(user=actor.pk):
            from_status = locked.status
            locked.status = transition.target
            extra = change(locked) if change is not None else {}
            locked.full_clean(validate_unique=False)
            locked.save(update_fields=["status", "agreed_on", "agreement_reference", "updated_at"])
            status_change = _timeline(
                programme=locked, actor=actor, from_status=from_status, to_status=locked.status, reason=reason
            )
            event_record(
                kind=transition.event,
                target=locked,
                actor=actor,
                data=_event_data(
                    locked,
                    from_status=from_status,
                    to_status=locked.status,
                    status_change_id=status_change.pk,
                    reason=status_change.reason,
                    **extra,
                ),
            )
    return locked


def programme_propose(
    *, actor: User, programme: WorkProgramme, justification: str, mutual_benefit: str
) -> WorkProgramme:
    """Propose a draft programme: one inclusion request (a draft, for the desk to submit) is created for
    each activity whose catalogue item needs a council decision; exempt items need none."""
    step = ProgrammeStep(
        actor=actor, action="propose", justification=justification, mutual_benefit=mutual_benefit
    )
    return programme_transition(programme=programme, step=step)


def programme_agree(
    *, actor: User, programme: WorkProgramme, agreed_on: datetime.date, agreement_reference: str
) -> WorkProgramme:
    """Record the agreement with the partner: its date and reference."""
    step = ProgrammeStep(
        actor=actor, action="agree", agreed_on=agreed_on, agreement_reference=agreement_reference
    )
    return programme_transition(programme=programme, step=step)


def programme_activate(*, actor: User, programme: WorkProgramme) -> WorkProgramme:
    """The agreed programme starts running."""
    return programme_transition(programme=programme, step=ProgrammeStep(actor=actor, action="activate"))


def programme_close(*, actor: User, programme: WorkProgramme, reason: str = "") -> WorkProgramme:
    """Close a running programme (its year is over); nothing in it changes afterwards."""
    step = ProgrammeStep(actor=actor, action="close", reason=reason)
    return programme_transition(programme=programme, step=step)
