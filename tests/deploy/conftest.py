"""Fixtures of the deployment tests: a Redis database of their own for heartbeats, counters and queues."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import redis
from django.test import override_settings

from portal.ops import metrics

# Other suites use 11 (benchmarks), 13 (notification workers) and 14; the multi-host test uses 9.
OPS_REDIS_DB = int(os.environ.get("DEPLOY_TEST_REDIS_DB", "10"))
OPS_REDIS_URL = f"redis://127.0.0.1:6379/{OPS_REDIS_DB}"
UNREACHABLE_REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once


@pytest.fixture
def ops_redis() -> Iterator[redis.Redis]:
    """REDIS_URL and the broker pointed at an emptied Redis database of these tests, counters on."""
    client = redis.Redis.from_url(OPS_REDIS_URL)
    client.flushdb()
    metrics._paused_until = 0.0
    with override_settings(
        REDIS_URL=OPS_REDIS_URL, CELERY_BROKER_URL=OPS_REDIS_URL, METRICS_SHARED_COUNTERS=True
    ):
        yield client
    client.flushdb()
    client.close()
