"""Writes of the annual programmes (ITCP): building, the lifecycle, amendments, and running the activities.

Lifecycle: draft -> proposed -> agreed -> active -> closed. A draft is edited freely; proposing creates
the inclusion requests its activities need (through the workflow's own `inclusion_request_create`);
an agreed or active programme changes only by amendment (reason, who, when, the version before and
after); proposed and closed programmes do not change. After agreement each activity goes
planned -> confirmed -> held -> reported (with its outcome), or is cancelled with a reason.

Every step: permission (officers of the partner's desk, or administrators), lock the row, check the
status, change, write a ProgrammeStatusChange (the timeline) and record the notification event, in one
transaction and under a history context naming the actor. An illegal or stale step raises
TransitionNotAllowed (pages show it, the API answers 409); a permission problem PermissionDenied; bad
input ValidationError with field names.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from partners.models import Partner
from portal.accounts.models import User
from portal.core.models import Marking
from portal.notifications.services import event_record

from . import permissions as request_permissions
from .models import (
    ActivityOutcome,
    CatalogueItem,
    InclusionRequest,
    InclusionRequestStatus,
    Objective,
    ProgrammeActivity,
    ProgrammeActivityStatus,
    ProgrammeAmendment,
    ProgrammeStatusChange,
    WorkProgramme,
    WorkProgrammeKind,
    WorkProgrammeStatus,
)
from .programme_permissions import can_manage_programme
from .services import inclusion_request_create
from .workflow import TransitionNotAllowed

PS = WorkProgrammeStatus
AS = ProgrammeActivityStatus
T = TypeVar("T")

# Statuses in which the programme's content changes: freely, or by amendment.
EDITABLE_STATUSES = (PS.DRAFT,)
AMENDABLE_STATUSES = (PS.AGREED, PS.ACTIVE)
# Activities are run (confirmed, held, reported, cancelled) once the programme is agreed.
RUNNING_STATUSES = (PS.AGREED, PS.ACTIVE)
# Requests that still stand for an activity (a new one is not created beside them).
SETTLED_REQUEST_STATUSES = (InclusionRequestStatus.WITHDRAWN, InclusionRequestStatus.REJECTED)

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

# programme step: (from statuses, to status, event kind)
PROGRAMME_STEPS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "propose": ((PS.DRAFT,), PS.PROPOSED, "programme.proposed"),
    "agree": ((PS.PROPOSED,), PS.AGREED, "programme.agreed"),
    "activate": ((PS.AGREED,), PS.ACTIVE, "programme.activated"),
    "close": ((PS.ACTIVE,), PS.CLOSED, "programme.closed"),
}
# activity step: (from statuses, to status)
ACTIVITY_STEPS: dict[str, tuple[tuple[str, ...], str]] = {
    "confirm": ((AS.PLANNED,), AS.CONFIRMED),
    "hold": ((AS.CONFIRMED,), AS.HELD),
    "report": ((AS.HELD,), AS.REPORTED),
    "cancel": ((AS.PLANNED, AS.CONFIRMED), AS.CANCELLED),
}


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


# --- Starting a programme -----------------------------------------------------------------------


def _new_programme(
    *,
    actor: User,
    partner: Partner,
    year: int,
    kind: str,
    objectives_en: str,
    objectives_fr: str,
    marking: int,
    releasability: str,
    copied_from: WorkProgramme | None = None,
) -> WorkProgramme:
    programme_permission_check(actor=actor, target=partner)
    _check_marking(actor=actor, marking=marking)
    programme = WorkProgramme(
        partner=partner,
        year=year,
        kind=kind,
        objectives_en=objectives_en.strip(),
        objectives_fr=objectives_fr.strip(),
        marking=marking,
        releasability=releasability.strip(),
        copied_from=copied_from,
        created_by=actor,
    )
    if WorkProgramme.objects.filter(partner=partner, year=year).exists():
        raise ValidationError(
            {
                "year": _("%(partner)s already has a programme for %(year)s.")
                % {"partner": partner, "year": year}
            }
        )
    programme.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            programme.save()
    except IntegrityError:  # another officer started the same year a moment ago
        raise ValidationError(
            {
                "year": _("%(partner)s already has a programme for %(year)s.")
                % {"partner": partner, "year": year}
            }
        ) from None
    return programme


@transaction.atomic
def programme_create(
    *,
    actor: User,
    partner: Partner,
    year: int,
    kind: str = WorkProgrammeKind.ITCP,
    objectives_en: str = "",
    objectives_fr: str = "",
    marking: int = Marking.NATO_UNCLASSIFIED,
    releasability: str = "",
) -> WorkProgramme:
    """Start an empty draft programme for a partner and year."""
    with pghistory.context(user=actor.pk):
        programme = _new_programme(
            actor=actor,
            partner=partner,
            year=year,
            kind=kind,
            objectives_en=objectives_en,
            objectives_fr=objectives_fr,
            marking=marking,
            releasability=releasability,
        )
        _timeline(
            programme=programme, actor=actor, from_status=PS.DRAFT, to_status=PS.DRAFT, reason=_("Started.")
        )
    return programme


def shift_one_year(day: datetime.date) -> datetime.date:
    """The same day a year later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def catalogue_item_is_offered(item: CatalogueItem | None, *, on: datetime.date | None = None) -> bool:
    """Whether officers may pick this item now: not retired, not deactivated (and already active)."""
    if item is None:
        return True
    on = on or timezone.localdate()
    if item.deleted_at is not None:
        return False
    return item.deactivated_on is None or item.deactivated_on > on


