"""What portal/celery.py adds to the Celery app: the worker heartbeat and the portal's logging.

Imported before Django is set up (the worker reads its steps when it starts), so nothing here may touch
models at import time.
"""

from __future__ import annotations

import logging.config
from typing import Any

from celery import Celery
from celery.signals import setup_logging


def _configure_logging(**kwargs: Any) -> None:
    """Workers and beat log like the web processes (settings.LOGGING: JSON with the request id) instead
    of Celery replacing the root logger's handlers with its own format."""
    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


def install(app: Celery) -> None:
    from .heartbeat import WorkerHeartbeat

    app.steps["consumer"].add(WorkerHeartbeat)
    setup_logging.connect(_configure_logging, dispatch_uid="ops.worker.setup_logging", weak=False)
