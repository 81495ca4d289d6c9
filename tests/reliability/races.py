"""Many simultaneous Council decisions on one request, on the real PostgreSQL: a reusable harness.

`DecisionRace(attempts)` starts that many threads once, each with its own database connection kept
open across rounds (the cost of a round is the race, not the connecting). Each round gives them one
request awaiting the Council; they all call the decision service at the same moment. Used by
tests/reliability/test_concurrent_decisions.py (100 rounds of 50) and bench/concurrency.py (1,000).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import connections

from portal.accounts.models import Role, User
from tests.factories import CatalogueItemFactory, DeskFactory, PartnerFactory, UserFactory
from tests.workprogrammes.request_factories import InclusionRequestFactory
from workprogrammes.council import decision_services as services
from workprogrammes.requests.models import InclusionRequest
from workprogrammes.requests.workflow import TransitionNotAllowed


def request_awaiting_council() -> InclusionRequest:
    partner = PartnerFactory()
    requester = UserFactory(roles=[Role.OFFICER])
    return InclusionRequestFactory(
        status="awaiting_council",
        partner=partner,
        desk=DeskFactory(partners=[partner], members=[requester]),
        requested_by=requester,
        catalogue_item=CatalogueItemFactory(),
    )


@dataclass
class RoundResult:
    outcomes: Counter[str]
    seconds: float


@dataclass
class DecisionRace:
    attempts: int = 50
    secretaries: list[User] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.secretaries:
            self.secretaries = [UserFactory(roles=[Role.COUNCIL_SECRETARY]) for _ in range(self.attempts)]
        self._start = threading.Barrier(self.attempts + 1)
        self._done = threading.Barrier(self.attempts + 1)
        self._request: InclusionRequest | None = None
        self._outcomes: list[str] = []
        self._lock = threading.Lock()
        self._stop = False
        self._threads = [
            threading.Thread(target=self._attempt_loop, args=(secretary,), daemon=True)
            for secretary in self.secretaries
        ]
        for thread in self._threads:
            thread.start()

    def _attempt_loop(self, secretary: User) -> None:
        try:
            while True:
                self._start.wait(timeout=120)
                if self._stop:
                    return
                result = self._attempt(secretary)
                with self._lock:
                    self._outcomes.append(result)
                self._done.wait(timeout=120)
        finally:
            connections.close_all()  # this thread's own connection

    def _attempt(self, secretary: User) -> str:
        assert self._request is not None
        try:
            services.council_decision_record(
                actor=secretary,
                request=self._request,
                outcome="approved",
                reference="C-M(2027)0001",
                reason="Agreed by written procedure.",
            )
        except TransitionNotAllowed:
            return "refused"
        except Exception as error:  # anything else is a bug the caller's assertion shows
            return f"error: {error!r}"
        return "decided"

    def run_round(self, request: InclusionRequest | None = None) -> RoundResult:
        """One request, every thread deciding at once; returns what each attempt got."""
        self._request = request or request_awaiting_council()
        self._outcomes = []
        self._start.wait(timeout=120)
        began = time.perf_counter()
        self._done.wait(timeout=120)
        return RoundResult(outcomes=Counter(self._outcomes), seconds=time.perf_counter() - began)

    def close(self) -> None:
        self._stop = True
        self._start.wait(timeout=120)
        for thread in self._threads:
            thread.join(timeout=30)

    def __enter__(self) -> DecisionRace:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()
