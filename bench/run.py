"""Benchmark: the portal on gunicorn, on the scale database, under 16 concurrent clients, against its floors.

    PYTHONPATH=. .venv/bin/python bench/run.py [--duration 10] [--warmup 3] [--connections 16]
        [--workers N] [--worker-class sync|gthread] [--only NAME ...] [--update-readme]

1. The scale database (bench/generate) is built when missing, behind the migrations, or used up (the
   workflow step takes submitted requests under review); `--regenerate` forces it.
2. Bench users get sessions (signed in, second factor confirmed, written straight into the session
   table; several users per role, half the sessions in French) and API tokens; nothing about sign-in
   is switched off.
3. gunicorn serves the portal (bench/_settings.py: production-like, DEBUG off) with 2 x cores + 1
   workers, and the raw-SQL floor (bench/_floor.py) on another port with the same settings; each
   worker logs the CPU time of every request it serves (bench/_gunicorn.py).
4. wrk, a separate process, drives each scenario at 16 connections over many users and URLs: after one
   pass that lets every worker compile every template, each scenario has a short warm-up, waits for
   the workers to be idle, then is measured for a bounded time (and count, for the workflow step).
   Nothing is cached between requests: every request builds its response. The mixed scenario runs
   15 reading connections and one writing connection (workflow steps and comments) for 30 s.
5. The CSV export of the 200,000-activity report is downloaded through gunicorn, timed against
   PostgreSQL's `COPY ... TO STDOUT` of the report's own query, while the serving worker's resident
   memory is sampled.

Prints req/s, p50 and p95 per scenario with the floors beside them, writes bench/results/latest.json
and latest.md (git-ignored), and with --update-readme the README's "Performance" table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def flush_bench_redis() -> None:
    import redis

    from bench._config import REDIS_URL

    redis.Redis.from_url(REDIS_URL).flushdb()


def main() -> None:
    # The bench modules are imported from the repository root, put on the path above.
    from bench._config import DB_NAME, FLOOR_PORT, PORTAL_PORT, RESULTS, WRK_THREADS, Result, Scenario
    from bench._fixtures import ensure_database, prepare
    from bench._measure import measure, run_wrk, start_server, stop_server, wait_for
    from bench._output import machine, markdown, update_readme, verdicts
    from bench._scenarios import csv_export, scenarios

    cores = os.cpu_count() or 1
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per scenario")
    parser.add_argument("--warmup", type=float, default=3.0, help="seconds of warm-up per scenario")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2 * cores + 1)
    parser.add_argument("--worker-class", choices=["sync", "gthread"], default="sync")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread)")
    parser.add_argument("--only", nargs="*", default=[], help="scenarios whose name contains one of these")
    parser.add_argument("--no-export", action="store_true", help="skip the CSV export")
    parser.add_argument("--regenerate", action="store_true", help="build the scale database again first")
    parser.add_argument("--update-readme", action="store_true", help="write the table into README.md")
    args = parser.parse_args()
    if subprocess.run(["which", "wrk"], capture_output=True).returncode != 0:
        sys.exit("wrk is not installed: `make bench` installs it (apt-get install wrk).")

    RESULTS.mkdir(parents=True, exist_ok=True)
    ensure_database(args.regenerate)
    import django

    django.setup()
    report: dict[str, Any] = {
        "machine": machine(),
        "database": DB_NAME,
        "connections": args.connections,
        "duration": args.duration,
        "server": {
            "workers": args.workers,
            "worker_class": args.worker_class,
            "threads": args.threads,
        },
    }
    print("Preparing sessions, tokens and targets ...", flush=True)
    fixtures = prepare()
    flush_bench_redis()
    portal = start_server(
        "portal.wsgi:application", PORTAL_PORT, args.workers, args.worker_class, args.threads
    )
    floor = start_server(
        "bench._floor:application", FLOOR_PORT, args.workers, args.worker_class, args.threads
    )
    results: dict[str, Result] = {}
    try:
        wait_for(PORTAL_PORT, "/bench/trivial/")
        wait_for(FLOOR_PORT, "/activities/")
        print(
            f"gunicorn: {args.workers} {args.worker_class} workers on each of :{PORTAL_PORT} (portal) and "
            f":{FLOOR_PORT} (floor); wrk: {args.connections} connections, {WRK_THREADS} threads.",
            flush=True,
        )
        with tempfile.TemporaryDirectory() as workdir:
            chosen = scenarios(fixtures, args.only)
            # Every worker loads its code and compiles every template before anything is measured: one
            # pass over all the scenarios' reads, at a few connections (their figures are not kept).
            warm = [entry for s in chosen if s.group not in ("write", "floor") for entry in s.entries[:40]]
            if warm and args.warmup > 0:
                print("Warming the workers up ...", flush=True)
                warmup = Scenario("warm-up", "floor", warm)
                run_wrk(
                    warmup,
                    seconds=max(20.0, args.warmup * 5),
                    connections=args.workers,
                    workdir=Path(workdir),
                )
            for scenario in chosen:
                results[scenario.name] = measure(
                    scenario,
                    seconds=args.duration,
                    warmup=args.warmup,
                    connections=args.connections,
                    workdir=Path(workdir),
                    servers={PORTAL_PORT: portal, FLOOR_PORT: floor},
                )
        if not args.no_export and not args.only:
            report["csv_export"] = csv_export(fixtures, portal)
    finally:
        stop_server(portal)
        stop_server(floor)
        flush_bench_redis()
    report["results"] = [asdict(r) for r in results.values()]
    report["verdicts"] = verdicts(results, report.get("csv_export"))
    table = markdown(report, results)
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "latest.md").write_text(table)
    print()
    print(table)
    if args.update_readme:
        update_readme(table)
        print("README.md: Performance table updated.")


if __name__ == "__main__":
    main()
