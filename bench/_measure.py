"""Serving and measuring for bench/run.py: gunicorn servers, wrk's load, and the CPU each request costs."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from http.client import HTTPConnection
from pathlib import Path
from typing import Any

from bench._config import (
    DB_NAME,
    MIXED_SECONDS,
    REPO,
    RESULTS,
    VENV_BIN,
    WRK_THREADS,
    Entry,
    Result,
    Scenario,
)

# --- Servers ------------------------------------------------------------------------------------------


def wait_for(port: int, path: str, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = HTTPConnection("127.0.0.1", port, timeout=30)
            connection.request("GET", path)
            connection.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"Nothing answers on 127.0.0.1:{port}")


def start_server(app: str, port: int, workers: int, worker_class: str, threads: int) -> subprocess.Popen:
    command = [
        str(VENV_BIN / "gunicorn"),
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--backlog",
        "2048",
        "--log-level",
        "warning",
        "--timeout",
        "120",
        "--config",
        "python:bench._gunicorn",
    ]
    if worker_class == "gthread":
        command += ["--threads", str(threads)]
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "BENCH_FLOOR_DSN": f"dbname={DB_NAME} host=127.0.0.1 port=5432 user=postgres "
        "options='-c join_collapse_limit=4'",
    }
    log = open(RESULTS / f"gunicorn-{port}.log", "w")  # noqa: SIM115  (closed with the process)
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop_server(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def worker_pids(master: subprocess.Popen) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master.pid)], capture_output=True, text=True).stdout
    return [int(pid) for pid in found.split()]


def process_cpu_seconds(pids: list[int]) -> float:
    """User and system CPU time of these processes so far."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def database_backends() -> list[int]:
    """PostgreSQL's backend processes serving the scale database (their titles name the database)."""
    found = subprocess.run(
        ["pgrep", "-f", f"postgres: .*postgres {DB_NAME} "], capture_output=True, text=True
    )
    return [int(pid) for pid in found.stdout.split()]


def cpu_log_offsets(port: int) -> dict[Path, int]:
    """Where each worker's log of CPU per request (bench/_gunicorn.py) ends now."""
    return {path: path.stat().st_size for path in RESULTS.glob(f"cpu-{port}-*.log")}


def served_cpu_ms(port: int, offsets: dict[Path, int], requests: set[str]) -> tuple[float, float, int]:
    """Mean app and database CPU ms of the scenario's requests ("METHOD path") logged since `offsets`,
    and how many there were."""
    app = db = 0.0
    count = 0
    for path in RESULTS.glob(f"cpu-{port}-*.log"):
        with path.open() as log:
            log.seek(offsets.get(path, 0))
            for line in log.read().splitlines():
                parts = line.split(" ", 2)
                if len(parts) == 3 and parts[2] in requests:
                    app += float(parts[0])
                    db += float(parts[1])
                    count += 1
    if not count:
        return 0.0, 0.0, 0
    return app / count, db / count, count


