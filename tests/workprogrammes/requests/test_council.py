"""The Council's part: agendas, the batch decision sheet, deferral and rescheduling, the silence procedure."""

import datetime
from collections.abc import Callable

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from portal.accounts.models import User
from portal.notifications.models import Event
from tests.workprogrammes.request_factories import CouncilMeetingFactory
from workprogrammes.council import decision_services, silence_services
from workprogrammes.council import services as council_services
from workprogrammes.council.models import AgendaItem, CouncilDecision, CouncilMeeting
from workprogrammes.council.tasks import silence_expire_due_task
from workprogrammes.requests.models import InclusionRequest, StatusChange
from workprogrammes.requests.workflow import TransitionNotAllowed

pytestmark = pytest.mark.django_db

MakeRequest = Callable[..., InclusionRequest]


# The factory's meetings take place on 20 Jan 2027; their decisions are recorded on that day or later.
ON_THE_DAY = timezone.make_aware(datetime.datetime(2027, 1, 20, 15, 0))
# A decision outside a meeting says why.
WRITTEN_PROCEDURE = "Agreed by written procedure: no Council meeting before the activity starts."


def _on(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))


def _statuses(*requests: InclusionRequest) -> list[str]:
    return [InclusionRequest.objects.get(pk=r.pk).status for r in requests]


def test_secretary_creates_a_meeting_with_a_unique_reference(secretary: User, reviewer: User) -> None:
    meeting = council_services.council_meeting_create(
        actor=secretary, date=datetime.date(2027, 2, 3), reference="C-M(2027)0004"
    )
    assert meeting.status == "planned"
    with pytest.raises(ValidationError) as error:
        council_services.council_meeting_create(
            actor=secretary, date=datetime.date(2027, 2, 4), reference="c-m(2027)0004"
        )
    assert "reference" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        council_services.council_meeting_create(
            actor=reviewer, date=datetime.date(2027, 2, 4), reference="C-M(2027)9"
        )


def test_agenda_takes_only_requests_awaiting_the_council(secretary: User, make_request: MakeRequest) -> None:
    meeting = CouncilMeetingFactory()
    waiting = [make_request("awaiting_council") for _ in range(2)]
    items = council_services.agenda_build(actor=secretary, meeting=meeting, requests=waiting)
    assert [item.position for item in items] == [1, 2]
    with pytest.raises(TransitionNotAllowed) as error:
        council_services.agenda_build(
            actor=secretary, meeting=meeting, requests=[make_request("under_review")]
        )
    assert error.value.code == "not_awaiting_council"
    with pytest.raises(TransitionNotAllowed):
        council_services.agenda_build(actor=secretary, meeting=CouncilMeetingFactory(), requests=[waiting[0]])
    assert AgendaItem.objects.count() == 2


def test_sheet_records_the_default_outcome_with_an_exception(
    secretary: User, make_request: MakeRequest
) -> None:
    """ "Approved, except item 3: deferred" in one go."""
    meeting = CouncilMeetingFactory()
    requests = [make_request("awaiting_council") for _ in range(4)]
    items = council_services.agenda_build(actor=secretary, meeting=meeting, requests=requests)
    third = next(item for item in items if item.position == 3)

    decisions = decision_services.council_sheet_record(
        actor=secretary,
        meeting=meeting,
        default_outcome="approved",
        exceptions={third.pk: "deferred"},
        reference="PO(2027)0031",
        conditions="Subject to the usual security arrangements.",
        now=ON_THE_DAY,
    )

    assert len(decisions) == 4
    assert _statuses(*requests) == ["approved", "approved", "deferred", "approved"]
    assert CouncilDecision.objects.filter(meeting=meeting, is_final=True).count() == 3
    deferral = CouncilDecision.objects.get(request=requests[2])
    assert (deferral.outcome, deferral.is_final, deferral.reference) == ("deferred", False, "PO(2027)0031")
    assert set(AgendaItem.objects.filter(meeting=meeting).values_list("status", flat=True)) == {"decided"}
    assert CouncilMeeting.objects.get(pk=meeting.pk).status == "held"
    assert Event.objects.filter(kind="request.approved").count() == 3
    assert Event.objects.filter(kind="request.deferred").count() == 1
    assert InclusionRequest.objects.get(pk=requests[0].pk).decided_at is not None