@transaction.atomic
def programme_copy_from_previous(*, actor: User, partner: Partner, year: int) -> WorkProgramme:
    """Start a draft programme from the partner's previous-year programme: its objectives and its activities,
    dates shifted by one year and statuses reset to planned.

    Cancelled activities, activities whose catalogue item is no longer offered, and activities marked
    above the actor's clearance are not copied; the timeline says which and why.
    """
    programme_permission_check(actor=actor, target=partner)
    source = (
        WorkProgramme.objects.filter(partner=partner, year=year - 1, marking__lte=actor.clearance)
        .prefetch_related("activities__catalogue_item")
        .first()
    )
    if source is None:
        raise ValidationError(
            {
                "year": _("%(partner)s has no programme for %(year)s to copy.")
                % {"partner": partner, "year": year - 1}
            }
        )
    with pghistory.context(user=actor.pk):
        programme = _new_programme(
            actor=actor,
            partner=partner,
            year=year,
            kind=source.kind,
            objectives_en=_text(source, "objectives_en"),
            objectives_fr=_text(source, "objectives_fr"),
            marking=source.marking,
            releasability=source.releasability,
            copied_from=source,
        )
        copies, not_offered, not_visible = [], [], 0
        for activity in source.activities.all():
            if activity.status == AS.CANCELLED:
                continue
            if activity.marking > actor.clearance:
                not_visible += 1
                continue
            if not catalogue_item_is_offered(activity.catalogue_item):
                not_offered.append(activity.title)
                continue
            copies.append(
                ProgrammeActivity(
                    programme=programme,
                    catalogue_item=activity.catalogue_item,
                    title_en=_text(activity, "title_en"),
                    title_fr=_text(activity, "title_fr"),
                    objective=activity.objective,
                    start_date=shift_one_year(activity.start_date),
                    end_date=shift_one_year(activity.end_date),
                    place=activity.place,
                    lead=activity.lead,
                    marking=activity.marking,
                    releasability=activity.releasability,
                    status=AS.PLANNED,
                )
            )
        for copy in copies:
            copy.save()
        note = [
            _("Copied from %(year)s: %(count)s activities.") % {"year": source.year, "count": len(copies)}
        ]
        if not_offered:
            note.append(
                _("Not copied, no longer in the catalogue: %(titles)s.") % {"titles": "; ".join(not_offered)}
            )
        if not_visible:
            note.append(_("Not copied, marked above your clearance: %(count)s.") % {"count": not_visible})
        _timeline(
            programme=programme, actor=actor, from_status=PS.DRAFT, to_status=PS.DRAFT, reason=" ".join(note)
        )
    return programme


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
    if programme.status in EDITABLE_STATUSES:
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


def _values(fields: dict[str, Any], *, allowed: Iterable[str]) -> dict[str, Any]:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    return {name: value.strip() if isinstance(value, str) else value for name, value in fields.items()}


@transaction.atomic
def programme_update(
    *, actor: User, programme: WorkProgramme, reason: str = "", **changes: Any
) -> WorkProgramme:
    """Change a programme's kind, objectives or marking (by amendment once agreed)."""
    values = _values(changes, allowed=PROGRAMME_FIELDS)
    locked = _lock_programme(programme)
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


