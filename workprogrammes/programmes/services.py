"""Writes of the annual programmes (ITCP): changing them, amendments, and the helpers their lifecycle
(workflow_services.py) and their activities (activity_services.py) share.

Lifecycle (the tables are in workflow.py): draft -> proposed -> agreed -> active -> closed. A draft is
edited freely; proposing creates the inclusion requests its activities need (through the workflow's own
`inclusion_request_create`); an agreed or active programme changes only by amendment (reason, who, when,
the version before and after); proposed and closed programmes do not change. After agreement each
activity goes planned -> confirmed -> held -> reported (with its outcome), or is cancelled with a reason.

Every step: permission (officers of the partner's desk, or administrators), lock the row, check the
status, change, write a ProgrammeStatusChange (the timeline) and record the notification event, in one
transaction and under a history context naming the actor. An illegal or stale step raises
TransitionNotAllowed (pages show it, the API answers 409); a permission problem PermissionDenied; bad
input ValidationError with field names.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any, TypeVar

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Partner
from portal.accounts.models import User
from portal.core.records import writable_values
from portal.core.state_machine import VersionCheck, version_guard
from portal.notifications.outbox import event_record

from ..requests import permissions as request_permissions
from ..requests.models import InclusionRequest
from ..requests.services import inclusion_request_create
from ..requests.workflow import TransitionNotAllowed
from .models import (
    Objective,
    ProgrammeActivity,
    ProgrammeActivityStatus,
    ProgrammeAmendment,
    ProgrammeStatusChange,
    WorkProgramme,
    WorkProgrammeKind,
    WorkProgrammeStatus,
)
from .permissions import can_manage_programme
from .workflow import AMENDABLE_STATUSES, PROGRAMME_EDITABLE_STATUSES

PS = WorkProgrammeStatus
AS = ProgrammeActivityStatus
T = TypeVar("T")

PROGRAMME_FIELDS = ("kind", "objectives_en", "objectives_fr", "marking", "releasability")
ACTIVITY_FIELDS = (
    "catalogue_item",
    "title_en",
    "title_fr",
    "objective",
    "start_date",
    "end_date",
    "place",
    "lead",
    "marking",
    "releasability",
)


# --- Checks -------------------------------------------------------------------------------------


def programme_permission_check(*, actor: User, target: WorkProgramme | ProgrammeActivity | Partner) -> None:
    """Raise PermissionDenied unless the actor may change this partner's programme."""
    if not can_manage_programme(actor, target):
        raise PermissionDenied(
            _("Only officers of the partner's desk and administrators may change its programme.")
        )


def _lock_programme(programme: WorkProgramme | int) -> WorkProgramme:
    pk = programme if isinstance(programme, int) else programme.pk
    return WorkProgramme.objects.select_for_update(of=("self",)).select_related("partner").get(pk=pk)


def _lock_activity(activity: ProgrammeActivity) -> tuple[WorkProgramme, ProgrammeActivity]:
    # The programme first, then the activity: every writer takes the locks in this order.
    programme = _lock_programme(activity.programme_id)
    locked = (
        ProgrammeActivity.objects.select_for_update(of=("self",))
        .select_related("catalogue_item")
        .get(pk=activity.pk)
    )
    locked.programme = programme
    return programme, locked


def _text(record: Any, column: str) -> str:
    """A bilingual column (e.g. "title_fr"), read without going through the active language."""
    return str(getattr(record, column, "") or "")


def _status_label(status: str, *, activity: bool = False) -> str:
    choices = AS if activity else PS
    return str(dict(choices.choices).get(status, status)).lower()


def _not_allowed(what: str, status: str, *, activity: bool = False) -> TransitionNotAllowed:
    return TransitionNotAllowed(
        _("%(what)s is not possible: the %(record)s is %(status)s.")
        % {
            "what": what,
            "record": _("activity") if activity else _("programme"),
            "status": _status_label(status, activity=activity),
        },
        code="programme_step_not_allowed",
    )


def _check_marking(*, actor: User, marking: Any) -> None:
    if marking is not None and int(marking) > actor.clearance:
        raise ValidationError({"marking": _("You cannot mark a record above your own clearance.")})


def _timeline(
    *,
    programme: WorkProgramme,
    actor: User,
    from_status: str,
    to_status: str,
    activity: ProgrammeActivity | None = None,
    reason: str = "",
    at: datetime.datetime | None = None,
) -> ProgrammeStatusChange:
    return ProgrammeStatusChange.objects.create(
        programme=programme,
        activity=activity,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        at=at or timezone.now(),
        reason=reason.strip(),
    )


