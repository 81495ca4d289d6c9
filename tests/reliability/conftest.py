"""Fixtures of the reliability tests: the notification tests' people, requests and real Celery worker."""

from tests.notifications.conftest import flushable_db, live_celery, make_request, world

__all__ = ["flushable_db", "live_celery", "make_request", "world"]