def machine_seconds() -> tuple[float, float]:
    """All CPU time and idle time of the machine so far, in seconds."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    return sum(values) / tick, (values[3] + values[4]) / tick


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# --- Load ---------------------------------------------------------------------------------------------


def start_wrk(
    entries: list[Entry],
    name: str,
    *,
    seconds: float,
    connections: int,
    workdir: Path,
    port: int,
    limit: int = 0,
) -> subprocess.Popen:
    threads = min(WRK_THREADS, connections)
    entries_file = workdir / f"{re.sub(r'[^a-z0-9]+', '-', name.lower())}.entries"
    entries_file.write_text("\n".join(entry.line() for entry in entries) + "\n")
    env = {
        **os.environ,
        "BENCH_ENTRIES_FILE": str(entries_file),
        "BENCH_LIMIT": str(limit // threads if limit else 0),
        "BENCH_THREADS": str(threads),
    }
    command = [
        "wrk",
        "-t",
        str(threads),
        "-c",
        str(connections),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "30s",
        "-s",
        str(REPO / "bench" / "_wrk.lua"),
        f"http://127.0.0.1:{port}",
    ]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wrk_figures(process: subprocess.Popen, name: str, seconds: float) -> dict[str, Any]:
    stdout, stderr = process.communicate(timeout=seconds + 60)
    match = re.search(r"^BENCH_JSON (.*)$", stdout, re.MULTILINE)
    if match is None:
        raise RuntimeError(f"wrk gave no figures for {name}:\n{stdout}\n{stderr}")
    figures = json.loads(match.group(1))
    figures["stderr"] = stderr.strip()
    return figures


def run_wrk(scenario: Scenario, *, seconds: float, connections: int, workdir: Path) -> dict[str, Any]:
    process = start_wrk(
        scenario.entries,
        scenario.name,
        seconds=seconds,
        connections=connections,
        workdir=workdir,
        port=scenario.port,
        limit=scenario.limit,
    )
    return wrk_figures(process, scenario.name, seconds)


def measure(
    scenario: Scenario,
    *,
    seconds: float,
    warmup: float,
    connections: int,
    workdir: Path,
    servers: dict[int, subprocess.Popen],
) -> Result:
    """One scenario at `connections` connections; the mixed one at one less, plus its writer.

    The warm-up only starts the workers' connections and loads their code and templates: nothing that a
    response is built from is kept between requests, so every measured request builds its response.
    """
    if scenario.group == "mixed":
        seconds = max(seconds, MIXED_SECONDS)
    if warmup > 0 and scenario.group not in ("write", "mixed"):
        run_wrk(scenario, seconds=warmup, connections=connections, workdir=workdir)
    # Requests still queued from the warm-up or the scenario before are served before anything is
    # measured (on a busy machine they take seconds), so that each scenario starts with idle workers.
    wait_until_idle(worker_pids(servers[scenario.port]))
    workers, backends = worker_pids(servers[scenario.port]), database_backends()
    app_before, db_before = process_cpu_seconds(workers), process_cpu_seconds(backends)
    machine_before, idle_before = machine_seconds()
    offsets = cpu_log_offsets(scenario.port)
    wall_before = time.monotonic()
    writer = None
    if scenario.writer:
        writer = start_wrk(
            scenario.writer,
            f"{scenario.name} writer",
            seconds=seconds,
            connections=1,
            workdir=workdir,
            port=scenario.port,
            limit=len(scenario.writer),
        )
        connections -= 1
    figures = run_wrk(scenario, seconds=seconds, connections=connections, workdir=workdir)
    writer_figures = wrk_figures(writer, f"{scenario.name} writer", seconds) if writer else None
    wall = time.monotonic() - wall_before
    own = {f"{entry.method} {entry.path}" for entry in [*scenario.entries, *scenario.writer]}
    app_ms, db_ms, logged = served_cpu_ms(scenario.port, offsets, own)
    # Only the new backends of the writer's connections are missed by the list taken before: none, as
    # the workers keep theirs (CONN_MAX_AGE) from the warm-up of the earlier scenarios.
    backends = sorted(set(backends) | set(database_backends()))
    app_cpu = process_cpu_seconds(workers) - app_before
    db_cpu = process_cpu_seconds(backends) - db_before
    machine_after, idle_after = machine_seconds()
    machine_busy = 1 - (idle_after - idle_before) / max(machine_after - machine_before, 1e-9)
    elapsed = figures["duration_us"] / 1e6
    errors = figures["status_other"] + figures["socket_errors"]
    result = Result(
        name=scenario.name,
        group=scenario.group,
        requests=figures["requests"],
        seconds=round(elapsed, 2),
        rps=round(figures["requests"] / elapsed, 1) if elapsed else 0.0,
        p50_ms=round(figures["p50_us"] / 1000, 1),
        p95_ms=round(figures["p95_us"] / 1000, 1),
        p99_ms=round(figures["p99_us"] / 1000, 1),
        errors=errors,
        floor=scenario.floor,
        naive=scenario.naive,
        # Per request served (logged by the workers), not total CPU over completed requests: requests
        # still queued when wrk stops have used CPU too, which would be charged to the others. No
        # request served: no figure (0).
        app_cpu_ms=round(app_ms, 1),
        db_cpu_ms=round(db_ms, 1),
        served=logged,
        cpu_share_pct=round(100 * (app_cpu + db_cpu) / (wall * (os.cpu_count() or 1)), 0),
        machine_busy_pct=round(100 * machine_busy, 0),
    )
    if writer_figures:
        result.writer_requests = writer_figures["requests"]
        result.writer_p95_ms = round(writer_figures["p95_us"] / 1000, 1)
        result.writer_errors = writer_figures["status_other"] + writer_figures["socket_errors"]
        errors += result.writer_errors
    note = f"  ({errors} errors: {figures['stderr'][:200]})" if errors else ""
    if writer_figures:
        note += f"  writer: {result.writer_requests} steps, p95 {result.writer_p95_ms} ms"
    print(
        f"  {result.name:<34} {result.rps:>8.1f} req/s  p50 {result.p50_ms:>7.1f} ms  "
        f"p95 {result.p95_ms:>7.1f} ms  CPU {result.app_cpu_ms:>5.1f} + {result.db_cpu_ms:>4.1f} ms/req  "
        f"(had {result.cpu_share_pct:.0f}% of the cores, machine {result.machine_busy_pct:.0f}% busy; "
        f"{result.requests} requests){note}",
        flush=True,
    )
    return result


def wait_until_idle(pids: list[int], timeout: float = 90.0) -> None:
    """Until the workers use under a tenth of a core for a second (or `timeout`)."""
    deadline = time.monotonic() + timeout
    before = process_cpu_seconds(pids)
    while time.monotonic() < deadline:
        time.sleep(1.0)
        now = process_cpu_seconds(pids)
        if now - before < 0.1:
            return
        before = now
