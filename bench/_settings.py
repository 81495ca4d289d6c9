"""Settings of the benchmark: the portal as production runs it, on the scale database, plus bench-only URLs.

DEBUG off (cached templates), no SSL redirect (plain HTTP on the loopback), the scale database
(BENCH_DATABASE_URL, default ccportal_scale), its own Redis database for the notifications that
workflow transitions publish, API throttling at a rate the load cannot reach (the throttle's cache
work is still done on every request), and exports streamed whatever their size. The bench URLconf
(bench/_urls.py) adds a trivial view and the naive API lists to the portal's own URLs.
"""

from portal.settings.base import *  # noqa: F403
from portal.settings.base import LOGGING, env, replica_database

DEBUG = False
SECRET_KEY = env("SECRET_KEY", default="bench-only-secret-key-not-for-production-use-0123456789")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench._urls"

DATABASES = {
    "default": env.db("BENCH_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/ccportal_scale")
}
DATABASES["default"]["CONN_MAX_AGE"] = 600
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DATABASES["replica"] = replica_database(DATABASES["default"], "")
REPORTS_DATABASE = "default"
HEALTH_CHECK_DATABASES = ["default"]

# Static files are not part of the benchmark; plain storage so that {% static %} needs no manifest.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

CELERY_BROKER_URL = env("BENCH_REDIS_URL", default="redis://127.0.0.1:6379/11")
CELERY_TASK_ALWAYS_EAGER = False
API_THROTTLE_RATE = "100000000/hour"
EXPORT_ASYNC_THRESHOLD_ROWS = 10**9
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

LOGGING = {**LOGGING, "root": {"handlers": ["console"], "level": "WARNING"}}
