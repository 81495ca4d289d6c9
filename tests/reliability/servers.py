"""A Redis or a PostgreSQL of a test's own, on a random port above 20000, to stop and freeze at will.

Fault tests never touch the machine's shared servers (PostgreSQL on 5432, Redis on 6379): other work
uses them. Each server here lives in a temporary directory and is stopped when the test ends.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import redis


def free_port() -> int:
    """A port above 20000 that nothing listens on now."""
    for _attempt in range(200):
        port = random.randint(20001, 60000)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port above 20000.")


def wait_for(condition: Callable[[], Any], *, timeout: float = 30, what: str = "the condition") -> Any:
    """Poll `condition` until it returns something true; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"Timed out waiting for {what}.")
        time.sleep(0.05)


class OwnRedis:
    """redis-server on a port of its own: start, stop (the process exits), freeze (SIGSTOP), thaw."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.frozen = False

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def _answers(self) -> bool:
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2, socket_timeout=0.2)
        try:
            return bool(client.ping())
        except redis.RedisError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self._answers, what=f"redis-server on port {self.port}")

    def stop(self) -> None:
        """The server exits: connections are closed and new ones refused."""
        if self.process is None:
            return
        if self.frozen:
            self.thaw()
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process = None

    def freeze(self) -> None:
        """The server stops answering but keeps its sockets: connections open, replies never come."""
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGSTOP)
        self.frozen = True

    def thaw(self) -> None:
        assert self.process is not None
        os.kill(self.process.pid, signal.SIGCONT)
        self.frozen = False


class OwnPostgres:
    """A PostgreSQL cluster of its own (initdb as the `postgres` system user), trust authentication."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.port = free_port()
        self.log = directory / "server.log"

    def _as_postgres(self, *command: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *command],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            timeout=120,
        )

    def init(self) -> None:
        shutil.chown(self.directory, user="postgres")
        self._as_postgres("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        self._as_postgres("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self) -> None:
        """A fast shutdown: every session is ended, new connections are refused."""
        if (self.data / "postmaster.pid").exists():
            self._as_postgres("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def copy_database(self, *, source: dict[str, Any], name: str) -> None:
        """Create `name` here as a copy (schema and rows) of the database `source` (a settings_dict)."""
        base = ["-h", "127.0.0.1", "-U", "postgres"]
        subprocess.run(
            ["psql", *base, "-p", str(self.port), "-q", "-c", f'CREATE DATABASE "{name}"'],
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=60,
        )
        dump = subprocess.run(
            [
                "pg_dump", "--no-owner", "--no-privileges",
                "-h", source.get("HOST") or "127.0.0.1", "-p", str(source.get("PORT") or 5432),
                "-U", source.get("USER") or "postgres", source["NAME"],
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )  # fmt: skip
        subprocess.run(
            ["psql", *base, "-p", str(self.port), "-q", "-v", "ON_ERROR_STOP=1", name],
            input=dump.stdout,
            check=True,
            stdout=subprocess.DEVNULL,
            timeout=120,
        )
