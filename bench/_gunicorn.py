"""gunicorn settings of the benchmark's servers: each worker writes the CPU time of every request it serves.

One line per request, `<app ms> <database ms> <method> <path and query>`, appended to
bench/results/cpu-<port>-<pid>.log: the worker's own CPU time (`time.process_time`) from the moment the
request is read to the moment its response is sent, and the CPU time that the worker's PostgreSQL
backends (one per database alias in use) spent over the same span, read from /proc in clock ticks
(10 ms each: one request's figure is coarse, their mean is not). bench/run.py averages the lines of the
scenario's own requests written while it is measured, so the figure counts the requests that were
served, whatever else the machine is doing and however many requests of an earlier scenario were
still queued.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def _backend_pids() -> list[int]:
    pids = []
    floor = sys.modules.get("bench._floor")
    connection = getattr(floor, "_connection", None)
    if connection is not None and not connection.closed:
        pids.append(connection.get_backend_pid())
    if "django.db" in sys.modules:
        from django.db import connections

        for wrapper in connections.all(initialized_only=True):
            if wrapper.connection is not None and not wrapper.connection.closed:
                pids.append(wrapper.connection.get_backend_pid())
    return pids


def _ticks(pids: list[int]) -> dict[int, int]:
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = int(fields[11]) + int(fields[12])
    return found


def pre_request(worker: Any, req: Any) -> None:
    worker.bench_started = (time.process_time(), _ticks(_backend_pids()))


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    started = getattr(worker, "bench_started", None)
    if started is None:
        return
    app_started, ticks_before = started
    app_ms = (time.process_time() - app_started) * 1000
    ticks_after = _ticks(_backend_pids())
    # A backend opened during the request counts from zero.
    db_ticks = sum(after - ticks_before.get(pid, 0) for pid, after in ticks_after.items())
    log = getattr(worker, "bench_log", None)
    if log is None:
        port = worker.cfg.bind[0].rsplit(":", 1)[-1]
        log = worker.bench_log = open(RESULTS / f"cpu-{port}-{os.getpid()}.log", "a", buffering=1)  # noqa: SIM115
    query = environ.get("QUERY_STRING", "")
    path = environ.get("RAW_URI") or (environ.get("PATH_INFO", "") + (f"?{query}" if query else ""))
    log.write(f"{app_ms:.3f} {db_ticks * TICK_MS:.1f} {environ.get('REQUEST_METHOD', '')} {path}\n")
