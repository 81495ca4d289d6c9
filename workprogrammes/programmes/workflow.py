"""The lifecycle of a programme and the running of its activities, as two tables of the portal's workflow
shape (portal/core/state_machine.py), and the groups of their statuses, each named once.

A programme goes draft -> proposed -> agreed -> active -> closed. Once it is agreed, each activity goes
planned -> confirmed -> held -> reported (with its outcome), or is cancelled with a reason. Who may take a
step is one rule for all of them (officers of the partner's desk and administrators, permissions.py); the
services apply the rows (services.py `programme_transition`, activity_services.py `activity_transition`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from portal.core.state_machine import Reason, StateMachine, StepInput, Transition

from .models import ProgrammeActivityStatus as AS
from .models import WorkProgrammeStatus as PS

# The programme's content changes freely while it is a draft, and by amendment once agreed.
PROGRAMME_EDITABLE_STATUSES: tuple[str, ...] = (PS.DRAFT,)
AMENDABLE_STATUSES: tuple[str, ...] = (PS.AGREED, PS.ACTIVE)
# Its activities are run (confirmed, held, reported, cancelled) once it is agreed.
RUNNING_STATUSES: tuple[str, ...] = (PS.AGREED, PS.ACTIVE)
# An activity that took place, or was cancelled, no longer changes.
ACTIVITY_SETTLED_STATUSES: tuple[str, ...] = (AS.HELD, AS.REPORTED, AS.CANCELLED)

PROGRAMME_MACHINE: StateMachine[Transition] = StateMachine(
    name="programme",
    statuses=frozenset(PS.values),
    rows=(
        Transition(
            action="propose",
            sources=frozenset({PS.DRAFT}),
            target=PS.PROPOSED,
            event="programme.proposed",
            label=_("Propose the programme"),
            summary=_("Propose a draft programme"),
            description=_(
                "draft -> proposed. A draft inclusion request is created for each activity whose catalogue "
                "item needs a council decision (justification and mutual benefit are then required)."
            ),
            done=_("The programme is proposed."),
        ),
        Transition(
            action="agree",
            sources=frozenset({PS.PROPOSED}),
            target=PS.AGREED,
            event="programme.agreed",
            label=_("Record the agreement with the partner"),
            summary=_("Record the agreement"),
            description=_("proposed -> agreed, with its date and reference."),
            done=_("The programme is agreed."),
        ),
        Transition(
            action="activate",
            sources=frozenset({PS.AGREED}),
            target=PS.ACTIVE,
            event="programme.activated",
            label=_("Start the programme"),
            summary=_("Start the programme"),
            description=_("agreed -> active."),
            done=_("The programme is active."),
        ),
        Transition(
            action="close",
            sources=frozenset({PS.ACTIVE}),
            target=PS.CLOSED,
            event="programme.closed",
            reason=Reason.OPTIONAL,
            label=_("Close the programme"),
            summary=_("Close the programme"),
            description=_("active -> closed, with an optional note."),
            done=_("The programme is closed."),
        ),
    ),
)

# Activities record no notification event: their steps are on the programme's timeline.
ACTIVITY_MACHINE: StateMachine[Transition] = StateMachine(
    name="activity",
    statuses=frozenset(AS.values),
    rows=(
        Transition(
            action="confirm",
            sources=frozenset({AS.PLANNED}),
            target=AS.CONFIRMED,
            label=_("Confirm the activity"),
            summary=_("Confirm an activity"),
            description=_("planned -> confirmed (programme agreed or active)."),
            done=_("The activity is confirmed."),
        ),
        Transition(
            action="hold",
            sources=frozenset({AS.CONFIRMED}),
            target=AS.HELD,
            label=_("Record that the activity was held"),
            summary=_("Record that an activity was held"),
            description=_("confirmed -> held, once it has started."),
            done=_("The activity is held: record its outcome."),
        ),
        Transition(
            action="report",
            sources=frozenset({AS.HELD}),
            target=AS.REPORTED,
            label=_("Record the outcome"),
            summary=_("Record an activity's outcome"),
            description=_("held -> reported: participants, a rating from 1 to 5, lessons and follow-up."),
            done=_("The outcome is recorded; the activity is reported."),
        ),
        Transition(
            action="cancel",
            sources=frozenset({AS.PLANNED, AS.CONFIRMED}),
            target=AS.CANCELLED,
            reason=Reason.REQUIRED,
            dangerous=True,
            label=_("Cancel the activity"),
            summary=_("Cancel an activity"),
            description=_("planned or confirmed -> cancelled, with a reason."),
            done=_("The activity is cancelled."),
        ),
    ),
)


@dataclass(frozen=True)
class ProgrammeStep(StepInput):
    """A programme step's input: proposing takes the requests' justification and mutual benefit,
    agreeing the agreement's date and reference; closing takes an optional note (`reason`)."""

    justification: str = ""
    mutual_benefit: str = ""
    agreed_on: datetime.date | None = None
    agreement_reference: str = ""


@dataclass(frozen=True)
class ActivityStep(StepInput):
    """An activity step's input: reporting takes the outcome, cancelling a reason; `today` is when a held
    activity must have started by."""

    participants: int | None = None
    rating: int | None = None
    lessons: str = ""
    follow_up: str = ""
    today: datetime.date | None = None
