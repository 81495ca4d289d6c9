"""Publishing a task from a web request or a task: a broker that is down or frozen must not hold the page
or the worker.

Celery's own producer waits for the broker as long as its connection lets it (BROKER_SOCKET_TIMEOUT_SECONDS
for each command, settings) and retries a failed publish: some 15 s on a frozen Redis. Work queued by a
request is always recorded in PostgreSQL first (the outbox's events, export jobs, pending deliveries) and
a periodic sweep publishes what did not get through, so the request (or the task: a fan-out queuing its
e-mails, a send queuing its retry) publishes once, on a connection from a pool of this process with short
timeouts and no retries, and the caller logs a failure and moves on.
"""

from __future__ import annotations

import os
from typing import Any

from celery import current_app

# Seconds to take a pooled connection, to connect, and to wait for each answer of the broker.
PUBLISH_TIMEOUT_SECONDS = 0.5
PUBLISH_POOL_LIMIT = 10

_pools: dict[tuple[int, str], Any] = {}


def publish_transport_options() -> dict[str, Any]:
    """The Redis transport's options of the request-side connections: no retry, short socket timeouts."""
    return {
        "max_retries": 0,
        "interval_start": 0,
        "socket_connect_timeout": PUBLISH_TIMEOUT_SECONDS,
        "socket_timeout": PUBLISH_TIMEOUT_SECONDS,
    }


def _publish_connection() -> Any:
    url = current_app.conf.broker_write_url
    key = (os.getpid(), url)  # a forked process must not share its parent's sockets
    pool = _pools.get(key)
    if pool is None:
        connection = current_app.connection_for_write(
            url, connect_timeout=PUBLISH_TIMEOUT_SECONDS, transport_options=publish_transport_options()
        )
        pool = _pools[key] = connection.Pool(limit=PUBLISH_POOL_LIMIT)
    return pool.acquire(block=True, timeout=PUBLISH_TIMEOUT_SECONDS)


def task_publish(
    task: Any, *, args: tuple = (), kwargs: dict[str, Any] | None = None, countdown: float | None = None
) -> None:
    """Send one task message now, once (to run `countdown` seconds later if given); raises when the
    broker does not take it in time.

    With CELERY_TASK_ALWAYS_EAGER (tests, `make run` without Redis) the task runs here instead.
    """
    if current_app.conf.task_always_eager:
        task.apply_async(args=args, kwargs=kwargs, countdown=countdown)
        return
    connection = _publish_connection()
    try:
        task.apply_async(
            args=args, kwargs=kwargs, countdown=countdown, producer=connection.Producer(), retry=False
        )
    except Exception:
        connection.close()  # not handed out again half-broken: the next use reconnects
        raise
    finally:
        connection.release()
