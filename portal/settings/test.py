"""Test settings: the real PostgreSQL and Redis (started by `make test`), fast hashing, local memory mail."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR, env, replica_database

# The tests connect as the application role, which owns nothing (portal/ops/db_roles.py); the test
# database is created, migrated and emptied between transactional tests by the owner (tests/conftest.py).
# `make test` creates both roles first (`manage.py db_roles`, as the server's superuser).
DATABASES = {"default": env.db("DATABASE_URL", default="postgres://ccportal_app@127.0.0.1:5432/ccportal")}
DATABASE_OWNER = env.db("DATABASE_OWNER_URL", default="postgres://ccportal_owner@127.0.0.1:5432/ccportal")
DATABASE_APP_USER = DATABASES["default"].get("USER", "")
DATABASE_SUPERUSER_URL = env("DATABASE_SUPERUSER_URL", default="postgres://postgres@127.0.0.1:5432/postgres")
# Parallel checkouts on one server keep apart by naming their own test database.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_ccportal")}
# "replica" is a mirror of the test database (portal/ops/db.py).
DATABASES["replica"] = replica_database(DATABASES["default"], "")
REPORTS_DATABASE = "default"
HEALTH_CHECK_DATABASES = ["default"]
# Tests write no metrics counters into the developer's Redis unless they ask (tests/deploy).
METRICS_SHARED_COUNTERS = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Each parallel test process (pytest-xdist sets PYTEST_XDIST_WORKER) keeps its uploads apart.
MEDIA_ROOT = BASE_DIR / "var" / "test-media" / os.environ.get("PYTEST_XDIST_WORKER", "main")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
LANGUAGE_CODE = "en"
