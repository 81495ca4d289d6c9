"""Redis clients for the operational checks and counters: short timeouts, one per process and URL.

A health check or a metrics scrape must answer quickly even when Redis does not, and a counter must never
hold up the request or task that increments it.
"""

from __future__ import annotations

import os

import redis

TIMEOUT_SECONDS = 1.0

_clients: dict[tuple[int, str, float], redis.Redis] = {}


def redis_client(url: str, *, timeout: float = TIMEOUT_SECONDS) -> redis.Redis:
    """A client for `url` waiting at most `timeout` seconds, made once per process (a forked worker must
    not share its parent's sockets)."""
    key = (os.getpid(), url, timeout)
    client = _clients.get(key)
    if client is None:
        client = _clients[key] = redis.Redis.from_url(
            url,
            socket_connect_timeout=timeout,
            socket_timeout=timeout,
            retry_on_timeout=False,
        )
    return client
