"""50 secretaries record the Council's decision on one request at the same moment, 100 times over: each
time exactly one decision is recorded, the other 49 are refused, and nothing else happens."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from unittest import mock

import pytest

from portal.notifications.models import Event
from tests.reliability.races import DecisionRace, request_awaiting_council
from workprogrammes.council.models import CouncilDecision
from workprogrammes.requests.models import InclusionRequest, StatusChange

ATTEMPTS = 50
ROUNDS = 100


@pytest.fixture
def race(transactional_db: None) -> Iterator[DecisionRace]:
    # The outbox row is what counts here; sending it to the broker is the notifications tests' business.
    with mock.patch("portal.notifications.outbox.event_publish"), DecisionRace(ATTEMPTS) as harness:
        yield harness


@pytest.mark.slow
def test_fifty_simultaneous_decisions_record_exactly_one_every_time(race: DecisionRace) -> None:
    requests = [request_awaiting_council() for _ in range(ROUNDS)]
    durations = []
    for number, request in enumerate(requests, start=1):
        result = race.run_round(request)
        assert result.outcomes == {"decided": 1, "refused": ATTEMPTS - 1}, (
            f"round {number}: {result.outcomes}"
        )
        durations.append(result.seconds)

    ids = [request.pk for request in requests]
    assert CouncilDecision.objects.filter(request_id__in=ids).count() == ROUNDS
    assert StatusChange.objects.filter(request_id__in=ids, to_status="approved").count() == ROUNDS
    assert Event.objects.filter(kind="request.approved", target_id__in=ids).count() == ROUNDS
    assert set(InclusionRequest.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"approved"}
    # Recorded for the report when run with -s: the harness keeps connections, so a round is the race.
    print(f"\n{ROUNDS} rounds of {ATTEMPTS}: median {statistics.median(durations) * 1000:.0f} ms per round")