# --- Activities in the programme ----------------------------------------------------------------


def _validate_activity(*, programme: WorkProgramme, activity: ProgrammeActivity, item_changed: bool) -> None:
    errors: dict[str, str] = {}
    if item_changed and not catalogue_item_is_offered(activity.catalogue_item):
        errors["catalogue_item"] = _("This catalogue item is no longer offered.")
    last_year = programme.year + (0 if programme.kind == WorkProgrammeKind.ITCP else 1)
    if activity.start_date and not programme.year <= activity.start_date.year <= last_year:
        errors["start_date"] = _(
            "The activity must start within the programme's period (%(first)s–%(last)s)."
        ) % {
            "first": programme.year,
            "last": last_year,
        }
    if errors:
        raise ValidationError(errors)
    activity.full_clean(exclude=["programme"])


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


@transaction.atomic
def programme_activity_add(
    *,
    actor: User,
    programme: WorkProgramme,
    catalogue_item: CatalogueItem | None,
    title_en: str,
    objective: str,
    start_date: datetime.date,
    end_date: datetime.date,
    title_fr: str = "",
    place: str = "",
    lead: str = "",
    marking: int | None = None,
    releasability: str = "",
    reason: str = "",
    justification: str = "",
    mutual_benefit: str = "",
) -> ProgrammeActivity:
    """Add an activity picked from the catalogue; once agreed, by amendment (and with its inclusion request
    if the catalogue item needs a council decision)."""
    locked = _lock_programme(programme)
    programme_permission_check(actor=actor, target=locked)
    marking = locked.marking if marking is None else marking
    _check_marking(actor=actor, marking=marking)
    activity = ProgrammeActivity(
        programme=locked,
        catalogue_item=catalogue_item,
        title_en=title_en.strip() or (_text(catalogue_item, "title_en") if catalogue_item else ""),
        title_fr=title_fr.strip() or (_text(catalogue_item, "title_fr") if catalogue_item else ""),
        objective=objective,
        start_date=start_date,
        end_date=end_date,
        place=place.strip(),
        lead=lead.strip(),
        marking=marking,
        releasability=releasability.strip(),
    )
    _validate_activity(programme=locked, activity=activity, item_changed=True)

    def change() -> ProgrammeActivity:
        activity.save()
        if locked.status in AMENDABLE_STATUSES and _needs_council_decision(activity):
            _check_may_request(actor=actor, programme=locked)
            _request_for(
                actor=actor,
                programme=locked,
                activity=activity,
                justification=justification,
                mutual_benefit=mutual_benefit,
            )
        return activity

    with pghistory.context(user=actor.pk):
        return _change_content(
            actor=actor, programme=locked, reason=reason, change=change, what=_("Adding an activity")
        )


@transaction.atomic
def programme_activity_update(
    *, actor: User, activity: ProgrammeActivity, reason: str = "", **changes: Any
) -> ProgrammeActivity:
    """Change an activity's item, title, dates, place, lead or marking (by amendment once agreed)."""
    values = _values(changes, allowed=ACTIVITY_FIELDS)
    programme, locked = _lock_activity(activity)
    programme_permission_check(actor=actor, target=programme)
    if locked.marking > actor.clearance:
        raise PermissionDenied(_("This activity is marked above your clearance."))
    _check_marking(actor=actor, marking=values.get("marking"))
    if locked.status in (AS.HELD, AS.REPORTED, AS.CANCELLED):
        raise _not_allowed(_("Changing it"), locked.status, activity=True)
    item_changed = "catalogue_item" in values and values["catalogue_item"] != locked.catalogue_item
    if item_changed and locked.inclusion_requests.exclude(status__in=SETTLED_REQUEST_STATUSES).exists():
        raise ValidationError(
            {
                "catalogue_item": _(
                    "An inclusion request names this activity: cancel it and add another instead."
                )
            }
        )

    def change() -> ProgrammeActivity:
        for name, value in values.items():
            setattr(locked, name, value)
        _validate_activity(programme=programme, activity=locked, item_changed=item_changed)
        locked.save(update_fields=[*values, "updated_at"])
        return locked

    with pghistory.context(user=actor.pk):
        return _change_content(
            actor=actor, programme=programme, reason=reason, change=change, what=_("Changing an activity")
        )


