"""How a demo request is written down: its steps through the workflow, dated back from the load."""

from __future__ import annotations

from dataclasses import dataclass

from workprogrammes.requests.models import CommentVisibility

PAST, UPCOMING = "past", "upcoming"
# How many days ago the past meeting was held, and in how many days the upcoming one sits.
PAST_MEETING_DAYS_AGO = 21
UPCOMING_MEETING_IN_DAYS = 10
SILENCE_DAYS = 3
MEETING_NOTES = {
    PAST: "Regular meeting of the North Atlantic Council: partnership items (Contact Countries).",
    UPCOMING: "Regular meeting of the North Atlantic Council: partnership items (Contact Countries), "
    "next session.",
}
# The first reference number tried for each meeting (the next free one is taken).
MEETING_NUMBERS = {PAST: 31, UPCOMING: 36}

OFFICER_ACTIONS = frozenset({"submit", "withdraw"})


@dataclass(frozen=True)
class Step:
    """One workflow step, dated `days_ago` days before the load."""

    action: str  # submit (also a resubmission), start_review, return, recommend, not_recommend,
    # send, close_exempt, withdraw, reschedule (onto the upcoming meeting)
    days_ago: float
    reason: str = ""
    actor: str = ""  # the default: the requester for officer actions, `reviewer` for the others


@dataclass(frozen=True)
class DemoRequest:
    title: str
    partner: str
    item: str
    officer: str
    starts_in: int  # days from the load
    place: str
    justification: str
    mutual_benefit: str
    steps: tuple[Step, ...] = ()
    meeting: str = ""  # PAST or UPCOMING: put on that meeting's agenda once awaiting the Council
    agenda_days_ago: float = 0
    outcome: str = ""  # the past meeting's decision on it
    conditions: str = ""
    silence: bool = False  # put under the silence procedure (upcoming meeting)
    after: tuple[Step, ...] = ()  # steps after the agenda: a rescheduling, a withdrawal
    releasability: str = ""
    comments: tuple[tuple[str, str, str], ...] = ()  # (author, visibility, body)

    @property
    def key(self) -> tuple[str, str]:
        """What finds the request again: its partner and its title."""
        return (self.partner, self.title)


S = Step
SHARED, INTERNAL = CommentVisibility.SHARED, CommentVisibility.INTERNAL

# To the Council: submitted, reviewed, recommended and sent, `d` days before the agenda was built.
TO_COUNCIL = (S("submit", 16), S("start_review", 15), S("recommend", 12), S("send", 11))


def shifted(steps: tuple[Step, ...], days: float) -> tuple[Step, ...]:
    """The same steps, `days` earlier."""
    return tuple(Step(s.action, s.days_ago + days, s.reason, s.actor) for s in steps)