def _event_data(programme: WorkProgramme, **extra: Any) -> dict[str, Any]:
    return {"partner_id": programme.partner_id, "year": programme.year, "status": programme.status, **extra}


# --- Snapshots and amendments -------------------------------------------------------------------


def programme_snapshot(programme: WorkProgramme) -> dict[str, Any]:
    """The programme and its activities as people read them: what an amendment keeps of each version."""
    activities = programme.activities.select_related("catalogue_item").order_by("start_date", "pk")
    return {
        "programme": {
            "kind": str(WorkProgrammeKind(programme.kind).label),
            "objectives_en": _text(programme, "objectives_en"),
            "objectives_fr": _text(programme, "objectives_fr"),
            "marking": int(programme.marking),
            "releasability": programme.releasability,
        },
        "activities": {
            str(activity.pk): {
                "title_en": _text(activity, "title_en"),
                "title_fr": _text(activity, "title_fr"),
                "catalogue_item": activity.catalogue_item.code if activity.catalogue_item else "",
                "objective": str(Objective(activity.objective).label),
                "start_date": activity.start_date.isoformat(),
                "end_date": activity.end_date.isoformat(),
                "place": activity.place,
                "lead": activity.lead,
                "status": str(AS(activity.status).label),
                "marking": int(activity.marking),
                "releasability": activity.releasability,
            }
            for activity in activities
        },
    }


def _change_content(
    *, actor: User, programme: WorkProgramme, reason: str, change: Callable[[], T], what: str
) -> T:
    """Apply a change to a locked programme's content: directly on a draft, by amendment once agreed."""
    if programme.status in PROGRAMME_EDITABLE_STATUSES:
        return change()
    if programme.status not in AMENDABLE_STATUSES:
        raise _not_allowed(what, programme.status)
    if not reason.strip():
        raise ValidationError(
            {"reason": _("An agreed programme changes only by amendment: give its reason.")}
        )
    previous = programme_snapshot(programme)
    result = change()
    amended = programme_snapshot(programme)
    if amended == previous:
        return result
    number = (programme.amendments.aggregate(last=Max("number"))["last"] or 0) + 1
    amendment = ProgrammeAmendment.objects.create(
        programme=programme,
        number=number,
        reason=reason.strip(),
        amended_by=actor,
        previous=previous,
        amended=amended,
    )
    event_record(
        kind="programme.amended",
        target=programme,
        actor=actor,
        data=_event_data(programme, amendment=number, amendment_id=amendment.pk, reason=amendment.reason),
    )
    return result


@transaction.atomic
def programme_update(
    *,
    actor: User,
    programme: WorkProgramme,
    reason: str = "",
    expected_version: VersionCheck | None = None,
    **changes: Any,
) -> WorkProgramme:
    """Change a programme's kind, objectives or marking (by amendment once agreed); `expected_version`
    (the API's optional If-Match) is checked under the lock."""
    values = writable_values(changes, allowed=PROGRAMME_FIELDS)
    locked = _lock_programme(programme)
    with version_guard(expected_version, locked):
        programme_permission_check(actor=actor, target=locked)
        _check_marking(actor=actor, marking=values.get("marking"))

        def change() -> WorkProgramme:
            for name, value in values.items():
                setattr(locked, name, value)
            locked.full_clean(validate_unique=False)
            locked.save(update_fields=[*values, "updated_at"])
            return locked

        with pghistory.context(user=actor.pk):
            return _change_content(
                actor=actor, programme=locked, reason=reason, change=change, what=_("Changing it")
            )


# --- Requests for activities that need a Council decision (activity_services.py, workflow_services.py) -


def _needs_council_decision(activity: ProgrammeActivity) -> bool:
    """Whether including the partner needs a NAC decision: the catalogue item says; without one, it does."""
    item = activity.catalogue_item
    return True if item is None else bool(item.needs_council_decision)


def _request_for(
    *,
    actor: User,
    programme: WorkProgramme,
    activity: ProgrammeActivity,
    justification: str,
    mutual_benefit: str,
) -> InclusionRequest:
    return inclusion_request_create(
        actor=actor,
        partner=programme.partner,
        programme_activity=activity,
        justification=justification,
        mutual_benefit=mutual_benefit,
        marking=activity.marking,
        releasability=activity.releasability,
    )


def _check_may_request(*, actor: User, programme: WorkProgramme) -> None:
    # The requests are the desk's: an administrator who is not an officer of it cannot author them.
    if not (
        request_permissions.can_create_request(actor)
        and request_permissions.handles_partner(actor, programme.partner_id)
    ):
        raise PermissionDenied(
            _(
                "Some activities need a council decision, so inclusion requests are created: only an "
                "officer of the partner's desk can do that."
            )
        )
