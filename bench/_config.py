"""What bench/run.py measures against: the scale database, the ports, the load's shape, and the
records of a scenario and its result."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RESULTS = REPO / "bench" / "results"
VENV_BIN = REPO / ".venv" / "bin"
DB_NAME = os.environ.get("BENCH_DATABASE_NAME", "ccportal_scale")
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
# BENCH_PORT moves both servers (the floor on the next port), e.g. when another benchmark runs.
PORTAL_PORT = int(os.environ.get("BENCH_PORT", "8701"))
FLOOR_PORT = PORTAL_PORT + 1
WRK_THREADS = 2
# The workflow step uses up submitted requests; below this many left the data is generated again.
MIN_SUBMITTED = 2500
# Several users per role, each with a few sessions (half of them in French).
USERS_PER_ROLE = 4
SESSIONS_PER_USER = 4
# The mixed scenario runs this long whatever --duration says.
MIXED_SECONDS = 30.0

os.environ["DJANGO_SETTINGS_MODULE"] = "bench._settings"
os.environ["BENCH_DATABASE_URL"] = DATABASE_URL
os.environ["BENCH_REDIS_URL"] = REDIS_URL


@dataclass
class Entry:
    """One request of a scenario: who asks (session cookie or API token), for what."""

    path: str
    cookie: str = ""
    auth: str = ""
    method: str = "GET"
    body: str = ""
    # Workflow actions through the API send the strong ETag of the request's version (README "Security").
    if_match: str = ""

    def line(self) -> str:
        return "\t".join((self.method, self.path, self.cookie, self.auth, self.body, self.if_match))


@dataclass
class Scenario:
    name: str
    group: str  # "page", "api", "floor", "naive", "write", "mixed"
    entries: list[Entry]
    port: int = PORTAL_PORT
    limit: int = 0
    floor: str = ""  # the scenario it is compared with
    naive: str = ""
    # The mixed scenario's writer: one more connection taking these steps while `entries` are read.
    writer: list[Entry] = field(default_factory=list)


@dataclass
class Result:
    name: str
    group: str
    requests: int
    seconds: float
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    errors: int
    floor: str = ""
    naive: str = ""
    # CPU time per request of the server's workers and of PostgreSQL's backends for the scale database,
    # and the share of the machine's cores they had while measured (other work shares the machine).
    app_cpu_ms: float = 0.0
    db_cpu_ms: float = 0.0
    cpu_share_pct: float = 0.0
    machine_busy_pct: float = 0.0
    # The mixed scenario's writer, measured beside the readers.
    writer_requests: int = 0
    writer_p95_ms: float = 0.0
    writer_errors: int = 0
    # Requests of the scenario whose CPU the workers logged while it was measured.
    served: int = 0

    @property
    def cpu_ms(self) -> float:
        return round(self.app_cpu_ms + self.db_cpu_ms, 1)
