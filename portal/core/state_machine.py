"""The shape of a workflow: a table of transitions, and the typed input of one step.

Inclusion requests, programmes and programme activities each declare their own table of `Transition`
rows in a `StateMachine`, next to their models (workprogrammes/requests/workflow.py,
workprogrammes/programmes/workflow.py). Each has one entry point that the pages and the API both call
with a `StepInput` (or its machine's subclass, which adds the step's own typed fields): it reads the row,
locks the record once, checks who may act and from which status, applies the step and records it.

Whether a step asks for a reason, and whether the reason is required, is the row's `reason`: the forms,
serializers and services read it there rather than from a function's signature.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

from django.utils.functional import Promise

if TYPE_CHECKING:
    from portal.accounts.models import User


class Reason(enum.Enum):
    """Whether a step asks for a reason (a note for the timeline), and whether it must be given."""

    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


@dataclass(frozen=True)
class Transition:
    """One row of a workflow table: an action, from which statuses to which, who may take it, how."""

    action: str
    sources: frozenset[str]
    target: str
    label: Promise
    # The event kind recorded for notifications (portal/notifications/routing.py); "" records none.
    event: str = ""
    # The roles that may take it; empty where a permission rule of the part decides instead.
    roles: frozenset[str] = frozenset()
    reason: Reason = Reason.NONE
    # Pages ask for confirmation before taking it.
    dangerous: bool = False
    # What the API's schema says of it, where its endpoint is built from the row.
    summary: Promise | None = None
    description: Promise | None = None
    # What the page says once it is done.
    done: Promise | None = None

    @property
    def reason_required(self) -> bool:
        return self.reason is Reason.REQUIRED

    @property
    def asks_reason(self) -> bool:
        return self.reason is not Reason.NONE


T = TypeVar("T", bound=Transition)


@dataclass(frozen=True)
class StateMachine(Generic[T]):
    """The rows of one workflow, in table order, with the lookups every surface uses."""

    name: str
    statuses: frozenset[str]
    rows: tuple[T, ...]
    _by_action: dict[str, T] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_action: dict[str, T] = {}
        for row in self.rows:
            # A table that contradicts itself is a mistake found when the portal starts, not on a click.
            if row.action in by_action:
                raise ValueError(f"{self.name}: the action {row.action!r} has two rows")
            if not row.sources or not row.sources <= self.statuses or row.target not in self.statuses:
                raise ValueError(f"{self.name}: the row {row.action!r} names an unknown status")
            by_action[row.action] = row
        object.__setattr__(self, "_by_action", by_action)

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    @property
    def actions(self) -> tuple[str, ...]:
        return tuple(self._by_action)

    def get(self, action: str) -> T | None:
        """The row of an action, or None (a page or API answers 404 for an unknown one)."""
        return self._by_action.get(action)

    def by_action(self, action: str) -> T:
        """The row of an action; an unknown action is a programming error."""
        try:
            return self._by_action[action]
        except KeyError:
            raise ValueError(f"Unknown {self.name} action {action!r}") from None

    def allowed(self, status: str) -> list[T]:
        """The rows that may start from this status, in table order."""
        return [row for row in self.rows if status in row.sources]

    def where(self, actions: Iterable[str]) -> list[T]:
        """The rows of these actions, in table order."""
        wanted = set(actions)
        return [row for row in self.rows if row.action in wanted]


class VersionCheck(Protocol):
    """The version of the record the client last saw (the API's If-Match), checked under the step's lock.

    `guard(record)` is entered once the record is locked and before it changes: it reads the record's
    version then, and checks it when the step has run, so the step's own refusals answer first and a
    failed check rolls the step back with its transaction.
    """

    def guard(self, record: Any) -> AbstractContextManager[None]: ...


def version_guard(check: VersionCheck | None, record: Any) -> AbstractContextManager[None]:
    """The check's guard around a step on the locked record, or nothing when no version is expected."""
    return check.guard(record) if check is not None else nullcontext()


@dataclass(frozen=True)
class StepInput:
    """What every step is given: who acts, the action (a row of the machine), and the step's reason.

    A machine whose steps take more (a date, a meeting, an outcome) subclasses it with typed fields.
    """

    actor: User
    action: str
    reason: str = ""
    # The principal a delegate acts for (requests only).
    acting_for: User | None = None
    # The version the client last saw; None where the surface sends none (the pages).
    expected_version: VersionCheck | None = None
