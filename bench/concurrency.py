"""Benchmark: 1,000 rounds of 50 simultaneous Council decisions on one request (exactly one must win).

Each round creates a request awaiting the Council, then 50 threads (each a secretary with its own
database connection, kept across rounds) record a decision on it at the same moment. The service locks
the request row, so one decision is recorded and 49 attempts are refused. Prints the figures and fails
(exit 1) if any round recorded anything but exactly one decision.

    PYTHONPATH=. .venv/bin/python bench/concurrency.py [--rounds 1000] [--attempts 50]

Uses its own PostgreSQL database (BENCH_DATABASE_NAME, default `bench_concurrency`, created and
migrated when missing); notifications are recorded in the outbox but not sent to a broker.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "bench_concurrency")
os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"postgres://127.0.0.1:5432/{DB_NAME}")


def ensure_database() -> None:
    import psycopg2
    from psycopg2 import sql

    connection = psycopg2.connect(dbname="postgres", host="127.0.0.1", port=5432, user="postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1000)
    parser.add_argument("--attempts", type=int, default=50)
    options = parser.parse_args()

    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from tests.reliability.races import DecisionRace, request_awaiting_council
    from workprogrammes.models import CouncilDecision, InclusionRequest

    durations: list[float] = []
    bad_rounds = 0
    ids: list[int] = []
    started = time.perf_counter()
    with mock.patch("portal.notifications.outbox.event_publish"), DecisionRace(options.attempts) as race:
        for _ in range(options.rounds):
            request = request_awaiting_council()
            ids.append(request.pk)
            result = race.run_round(request)
            durations.append(result.seconds)
            if result.outcomes != {"decided": 1, "refused": options.attempts - 1}:
                bad_rounds += 1
                print(f"  round {len(durations)}: {dict(result.outcomes)}")
    total = time.perf_counter() - started
    decisions = CouncilDecision.objects.filter(request_id__in=ids).count()
    approved = InclusionRequest.objects.filter(pk__in=ids, status="approved").count()

    durations.sort()
    print(f"rounds: {options.rounds} x {options.attempts} simultaneous attempts")
    print(f"decisions recorded: {decisions} (expected {options.rounds}); requests approved: {approved}")
    print(f"rounds with other than exactly one decision: {bad_rounds}")
    median, p95 = statistics.median(durations), durations[int(len(durations) * 0.95) - 1]
    print(
        f"round time (the race only): median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, "
        f"max {durations[-1] * 1000:.1f} ms"
    )
    print(f"attempts per second: {options.rounds * options.attempts / sum(durations):.0f}")
    print(f"total with setup of each round: {total:.1f} s")
    return 0 if bad_rounds == 0 and decisions == approved == options.rounds else 1


if __name__ == "__main__":
    sys.exit(main())
