"""Gunicorn's settings for the web tier: `gunicorn -c python:portal.ops.gunicorn_conf portal.wsgi`.

Everything is read from the environment (defaults in brackets): GUNICORN_BIND [0.0.0.0:8000],
WEB_CONCURRENCY worker processes [3], GUNICORN_THREADS per process [1], GUNICORN_TIMEOUT seconds [60],
FORWARDED_ALLOW_IPS, the proxies whose X-Forwarded-* headers are believed [127.0.0.1].
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# On SIGTERM (a rolling deploy) requests in flight get this long to finish.
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so slow leaks (WeasyPrint, openpyxl) stay bounded.
max_requests = 1000
max_requests_jitter = 100
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Workers' heartbeat files in memory: a container's overlay file system can stall them into timeouts.
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108

# No access log from gunicorn: the portal logs each request itself, as JSON with its request id
# (portal.ops.middleware.AccessLogMiddleware). Gunicorn's own messages are JSON too; in the
# workers Django's LOGGING takes over the root logger, to which gunicorn.error propagates.
accesslog = None
errorlog = "-"
logconfig_dict: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
    },
    "root": {"level": os.environ.get("LOG_LEVEL", "INFO"), "handlers": ["console"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True},
        "gunicorn.access": {"level": "INFO", "handlers": [], "propagate": False},
    },
}


def on_starting(server: Any) -> None:
    """Start with an empty Prometheus multiprocess directory (files of a previous run would be summed)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        Path(directory).mkdir(parents=True, exist_ok=True)


def child_exit(server: Any, worker: Any) -> None:
    """A worker that is gone no longer reports its live gauges."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
