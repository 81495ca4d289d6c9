"""Running the portal: the request id, logs, the workers' heartbeat, metrics and Sentry."""

from django_guid.integrations import CeleryIntegration

from .environment import env

# The request id (django-guid, portal/ops/request_id.py): a load balancer's X-Request-ID or a new one,
# returned in the response and carried in the headers of the tasks the request queues.
DJANGO_GUID = {
    "GUID_HEADER_NAME": "X-Request-ID",
    "VALIDATE_GUID": False,  # a load balancer's id is kept, once screened (RequestIdScreenMiddleware)
    "RETURN_HEADER": True,
    "EXPOSE_HEADER": False,
    "INTEGRATIONS": [CeleryIntegration()],
}

# Logs: one JSON object a line (LOG_FORMAT=json, the default) or plain text (LOG_FORMAT=plain), each
# record with the request id and, in a Celery task, the task's name and id.
LOG_FORMAT = env("LOG_FORMAT", default="json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "filters": {
        "request_id": {"()": "django_guid.log_filters.CorrelationId", "correlation_id_field": "request_id"},
        "task": {"()": "portal.ops.request_id.TaskLogFilter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "task"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-guid reports at INFO, for every request and task, where it took the id from.
        "django_guid": {"level": "WARNING"},
        # WeasyPrint and fontTools report every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Operations (portal/ops): the workers' heartbeat in Redis, which /readyz and the metrics read; the token
# Prometheus sends to /metrics (staff can read it signed in); counters kept in Redis for the installation.
# A worker killed outright is reported by /readyz at most WORKER_HEARTBEAT_MAX_AGE_SECONDS after its
# last heartbeat.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=5)
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env.int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", default=15)
METRICS_TOKEN = env("METRICS_TOKEN", default="")
METRICS_SHARED_COUNTERS = env.bool("METRICS_SHARED_COUNTERS", default=True)

# Errors to Sentry only when SENTRY_DSN is set.
SENTRY_DSN = env("SENTRY_DSN", default="")
if SENTRY_DSN:
    from portal.ops.sentry import sentry_init

    sentry_init(
        dsn=SENTRY_DSN,
        environment=env("SENTRY_ENVIRONMENT", default=""),
        release=env("SENTRY_RELEASE", default=""),
        traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
    )
