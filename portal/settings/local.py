"""Local development (`make run`): picks the database and broker that are actually there."""

import logging
import os
import socket

from .base import *  # noqa: F403
from .base import BASE_DIR, env

DEBUG = env.bool("DEBUG", default=True)
logger = logging.getLogger("portal.settings")


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


def _embedded_database_url() -> str:
    """Start (or reuse) an embedded PostgreSQL from the pgserver wheel, data kept under var/."""
    import pgserver

    server = pgserver.get_server(BASE_DIR / "var" / "pgdata", cleanup_mode=None)
    return str(server.get_uri())


if "DATABASE_URL" not in os.environ:
    if _answers("127.0.0.1", 5432):
        DATABASES = {"default": env.db_url_config("postgres://127.0.0.1:5432/ccportal")}
    else:
        DATABASES = {"default": env.db_url_config(_embedded_database_url())}
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

if "CELERY_TASK_ALWAYS_EAGER" not in os.environ and not _answers("127.0.0.1", 6379):
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    if not os.environ.get("PORTAL_EAGER_NOTICE_SHOWN"):
        os.environ["PORTAL_EAGER_NOTICE_SHOWN"] = "1"
        logger.warning("No Redis answers on 127.0.0.1:6379: Celery tasks run eagerly in the web process.")

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