@transaction.atomic
def programme_activity_remove(*, actor: User, activity: ProgrammeActivity) -> None:
    """Take an activity out of a draft programme (once agreed, activities are cancelled instead)."""
    programme, locked = _lock_activity(activity)
    programme_permission_check(actor=actor, target=programme)
    if locked.marking > actor.clearance:
        raise PermissionDenied(_("This activity is marked above your clearance."))
    if programme.status not in EDITABLE_STATUSES:
        raise _not_allowed(_("Removing an activity"), programme.status)
    if locked.inclusion_requests.exists() or locked.status_changes.exists():
        raise TransitionNotAllowed(
            _("Records refer to this activity, so it cannot be removed."), code="activity_referenced"
        )
    with pghistory.context(user=actor.pk):
        locked.delete()


# --- The programme's lifecycle ------------------------------------------------------------------


def _programme_step(
    *,
    actor: User,
    programme: WorkProgramme,
    step: str,
    change: Callable[[WorkProgramme], dict[str, Any]] | None = None,
    reason: str = "",
) -> WorkProgramme:
    from_statuses, to_status, event_kind = PROGRAMME_STEPS[step]
    locked = _lock_programme(programme)
    programme_permission_check(actor=actor, target=locked)
    if locked.status not in from_statuses:
        raise _not_allowed(str(dict(PS.choices)[to_status]), locked.status)
    with pghistory.context(user=actor.pk):
        from_status = locked.status
        locked.status = to_status
        extra = change(locked) if change is not None else {}
        locked.full_clean(validate_unique=False)
        locked.save(update_fields=["status", "agreed_on", "agreement_reference", "updated_at"])
        status_change = _timeline(
            programme=locked, actor=actor, from_status=from_status, to_status=to_status, reason=reason
        )
        event_record(
            kind=event_kind,
            target=locked,
            actor=actor,
            data=_event_data(
                locked,
                from_status=from_status,
                to_status=to_status,
                status_change_id=status_change.pk,
                reason=status_change.reason,
                **extra,
            ),
        )
    return locked


@transaction.atomic
def programme_propose(
    *, actor: User, programme: WorkProgramme, justification: str, mutual_benefit: str
) -> WorkProgramme:
    """Propose a draft programme: one inclusion request (a draft, for the desk to submit) is created for
    each activity whose catalogue item needs a council decision; exempt items need none."""
    locked = _lock_programme(programme)
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
        .exclude(status__in=SETTLED_REQUEST_STATUSES)
        .values_list("programme_activity_id", flat=True)
    )
    needing = [a for a in needing if a.pk not in already]
    if needing and locked.status == PS.DRAFT:
        programme_permission_check(actor=actor, target=locked)
        _check_may_request(actor=actor, programme=locked)
        errors = {}
        if not justification.strip():
            errors["justification"] = _("Explain why the partner should take part (used for each request).")
        if not mutual_benefit.strip():
            errors["mutual_benefit"] = _("State the mutual benefit and reciprocity (used for each request).")
        if errors:
            raise ValidationError(errors)

    def create_requests(proposed: WorkProgramme) -> dict[str, Any]:
        requests = [
            _request_for(
                actor=actor,
                programme=proposed,
                activity=activity,
                justification=justification,
                mutual_benefit=mutual_benefit,
            )
            for activity in needing
        ]
        return {"requests": len(requests), "request_ids": [r.pk for r in requests]}

    return _programme_step(actor=actor, programme=locked, step="propose", change=create_requests)


@transaction.atomic
def programme_agree(
    *, actor: User, programme: WorkProgramme, agreed_on: datetime.date, agreement_reference: str
) -> WorkProgramme:
    """Record the agreement with the partner: its date and reference."""
    errors = {}
    if agreed_on is None:
        errors["agreed_on"] = _("Enter the date of the agreement.")
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = _("The agreement date cannot be in the future.")
    if not (agreement_reference or "").strip():
        errors["agreement_reference"] = _("Enter the agreement's reference.")
    if errors:
        raise ValidationError(errors)

    def record_agreement(locked: WorkProgramme) -> dict[str, Any]:
        locked.agreed_on = agreed_on
        locked.agreement_reference = agreement_reference.strip()
        return {"agreed_on": agreed_on.isoformat(), "reference": locked.agreement_reference}

    return _programme_step(actor=actor, programme=programme, step="agree", change=record_agreement)


