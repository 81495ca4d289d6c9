"""The workflow shape (portal/core/state_machine.py) and the three tables declared on it."""

import pytest

from portal.core.state_machine import Reason, StateMachine, Transition
from workprogrammes.programmes.models import ProgrammeActivityStatus, WorkProgrammeStatus
from workprogrammes.programmes.workflow import ACTIVITY_MACHINE, PROGRAMME_MACHINE
from workprogrammes.requests.models import InclusionRequestStatus
from workprogrammes.requests.workflow import REQUEST_MACHINE

STATUSES = frozenset({"a", "b", "c"})


def _row(action: str, sources: set[str], target: str, **extra: object) -> Transition:
    return Transition(action=action, sources=frozenset(sources), target=target, label="x", **extra)  # type: ignore[arg-type]


def test_a_machine_looks_rows_up_by_action_and_by_status_in_table_order() -> None:
    machine = StateMachine(
        name="test",
        statuses=STATUSES,
        rows=(_row("go", {"a"}, "b"), _row("stop", {"a", "b"}, "c"), _row("back", {"b"}, "a")),
    )

    assert machine.by_action("stop").target == "c"
    assert machine.get("fly") is None
    assert [t.action for t in machine.allowed("b")] == ["stop", "back"]
    assert [t.action for t in machine.where(["back", "go"])] == ["go", "back"]
    with pytest.raises(ValueError, match="fly"):
        machine.by_action("fly")


def test_a_table_with_two_rows_for_one_action_is_refused() -> None:
    with pytest.raises(ValueError, match="two rows"):
        StateMachine(name="test", statuses=STATUSES, rows=(_row("go", {"a"}, "b"), _row("go", {"b"}, "c")))


@pytest.mark.parametrize(("sources", "target"), [({"a", "z"}, "b"), ({"a"}, "z"), (set(), "b")])
def test_a_row_naming_an_unknown_status_is_refused(sources: set[str], target: str) -> None:
    with pytest.raises(ValueError, match="unknown status"):
        StateMachine(name="test", statuses=STATUSES, rows=(_row("go", sources, target),))


def test_the_reason_rule_says_whether_a_step_asks_for_a_reason_and_whether_it_is_required() -> None:
    assert not _row("go", {"a"}, "b").asks_reason
    optional = _row("go", {"a"}, "b", reason=Reason.OPTIONAL)
    assert optional.asks_reason and not optional.reason_required
    required = _row("go", {"a"}, "b", reason=Reason.REQUIRED)
    assert required.asks_reason and required.reason_required


@pytest.mark.parametrize(
    ("machine", "statuses"),
    [
        (REQUEST_MACHINE, InclusionRequestStatus),
        (PROGRAMME_MACHINE, WorkProgrammeStatus),
        (ACTIVITY_MACHINE, ProgrammeActivityStatus),
    ],
)
def test_each_workflow_is_a_table_of_its_own_statuses(
    machine: StateMachine[Transition], statuses: type
) -> None:
    assert machine.statuses == frozenset(statuses.values)  # type: ignore[attr-defined]
    assert all(isinstance(row, Transition) for row in machine)


def test_the_request_steps_that_ask_for_a_reason() -> None:
    asks = {t.action: t.reason for t in REQUEST_MACHINE if t.asks_reason}
    assert asks == {
        "return": Reason.REQUIRED,
        "recommend": Reason.OPTIONAL,
        "not_recommend": Reason.REQUIRED,
        "close_exempt": Reason.REQUIRED,
        "send_to_council": Reason.OPTIONAL,
        "approve": Reason.OPTIONAL,
        "reject": Reason.OPTIONAL,
        "defer": Reason.OPTIONAL,
        "withdraw": Reason.REQUIRED,
    }
