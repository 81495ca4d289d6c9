"""E-mail, Redis, the cache, Celery (broker, queues, limits, beat) and the background work it runs:
notifications and exports."""

from celery.schedules import crontab

from .environment import env

EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Contact Country Portal <portal@localhost>")
# Seconds the mail server has to answer each step of a send (the connection, each command): a server
# that accepts the connection and never answers fails the attempt after this long, and it is retried.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# E-mails sent by one task over one connection to the mail server.
EMAIL_BATCH_SIZE = env.int("EMAIL_BATCH_SIZE", default=50)

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")
# The cache (the API throttle's counts): in each process by default; CACHE_URL=redis://... shares it
# between processes and hosts, so that a user's limit holds across every web instance.
# A Redis cache fails open (portal/ops/cache.py): each command waits at most this long to connect and
# to read, a failure is a miss, and the cache is then skipped for CACHE_PAUSE_SECONDS in that process.
CACHE_SOCKET_TIMEOUT_SECONDS = env.float("CACHE_SOCKET_TIMEOUT_SECONDS", default=0.25)
CACHE_PAUSE_SECONDS = env.float("CACHE_PAUSE_SECONDS", default=10.0)


def fail_open_cache(config: dict) -> dict:
    """The cache of CACHE_URL; a Redis one fails open, with short socket timeouts."""
    if config["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        config["BACKEND"] = "portal.ops.cache.FailOpenRedisCache"
        config.setdefault("OPTIONS", {}).update(
            socket_connect_timeout=CACHE_SOCKET_TIMEOUT_SECONDS, socket_timeout=CACHE_SOCKET_TIMEOUT_SECONDS
        )
    return config


CACHES = {"default": fail_open_cache(env.cache("CACHE_URL", default="locmemcache://"))}
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
# The queues the workers consume (docker-compose.yml, make run): each task is routed to one of them.
CELERY_QUEUE_NAMES = ("notifications", "exports", "default")
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Workers keep their database connection from task to task (Celery closes it after each task
# otherwise: a new PostgreSQL connection per e-mail); it is renewed every 2 x CELERY_DB_REUSE_MAX tasks.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=500)
# Every connection to the broker, in web processes, workers and beat, gives up on a Redis that does not
# answer: BROKER_SOCKET_TIMEOUT_SECONDS for each command (longer than the workers' 1 s BRPOP), the
# connection timeout to connect. Without a socket timeout a publish to a frozen Redis (a task queuing
# another, Celery's own retries, beat) waits for ever. Publishes that fail are tried once more after a
# second (CELERY_TASK_PUBLISH_RETRY_POLICY), then raise: about 15 s in all on a frozen Redis. The
# portal's own publishes (portal/ops/broker.py) have shorter timeouts still and leave the work to the
# sweeps.
BROKER_SOCKET_TIMEOUT_SECONDS = env.float("BROKER_SOCKET_TIMEOUT_SECONDS", default=5.0)
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 2 * 60 * 60,
    "socket_timeout": BROKER_SOCKET_TIMEOUT_SECONDS,
    "socket_connect_timeout": CELERY_BROKER_CONNECTION_TIMEOUT,
}
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 1,
    "interval_max": 1,
}
# Every task is interrupted after the soft limit (SoftTimeLimitExceeded: it records where it stopped)
# and its process killed after the hard one, so a hung neighbour cannot hold a worker for ever. The
# exports have limits of their own (EXPORT_TASK_*).
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=45)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=60)
# A task that failed on the database or the broker is retried with backoff (1, 2, 4 ... s, at most
# this many seconds apart) rather than dropped.
TASK_RETRY_BACKOFF_MAX_SECONDS = env.int("TASK_RETRY_BACKOFF_MAX_SECONDS", default=60)
# A published event not processed, or a queued e-mail not taken up, this many seconds after it was due
# has lost its task (a broker restart, a killed worker): the outbox sweep publishes it again.
TASK_LOST_AFTER_SECONDS = env.int("TASK_LOST_AFTER_SECONDS", default=30)
# How often beat runs the outbox sweep.
OUTBOX_SWEEP_SECONDS = env.int("OUTBOX_SWEEP_SECONDS", default=15)
# /readyz reports the notification queue as stuck when an event or an e-mail has waited this long.
QUEUE_STUCK_AFTER_SECONDS = env.int("QUEUE_STUCK_AFTER_SECONDS", default=120)
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Synced into django-celery-beat's periodic tasks when beat starts.
CELERY_BEAT_SCHEDULE = {
    "notifications-outbox-sweep": {
        "task": "portal.notifications.tasks.outbox_sweep",
        "schedule": float(OUTBOX_SWEEP_SECONDS),
    },
    "notifications-reminders": {
        "task": "portal.notifications.tasks.send_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "notifications-digests": {
        "task": "portal.notifications.tasks.send_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    "reports-expire-exports": {"task": "portal.reports.tasks.exports_expire", "schedule": crontab(minute=15)},
    "reports-requeue-exports": {"task": "portal.reports.tasks.exports_requeue", "schedule": 300.0},
    "api-idempotency-keys-expire": {"task": "portal.api.tasks.idempotency_keys_expire", "schedule": 3600.0},
    "workprogrammes-silence-expiry": {
        "task": "workprogrammes.silence_expire_due",
        "schedule": crontab(minute="*/15"),
    },
}

# Notifications: review service level, escalation after a further delay, council meeting reminder.
REVIEW_SERVICE_LEVEL_DAYS = env.int("REVIEW_SERVICE_LEVEL_DAYS", default=10)
ESCALATION_DAYS = env.int("ESCALATION_DAYS", default=5)
COUNCIL_REMINDER_DAYS = env.int("COUNCIL_REMINDER_DAYS", default=3)

# Reports: exports of more rows than this are prepared by a Celery job (queue "exports") rather than
# downloaded at once; their files are deleted after the TTL (the record of the export stays).
CELERY_TASK_ROUTES = {
    "portal.notifications.tasks.*": {"queue": "notifications"},
    "portal.reports.tasks.*": {"queue": "exports"},
}
EXPORT_ASYNC_THRESHOLD_ROWS = env.int("EXPORT_ASYNC_THRESHOLD_ROWS", default=20000)
EXPORT_FILE_TTL_HOURS = env.int("EXPORT_FILE_TTL_HOURS", default=72)
# Time limits of one background export (soft, then hard), in seconds.
EXPORT_TASK_SOFT_TIME_LIMIT = env.int("EXPORT_TASK_SOFT_TIME_LIMIT", default=30 * 60)
EXPORT_TASK_TIME_LIMIT = env.int("EXPORT_TASK_TIME_LIMIT", default=35 * 60)
