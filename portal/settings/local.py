"""Local development (`make run`): picks the database and broker that are actually there.

Database: DATABASE_URL if set; else the PostgreSQL server on 127.0.0.1:5432 if one answers; else an
embedded PostgreSQL from the pgserver wheel, its data under var/pgdata (git-ignored). In the last two
cases the `ccportal` database and the portal's two roles (its owner, which runs the migrations, and the
application role the portal connects as) are created if they are missing, so a fresh clone needs no
manual step.
"""

import logging
import os
import socket
import warnings
from typing import Any

from .base import *  # noqa: F403
from .base import BASE_DIR, LOGGING, env, replica_database, with_planner_options

DEBUG = env.bool("DEBUG", default=True)
logger = logging.getLogger("portal.settings")
# pgserver reports every step of starting its server at INFO; LOGGING leaves this level alone.
logging.getLogger("pgserver").setLevel(logging.WARNING)

LOCAL_DATABASE_NAME = "ccportal"


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.3):
            return True
    except OSError:
        return False


def _ensure_roles(superuser: dict[str, Any], *, owner: str, app: str) -> None:
    """Create the owner and application roles and the database (portal/ops/db_roles.py), as a superuser."""
    import psycopg2

    from portal.ops.db_roles import roles_ensure

    params = {
        "dbname": "postgres",
        "user": superuser.get("USER") or None,
        "host": superuser.get("HOST") or None,
        "port": superuser.get("PORT") or None,
        "password": superuser.get("PASSWORD") or None,
    }
    try:
        done = roles_ensure(
            superuser_params={key: value for key, value in params.items() if value is not None},
            owner=owner,
            owner_password="",
            app=app,
            app_password="",
            databases=[],
            create_databases=[LOCAL_DATABASE_NAME],
        )
    except psycopg2.Error as error:
        # Commands that need no database still work; the others fail later with Django's own message.
        logger.warning("Could not check the database roles and %r: %s", LOCAL_DATABASE_NAME, error)
        return
    for line in done[1:]:
        logger.warning(line)


def _embedded_database() -> dict[str, Any]:
    """Start (or reuse) an embedded PostgreSQL from the pgserver wheel, data kept under var/."""
    with warnings.catch_warnings():
        # pgserver keeps its lock file in the user's runtime directory; without XDG_RUNTIME_DIR (root,
        # CI) platformdirs warns that it falls back to /tmp/runtime-<uid>, which is fine here.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pgserver

    pgdata = BASE_DIR / "var" / "pgdata"
    # pgserver creates pgdata itself but wants its parent to exist already.
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None keeps the server running between commands (migrate, load_demo, runserver).
    server = pgserver.get_server(pgdata, cleanup_mode=None)
    config: dict[str, Any] = env.db_url_config(server.get_uri(database=LOCAL_DATABASE_NAME))
    # pgserver listens on a Unix socket only; its URI names the socket directory as a query parameter.
    config["HOST"] = config.pop("OPTIONS", {}).get("host", config["HOST"])
    return config


# Without DATABASE_URL: the portal connects as LOCAL_APP_ROLE, which owns nothing, and `migrate` runs as
# LOCAL_OWNER_ROLE (as in production, README "Security"); both are created by the server's superuser
# (DATABASE_SUPERUSER_URL, default postgres on 127.0.0.1, or the embedded server's own).
LOCAL_OWNER_ROLE = "ccportal_owner"
LOCAL_APP_ROLE = "ccportal_app"
if "DATABASE_URL" not in os.environ:
    if _answers("127.0.0.1", 5432):
        superuser = env.db_url_config(
            env("DATABASE_SUPERUSER_URL", default="postgres://postgres@127.0.0.1:5432/postgres")
        )
        server = {"HOST": "127.0.0.1", "PORT": 5432}
    else:
        superuser = _embedded_database()
        server = {"HOST": superuser["HOST"], "PORT": superuser.get("PORT", "")}
    _ensure_roles(superuser, owner=LOCAL_OWNER_ROLE, app=LOCAL_APP_ROLE)
    app_database = {
        **superuser,
        **server,
        "NAME": LOCAL_DATABASE_NAME,
        "USER": LOCAL_APP_ROLE,
        "PASSWORD": "",
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
    DATABASES = {"default": with_planner_options(app_database)}
    DATABASE_OWNER = {**app_database, "USER": LOCAL_OWNER_ROLE}
    DATABASE_APP_USER = LOCAL_APP_ROLE
    DATABASES["replica"] = replica_database(DATABASES["default"], "")

if "CELERY_TASK_ALWAYS_EAGER" not in os.environ and not _answers("127.0.0.1", 6379):
    CELERY_TASK_ALWAYS_EAGER = True
    CELERY_TASK_EAGER_PROPAGATES = True
    # The variable is inherited by runserver's reloaded child, so the notice is logged once per run.
    if not os.environ.get("PORTAL_EAGER_NOTICE_SHOWN"):
        os.environ["PORTAL_EAGER_NOTICE_SHOWN"] = "1"
        logger.warning("No Redis answers on 127.0.0.1:6379: Celery tasks run eagerly in the web process.")

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