def test_sheet_is_all_or_nothing(secretary: User, officer: User, make_request: MakeRequest) -> None:
    meeting = CouncilMeetingFactory()
    requests = [make_request("awaiting_council") for _ in range(3)]
    items = council_services.agenda_build(actor=secretary, meeting=meeting, requests=requests)
    with pytest.raises(ValidationError):
        decision_services.council_sheet_record(
            actor=secretary,
            meeting=meeting,
            default_outcome="approved",
            exceptions={items[1].pk: "adjourned"},
            reference="PO(2027)0032",
        )
    assert _statuses(*requests) == ["awaiting_council"] * 3
    assert not CouncilDecision.objects.exists()
    assert not StatusChange.objects.exists()


def test_withdrawn_request_leaves_the_agenda(
    secretary: User, officer: User, make_request: MakeRequest
) -> None:
    meeting = CouncilMeetingFactory()
    kept, withdrawn = make_request("awaiting_council"), make_request("awaiting_council")
    council_services.agenda_build(actor=secretary, meeting=meeting, requests=[kept, withdrawn])
    council_services.inclusion_request_withdraw(
        actor=officer, request=withdrawn, reason="The exercise was cancelled."
    )
    decision_services.council_sheet_record(
        actor=secretary, meeting=meeting, default_outcome="approved", reference="PO/1", now=ON_THE_DAY
    )
    assert _statuses(kept, withdrawn) == ["approved", "withdrawn"]


def test_deferred_request_is_rescheduled_only_at_a_later_meeting(
    secretary: User, make_request: MakeRequest
) -> None:
    first = CouncilMeetingFactory(date=datetime.date(2027, 3, 1))
    request = make_request("awaiting_council")
    council_services.agenda_build(actor=secretary, meeting=first, requests=[request])
    decision_services.council_decision_record(
        actor=secretary,
        request=request,
        outcome="deferred",
        reference="PO(2027)0040",
        meeting=first,
        now=_on(first.date),
    )
    same_day = CouncilMeetingFactory(date=datetime.date(2027, 3, 1))
    with pytest.raises(TransitionNotAllowed) as error:
        council_services.agenda_build(actor=secretary, meeting=same_day, requests=[request])
    assert error.value.code == "not_a_later_meeting"

    later = CouncilMeetingFactory(date=datetime.date(2027, 4, 5))
    council_services.agenda_build(actor=secretary, meeting=later, requests=[request], now=_on(first.date))
    assert _statuses(request) == ["awaiting_council"]
    rescheduled = StatusChange.objects.filter(request=request).last()
    assert rescheduled is not None
    assert (rescheduled.from_status, rescheduled.to_status) == ("deferred", "awaiting_council")
    decision_services.council_decision_record(
        actor=secretary,
        request=request,
        outcome="approved",
        reference="PO(2027)0051",
        meeting=later,
        now=_on(later.date),
    )
    assert _statuses(request) == ["approved"]
    assert list(CouncilDecision.objects.filter(request=request).values_list("outcome", "is_final")) == [
        ("deferred", False),
        ("approved", True),
    ]


def test_decision_at_a_meeting_needs_the_request_on_its_agenda(
    secretary: User, make_request: MakeRequest
) -> None:
    request = make_request("awaiting_council")
    with pytest.raises(TransitionNotAllowed) as error:
        decision_services.council_decision_record(
            actor=secretary,
            request=request,
            outcome="approved",
            reference="X",
            meeting=CouncilMeetingFactory(),
            now=ON_THE_DAY,
        )
    assert error.value.code == "not_on_agenda"


def test_second_final_decision_is_refused(secretary: User, make_request: MakeRequest) -> None:
    request = make_request("awaiting_council")
    decision_services.council_decision_record(
        actor=secretary, request=request, outcome="approved", reference="A", reason=WRITTEN_PROCEDURE
    )
    with pytest.raises(TransitionNotAllowed):
        decision_services.council_decision_record(
            actor=secretary, request=request, outcome="rejected", reference="B", reason=WRITTEN_PROCEDURE
        )
    assert CouncilDecision.objects.filter(request=request).count() == 1


# --- Silence procedure --------------------------------------------------------------------------