@transaction.atomic
def programme_activate(*, actor: User, programme: WorkProgramme) -> WorkProgramme:
    """The agreed programme starts running."""
    return _programme_step(actor=actor, programme=programme, step="activate")


@transaction.atomic
def programme_close(*, actor: User, programme: WorkProgramme, reason: str = "") -> WorkProgramme:
    """Close a running programme (its year is over); nothing in it changes afterwards."""
    return _programme_step(actor=actor, programme=programme, step="close", reason=reason)


# --- Running the activities ---------------------------------------------------------------------


def _activity_step(
    *,
    actor: User,
    activity: ProgrammeActivity,
    step: str,
    reason: str = "",
    check: Callable[[ProgrammeActivity], None] | None = None,
    after: Callable[[ProgrammeActivity], None] | None = None,
) -> ProgrammeActivity:
    from_statuses, to_status = ACTIVITY_STEPS[step]
    programme, locked = _lock_activity(activity)
    programme_permission_check(actor=actor, target=programme)
    if locked.marking > actor.clearance:
        raise PermissionDenied(_("This activity is marked above your clearance."))
    if programme.status not in RUNNING_STATUSES:
        raise _not_allowed(_("Running its activities"), programme.status)
    if locked.status not in from_statuses:
        raise _not_allowed(str(dict(AS.choices)[to_status]), locked.status, activity=True)
    if check is not None:
        check(locked)
    with pghistory.context(user=actor.pk):
        from_status = locked.status
        locked.status = to_status
        update_fields = ["status", "updated_at"]
        if to_status == AS.CANCELLED:
            locked.cancellation_reason = reason.strip()
            update_fields.append("cancellation_reason")
        locked.save(update_fields=update_fields)
        if after is not None:
            after(locked)
        _timeline(
            programme=programme,
            activity=locked,
            actor=actor,
            from_status=from_status,
            to_status=to_status,
            reason=reason,
        )
    return locked


@transaction.atomic
def activity_confirm(*, actor: User, activity: ProgrammeActivity) -> ProgrammeActivity:
    """The activity will take place as planned (dates, place and lead confirmed)."""
    return _activity_step(actor=actor, activity=activity, step="confirm")


@transaction.atomic
def activity_mark_held(
    *, actor: User, activity: ProgrammeActivity, today: datetime.date | None = None
) -> ProgrammeActivity:
    """The activity took place; its outcome is recorded next."""

    def has_started(locked: ProgrammeActivity) -> None:
        if locked.start_date > (today or timezone.localdate()):
            raise ValidationError(
                _("An activity cannot be held before it starts (%(date)s).") % {"date": locked.start_date}
            )

    return _activity_step(actor=actor, activity=activity, step="hold", check=has_started)


@transaction.atomic
def activity_cancel(*, actor: User, activity: ProgrammeActivity, reason: str) -> ProgrammeActivity:
    """Cancel a planned or confirmed activity, saying why."""
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the activity is cancelled.")})
    return _activity_step(actor=actor, activity=activity, step="cancel", reason=reason)


@transaction.atomic
def activity_outcome_record(
    *,
    actor: User,
    activity: ProgrammeActivity,
    participants: int,
    rating: int,
    lessons: str = "",
    follow_up: str = "",
) -> ActivityOutcome:
    """Record what came of a held activity (participants, a rating from 1 to 5, lessons, follow-up);
    the activity is then reported."""
    errors = {}
    if participants is None or participants < 0:
        errors["participants"] = _("Enter the number of participants.")
    if rating is None or not 1 <= rating <= 5:
        errors["rating"] = _("Choose a rating from 1 to 5.")
    if errors:
        raise ValidationError(errors)
    outcomes: list[ActivityOutcome] = []

    def write_outcome(locked: ProgrammeActivity) -> None:
        outcomes.append(
            ActivityOutcome.objects.create(
                activity=locked,
                participants=participants,
                rating=rating,
                lessons=lessons.strip(),
                follow_up=follow_up.strip(),
                recorded_by=actor,
            )
        )

    _activity_step(actor=actor, activity=activity, step="report", after=write_outcome)
    return outcomes[0]
