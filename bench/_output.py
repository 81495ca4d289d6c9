"""bench/run.py's report: the machine, the verdicts against the targets, and the Markdown table."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
from pathlib import Path
from typing import Any

from bench._config import DB_NAME, MIXED_SECONDS, REPO, Result


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kb = int(line.split()[1])
    postgres = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB_NAME, "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(memory_kb / 1024 / 1024, 1),
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "postgresql": postgres,
        "date": datetime.date.today().isoformat(),
    }


# CPU per built request (app + database) the issue sets, by scenario name or else by group.
CPU_TARGETS_MS = {"partner profile": 15.0, "api": 5.0, "page": 10.0}


def cpu_target(result: Result) -> float | None:
    if result.name in CPU_TARGETS_MS:
        return CPU_TARGETS_MS[result.name]
    return CPU_TARGETS_MS.get(result.group)


def verdicts(results: dict[str, Result], export: dict[str, Any] | None) -> list[tuple[str, bool, str]]:
    checks: list[tuple[str, bool, str]] = []
    for r in results.values():
        target = cpu_target(r)
        if target is not None and not r.served:
            checks.append((f"{r.name}: CPU <= {target:g} ms per request", False, "no request served"))
        elif target is not None:
            checks.append(
                (f"{r.name}: CPU <= {target:g} ms per request", r.cpu_ms <= target, f"{r.cpu_ms} ms")
            )
        if r.group in ("page", "mixed"):
            met = r.requests > 0 and r.p95_ms < 100
            figure = f"{r.p95_ms} ms" if r.requests else "no request completed"
            checks.append((f"{r.name}: p95 < 100 ms", met, figure))
        if r.group == "api" and r.floor in results and results[r.floor].rps:
            ratio = r.rps / results[r.floor].rps
            checks.append((f"{r.name}: >= 0.5x the psycopg2 floor", ratio >= 0.5, f"{ratio:.2f}x"))
        if r.naive in results and results[r.naive].rps:
            ratio = r.rps / results[r.naive].rps
            checks.append((f"{r.name}: >= 10x the naive ModelViewSet", ratio >= 10, f"{ratio:.1f}x"))
    if export:
        checks.append(("CSV export: <= 2x COPY", export["ratio_to_copy"] <= 2, f"{export['ratio_to_copy']}x"))
        checks.append(
            (
                "CSV export: memory growth < 100 MB",
                export["worker_memory_growth_mb"] < 100,
                f"{export['worker_memory_growth_mb']} MB",
            )
        )
    return checks


def markdown(report: dict[str, Any], results: dict[str, Result]) -> str:
    m = report["machine"]
    busy = statistics.mean(r.machine_busy_pct for r in results.values()) if results else 0
    share = statistics.mean(r.cpu_share_pct for r in results.values()) if results else 0
    lines = [
        f"Measured {m['date']} on {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, PostgreSQL "
        f"{m['postgresql']}, Python {m['python']}; load average {m['load_average_at_start'][0]} at the "
        f"start. gunicorn {report['server']['workers']} "
        f"{report['server']['worker_class']} workers; wrk at {report['connections']} connections, "
        f"{report['duration']} s per scenario after a warm-up of the workers (the mixed scenario "
        f"{MIXED_SECONDS:g} s: {report['connections'] - 1} connections reading while one takes "
        "workflow steps and comments). Nothing is cached between requests: every page and API list is "
        "built on each request (only the dashboard's shared overview is kept per clearance and language "
        "until its data changes). Each scenario rotates several users per role, English and French "
        "sessions, and many URLs (partners, requests, list pages and filters).",
        "",
        f"The machine was {busy:.0f}% busy during the runs, and the benchmark's server and database "
        f"processes had {share:.0f}% of the two cores on average"
        + (" (other work had the rest). " if busy - share > 10 else ": nothing else ran. ")
        + "The "
        "CPU time per request (gunicorn worker + PostgreSQL backend) does not depend on that share: "
        "2,000 ms divided by it is what the two cores would serve alone.",
        "",
        "| scenario | req/s | p50 ms | p95 ms | CPU ms per request (app + db) | beside it |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results.values():
        beside = []
        if r.floor in results and results[r.floor].rps:
            beside.append(f"{r.rps / results[r.floor].rps:.2f}x {results[r.floor].name}")
        if r.naive in results and results[r.naive].rps:
            beside.append(f"{r.rps / results[r.naive].rps:.1f}x {results[r.naive].name}")
        if r.writer_requests:
            beside.append(f"writer: {r.writer_requests} steps, p95 {r.writer_p95_ms} ms")
        if r.errors or r.writer_errors:
            beside.append(f"{r.errors + r.writer_errors} errors")
        cpu = f"{r.cpu_ms} ({r.app_cpu_ms} + {r.db_cpu_ms})" if r.served else "–"
        lines.append(f"| {r.name} | {r.rps:,.1f} | {r.p50_ms} | {r.p95_ms} | {cpu} | {'; '.join(beside)} |")
    export = report.get("csv_export")
    if export:
        lines += [
            "",
            f"CSV export of {export['rows']:,} activities through gunicorn: {export['view_seconds']} s "
            f"(first byte after {export['first_byte_ms']} ms) against {export['copy_seconds']} s for "
            f"PostgreSQL's `COPY ... TO STDOUT` of the same query = {export['ratio_to_copy']}x; the serving "
            f"worker's memory grew {export['worker_memory_growth_mb']} MB.",
        ]
    lines += ["", "| target | met | figure |", "| --- | --- | --- |"]
    for name, met, figure in report["verdicts"]:
        lines.append(f"| {name} | {'yes' if met else 'no'} | {figure} |")
    return "\n".join(lines) + "\n"


def update_readme(table: str) -> None:
    readme = REPO / "README.md"
    text = readme.read_text()
    start, end = "<!-- bench:start -->", "<!-- bench:end -->"
    if start not in text:
        raise RuntimeError("README.md has no <!-- bench:start --> ... <!-- bench:end --> block")
    before, rest = text.split(start, 1)
    _old, after = rest.split(end, 1)
    readme.write_text(f"{before}{start}\n{table}{end}{after}")