@pytest.fixture
def under_silence(secretary: User, make_request: MakeRequest):
    """Two requests put under silence on a silence batch until noon, 3 days from a fixed moment."""
    start = timezone.now().replace(microsecond=0)
    deadline = start + datetime.timedelta(days=3)
    meeting = CouncilMeetingFactory(kind="silence")
    requests = [make_request("awaiting_council") for _ in range(2)]
    items = council_services.agenda_build(actor=secretary, meeting=meeting, requests=requests)
    silence_services.silence_start(actor=secretary, items=items, deadline=deadline, now=start)
    return start, deadline, requests, items


def test_silence_not_yet_over_changes_nothing(under_silence) -> None:
    _start, deadline, requests, _items = under_silence
    assert silence_services.silence_expire_due(now=deadline - datetime.timedelta(seconds=1)) == 0
    assert _statuses(*requests) == ["awaiting_council"] * 2
    assert Event.objects.filter(kind="request.silence_started").count() == 2


def test_silence_ended_unbroken_approves_by_the_system(under_silence) -> None:
    _start, deadline, requests, _items = under_silence
    assert silence_services.silence_expire_due(now=deadline + datetime.timedelta(minutes=1)) == 2
    assert _statuses(*requests) == ["approved", "approved"]
    change = StatusChange.objects.filter(request=requests[0]).last()
    assert change is not None
    assert change.actor is None
    assert "Silence procedure ended unbroken" in change.reason
    decision = CouncilDecision.objects.get(request=requests[0])
    assert (decision.recorded_by, decision.is_final) == (None, True)
    # A second run (another beat tick) finds nothing more to do.
    assert silence_services.silence_expire_due(now=deadline + datetime.timedelta(minutes=16)) == 0


def test_broken_silence_returns_the_item_to_awaiting_council(secretary: User, under_silence) -> None:
    start, deadline, requests, items = under_silence
    silence_services.silence_break(
        actor=secretary,
        item=items[0],
        delegation="Delegation of Ruritania",
        reason="Wishes to discuss the dates in Council.",
        now=start + datetime.timedelta(days=1),
    )
    assert silence_services.silence_expire_due(now=deadline + datetime.timedelta(minutes=1)) == 1
    assert _statuses(*requests) == ["awaiting_council", "approved"]
    broken = AgendaItem.objects.get(pk=items[0].pk)
    assert (broken.status, broken.silence_broken_by) == ("silence_broken", "Delegation of Ruritania")
    assert Event.objects.filter(kind="request.silence_broken").count() == 1
    # Off its silence batch, the request can go on a regular meeting's agenda.
    council_services.agenda_build(actor=secretary, meeting=CouncilMeetingFactory(), requests=[requests[0]])


def test_silence_cannot_be_broken_after_the_deadline(secretary: User, under_silence) -> None:
    _start, deadline, _requests, items = under_silence
    with pytest.raises(TransitionNotAllowed) as error:
        silence_services.silence_break(
            actor=secretary, item=items[0], delegation="X", reason="Too late.", now=deadline
        )
    assert error.value.code == "silence_over"


def test_breaking_silence_needs_the_delegation_and_reason(secretary: User, under_silence) -> None:
    with pytest.raises(ValidationError) as error:
        silence_services.silence_break(actor=secretary, item=under_silence[3][0], delegation=" ", reason="")
    assert set(error.value.message_dict) == {"delegation", "reason"}


def test_beat_task_runs_the_expiry_with_the_real_clock(
    under_silence, monkeypatch: pytest.MonkeyPatch
) -> None:
    _start, deadline, requests, _items = under_silence
    monkeypatch.setattr(timezone, "now", lambda: deadline + datetime.timedelta(minutes=15))
    assert silence_expire_due_task.delay().get() == 2
    assert _statuses(*requests) == ["approved", "approved"]


def test_silence_deadline_must_be_in_the_future(secretary: User, make_request: MakeRequest) -> None:
    items = council_services.agenda_build(
        actor=secretary, meeting=CouncilMeetingFactory(), requests=[make_request("awaiting_council")]
    )
    with pytest.raises(ValidationError):
        silence_services.silence_start(actor=secretary, items=items, deadline=timezone.now())


def test_silence_expiry_is_scheduled_every_15_minutes(settings) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["workprogrammes-silence-expiry"]
    assert entry["task"] == silence_expire_due_task.name
    assert entry["schedule"].minute == {0, 15, 30, 45}
