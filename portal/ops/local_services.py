"""The database and broker of a developer's machine, found (and the embedded database started) once by
`python -m portal.ops.local_services`, which `make run` runs before anything else, without Django's
settings, so that only the real environment counts. The settings only read the answer, var/local.env:
importing them starts nothing and opens no connection (portal/settings/local.py).

Database: DATABASE_URL if set; else the PostgreSQL server on 127.0.0.1:5432 if one answers; else an
embedded PostgreSQL from the pgserver wheel, its data under var/pgdata (git-ignored), left running for
the commands that follow. In the last two cases the `ccportal` database and the portal's two roles (its
owner, which runs the migrations, and the application role the portal connects as) are created if they
are missing. Broker: without Redis on 127.0.0.1:6379, tasks run eagerly in the web process.
"""

from __future__ import annotations

import logging
import os
import socket
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

logger = logging.getLogger(__name__)

DATABASE_NAME = "ccportal"
OWNER_ROLE = "ccportal_owner"
APP_ROLE = "ccportal_app"
HEADER = "# Written by portal/ops/local_services.py (make run): what this machine has; rewritten each run.\n"


def env_file(base_dir: Path) -> Path:
    return base_dir / "var" / "local.env"


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


@dataclass(frozen=True)
class Server:
    """Where a PostgreSQL server listens, and a superuser's connection parameters for it."""

    location: str  # what follows "@" in a URL: "127.0.0.1:5432", or "" with a socket directory
    socket_directory: str
    superuser: dict[str, Any]

    def url(self, role: str) -> str:
        query = f"?host={quote(self.socket_directory, safe='/')}" if self.socket_directory else ""
        return f"postgres://{role}@{self.location}/{DATABASE_NAME}{query}"


def _local_server() -> Server:
    from portal.ops.db_roles import superuser_params

    url = os.environ.get("DATABASE_SUPERUSER_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    return Server("127.0.0.1:5432", "", superuser_params(url))


def _embedded_server(base_dir: Path) -> Server:
    """Start (or find running) the embedded PostgreSQL; it keeps running after this process ends."""
    with warnings.catch_warnings():
        # pgserver keeps its lock file in the user's runtime directory; without XDG_RUNTIME_DIR (root,
        # CI) platformdirs warns that it falls back to /tmp/runtime-<uid>, which is fine here.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pgserver

    logging.getLogger("pgserver").setLevel(logging.WARNING)  # every step of its start-up, at INFO
    pgdata = base_dir / "var" / "pgdata"
    pgdata.parent.mkdir(parents=True, exist_ok=True)  # pgserver makes pgdata, not its parent
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    uri = urlsplit(server.get_uri(database="postgres"))
    # pgserver listens on a Unix socket only; its URI names the socket directory as a query parameter.
    directory = parse_qs(uri.query)["host"][0]
    return Server(
        "", directory, {"dbname": "postgres", "user": uri.username or "postgres", "host": directory}
    )


def local_services(base_dir: Path) -> dict[str, str]:
    """The settings this machine needs (written to var/local.env); starts the embedded database if needed."""
    import psycopg2

    from portal.ops.db_roles import roles_ensure

    values: dict[str, str] = {}
    if "DATABASE_URL" not in os.environ:
        server = _local_server() if answers("127.0.0.1", 5432) else _embedded_server(base_dir)
        try:
            done = roles_ensure(
                superuser_params=server.superuser,
                owner=OWNER_ROLE,
                owner_password="",
                app=APP_ROLE,
                app_password="",
                databases=[],
                create_databases=[DATABASE_NAME],
            )
        except psycopg2.Error as error:
            raise RuntimeError(
                f"Could not create the roles and the {DATABASE_NAME!r} database: {error}"
            ) from error
        for line in done[1:]:
            logger.warning(line)
        values["DATABASE_URL"] = server.url(APP_ROLE)
        values["DATABASE_OWNER_URL"] = server.url(OWNER_ROLE)
    if "CELERY_TASK_ALWAYS_EAGER" not in os.environ and not answers("127.0.0.1", 6379):
        values["CELERY_TASK_ALWAYS_EAGER"] = "true"
        logger.warning("No Redis answers on 127.0.0.1:6379: Celery tasks run eagerly in the web process.")
    path = env_file(base_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(f"{name}={value}\n" for name, value in values.items()))
    return values


if __name__ == "__main__":
    logging.basicConfig(format="%(message)s")
    base_dir = Path(__file__).resolve().parents[2]
    try:
        found = local_services(base_dir)
    except RuntimeError as error:
        raise SystemExit(str(error)) from error
    print(f"{env_file(base_dir)}: {found.get('DATABASE_URL', 'DATABASE_URL from the environment')}")
