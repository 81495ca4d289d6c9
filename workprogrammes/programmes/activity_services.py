"""Writes of a programme's activities: adding, changing and removing them (by amendment once the
programme is agreed), then running them (confirmed, held, reported with their outcome, or cancelled)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pghistory
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.records import writable_values
from portal.core.state_machine import VersionCheck, version_guard

from ..catalogue.models import CatalogueItem
from ..catalogue.selectors import catalogue_item_is_offered
from ..requests.workflow import NO_LONGER_STANDING, TransitionNotAllowed
from .models import (
    ActivityOutcome,
    ProgrammeActivity,
    WorkProgramme,
    WorkProgrammeKind,
)
from .services import (
    ACTIVITY_FIELDS,
    AS,
    _change_content,
    _check_marking,
    _check_may_request,
    _lock_activity,
    _lock_programme,
    _needs_council_decision,
    _not_allowed,
    _request_for,
    _text,
    _timeline,
    programme_permission_check,
)
from .workflow import (
    ACTIVITY_MACHINE,
    ACTIVITY_SETTLED_STATUSES,
    AMENDABLE_STATUSES,
    PROGRAMME_EDITABLE_STATUSES,
    RUNNING_STATUSES,
    ActivityStep,
)


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
    expected_version: VersionCheck | None = None,
) -> ProgrammeActivity:
    """Add an activity picked from the catalogue; once agreed, by amendment (and with its inclusion request
    if the catalogue item needs a council decision)."""
    locked = _lock_programme(programme)
    with version_guard(expected_version, locked):
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
    *,
    actor: User,
    activity: ProgrammeActivity,
    reason: str = "",
    expected_version: VersionCheck | None = None,
    **changes: Any,
) -> ProgrammeActivity:
    """Change an activity's item, title, dates, place, lead or marking (by amendment once agreed)."""
    values = writable_values(changes, allowed=ACTIVITY_FIELDS)
    programme, locked = _lock_activity(activity)
    with version_guard(expected_version, locked):
        programme_permission_check(actor=actor, target=programme)
        if locked.marking > actor.clearance:
            raise PermissionDenied(_("This activity is marked above your clearance."))
        _check_marking(actor=actor, marking=values.get("marking"))
        if locked.status in ACTIVITY_SETTLED_STATUSES:
            raise _not_allowed(_("Changing it"), locked.status, activity=True)
        item_changed = "catalogue_item" in values and values["catalogue_item"] != locked.catalogue_item
        if item_changed and locked.inclusion_requests.exclude(status__in=NO_LONGER_STANDING).exists():
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
def programme_activity_remove(
    *, actor: User, activity: ProgrammeActivity, expected_version: VersionCheck | None = None
) -> None:
    """Take an activity out of a draft programme (once agreed, activities are cancelled instead)."""
    programme, locked = _lock_activity(activity)
    with version_guard(expected_version, locked):
        programme_permission_check(actor=actor, target=programme)
        if locked.marking > actor.clearance:
            raise PermissionDenied(_("This activity is marked above your clearance."))
        if programme.status not in PROGRAMME_EDITABLE_STATUSES:
            raise _not_allowed(_("Removing an activity"), programme.status)
        if locked.inclusion_requests.exists() or locked.status_changes.exists():
            raise TransitionNotAllowed(
                _("Records refer to this activity, so it cannot be removed."), code="activity_referenced"
            )
        with pghistory.context(user=actor.pk):
            locked.delete()


def _has_started(step: ActivityStep) -> Callable[[ProgrammeActivity], None]:
    def has_started(locked: ProgrammeActivity) -> None:
        if locked.start_date > (step.today or timezone.localdate()):
            raise ValidationError(
                _("An activity cannot be held before it starts (%(date)s).") % {"date": locked.start_date}
            )

    return has_started


def _outcome_errors(step: ActivityStep) -> None:
    errors = {}
    if step.participants is None or step.participants < 0:
        errors["participants"] = _("Enter the number of participants.")
    if step.rating is None or not 1 <= step.rating <= 5:
        errors["rating"] = _("Choose a rating from 1 to 5.")
    if errors:
        raise ValidationError(errors)


def _write_outcome(step: ActivityStep) -> Callable[[ProgrammeActivity], None]:
    def write_outcome(locked: ProgrammeActivity) -> None:
        assert step.participants is not None and step.rating is not None  # _outcome_errors
        ActivityOutcome.objects.create(
            activity=locked,
            participants=step.participants,
            rating=step.rating,
            lessons=step.lessons.strip(),
            follow_up=step.follow_up.strip(),
            recorded_by=step.actor,
        )

    return write_outcome


@transaction.atomic
def activity_transition(*, activity: ProgrammeActivity, step: ActivityStep) -> ProgrammeActivity:
    """Take one step of an activity (a row of ACTIVITY_MACHINE), for the pages and the API.

    Locks the programme then the activity, once; inside that lock checks the version the client expects
    (if any) after the step's own refusals, who may act, that the programme is running and the activity's
    status; then changes the status (keeping a cancellation's reason, writing a report's outcome) and
    writes the programme's timeline.
    """
    transition = ACTIVITY_MACHINE.by_action(step.action)
    actor = step.actor
    if transition.reason_required and not (step.reason or "").strip():
        raise ValidationError({"reason": _("Say why the activity is cancelled.")})
    if transition.action == "report":
        _outcome_errors(step)
    reason = step.reason if transition.asks_reason else ""
    programme, locked = _lock_activity(activity)
    with version_guard(step.expected_version, locked):
        programme_permission_check(actor=actor, target=programme)
        if locked.marking > actor.clearance:
            raise PermissionDenied(_("This activity is marked above your clearance."))
        if programme.status not in RUNNING_STATUSES:
            raise _not_allowed(_("Running its activities"), programme.status)
        if locked.status not in transition.sources:
            raise _not_allowed(str(dict(AS.choices)[transition.target]), locked.status, activity=True)
        if transition.action == "hold":
            _has_started(step)(locked)
        with pghistory.context(user=actor.pk):
            from_status = locked.status
            locked.status = transition.target
            update_fields = ["status", "updated_at"]
            if transition.target == AS.CANCELLED:
                locked.cancellation_reason = reason.strip()
                update_fields.append("cancellation_reason")
            locked.save(update_fields=update_fields)
            if transition.action == "report":
                _write_outcome(step)(locked)
            _timeline(
                programme=programme,
                activity=locked,
                actor=actor,
                from_status=from_status,
                to_status=locked.status,
                reason=reason,
            )
    return locked


def activity_confirm(*, actor: User, activity: ProgrammeActivity) -> ProgrammeActivity:
    """The activity will take place as planned (dates, place and lead confirmed)."""
    return activity_transition(activity=activity, step=ActivityStep(actor=actor, action="confirm"))


def activity_mark_held(
    *, actor: User, activity: ProgrammeActivity, today: datetime.date | None = None
) -> ProgrammeActivity:
    """The activity took place; its outcome is recorded next."""
    return activity_transition(activity=activity, step=ActivityStep(actor=actor, action="hold", today=today))


def activity_cancel(*, actor: User, activity: ProgrammeActivity, reason: str) -> ProgrammeActivity:
    """Cancel a planned or confirmed activity, saying why."""
    return activity_transition(
        activity=activity, step=ActivityStep(actor=actor, action="cancel", reason=reason)
    )


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
    step = ActivityStep(
        actor=actor,
        action="report",
        participants=participants,
        rating=rating,
        lessons=lessons,
        follow_up=follow_up,
    )
    return activity_transition(activity=activity, step=step).outcome
