"""Local development (`make run`): the database and broker that this machine has.

`manage.py local_services` (run by `make run` first) finds them, starting the embedded PostgreSQL when no
server answers, and writes var/local.env; these settings only read it (the environment wins over the
file). Importing them starts nothing and opens no connection. Without the file and without DATABASE_URL,
they name the local server's `ccportal` database as the application role.
"""

import os
from pathlib import Path
from typing import Any

import environ

from portal.ops.local_services import APP_ROLE, DATABASE_NAME, OWNER_ROLE, env_file

_found = env_file(Path(__file__).resolve().parents[2])
if _found.exists():
    environ.Env.read_env(_found)
os.environ.setdefault("DATABASE_URL", f"postgres://{APP_ROLE}@127.0.0.1:5432/{DATABASE_NAME}")
os.environ.setdefault("DATABASE_OWNER_URL", f"postgres://{OWNER_ROLE}@127.0.0.1:5432/{DATABASE_NAME}")

from .base import *  # noqa: E402, F403
from .base import CELERY_TASK_ALWAYS_EAGER, LOGGING, env  # noqa: E402

DEBUG = env.bool("DEBUG", default=True)
CELERY_TASK_EAGER_PROPAGATES = CELERY_TASK_ALWAYS_EAGER

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Development logs are for a person at a terminal: plain lines unless LOG_FORMAT asks for JSON (the
# default of every other setting, production included).
LOG_FORMAT = env("LOG_FORMAT", default="plain")
_logging: dict[str, Any] = LOGGING
_logging["formatters"]["plain"] = {
    "format": "%(asctime)s %(levelname)-7s %(name)s: %(message)s",
    "datefmt": "%H:%M:%S",
}
_logging["handlers"]["console"]["formatter"] = LOG_FORMAT
