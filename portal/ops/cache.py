"""The shared cache on Redis, failing open: a cache server that is down or frozen never fails a request.

Everything the portal keeps in the cache can be computed again (kept pages and lists, the dashboard's
figures) or may be forgotten for a moment (the API throttle's counts). So every operation of this
backend that fails is logged and answered as a miss: `get` gives the default, `set` and `delete` do
nothing, `add` reports nothing added, `incr` raises the ValueError of a missing key (the throttles and
Django's own callers treat it as a miss). Each command waits at most CACHE_SOCKET_TIMEOUT_SECONDS
(connect and read, settings), and after a failure the cache is skipped for CACHE_PAUSE_SECONDS in this
process, so that a frozen Redis costs one request one timeout, not every request several.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

T = TypeVar("T")


class FailOpenRedisCache(RedisCache):
    """Django's Redis cache whose failures are misses (see the module's description)."""

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self.paused_until = 0.0

    def _guard(self, operation: str, call: Callable[[], T], fallback: Callable[[], T]) -> T:
        if time.monotonic() < self.paused_until:
            return fallback()
        try:
            return call()
        except (RedisError, OSError):
            pause = float(settings.CACHE_PAUSE_SECONDS)
            self.paused_until = time.monotonic() + pause
            logger.warning(
                "Cache unavailable (%s); the cache is skipped for %.0f s.", operation, pause, exc_info=True
            )
            return fallback()

    def add(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> bool:
        call = functools.partial(super().add, key, value, timeout, version)
        return self._guard("add", call, lambda: False)

    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard("get", functools.partial(super().get, key, default, version), lambda: default)

    def set(self, key: Any, value: Any, timeout: Any = None, version: int | None = None) -> None:
        self._guard("set", functools.partial(super().set, key, value, timeout, version), lambda: None)

    def touch(self, key: Any, timeout: Any = None, version: int | None = None) -> bool:
        return self._guard("touch", functools.partial(super().touch, key, timeout, version), lambda: False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard("delete", functools.partial(super().delete, key, version), lambda: False)

    def get_many(self, keys: Any, version: int | None = None) -> dict[Any, Any]:
        return self._guard("get_many", functools.partial(super().get_many, keys, version), dict)

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard("has_key", functools.partial(super().has_key, key, version), lambda: False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        def missing() -> int:
            raise ValueError(f"Key {key!r} not found (the cache is unavailable).")

        return self._guard("incr", functools.partial(super().incr, key, delta, version), missing)

    def set_many(self, data: dict[Any, Any], timeout: Any = None, version: int | None = None) -> list[Any]:
        call = functools.partial(super().set_many, data, timeout, version)
        return self._guard("set_many", call, lambda: list(data))

    def delete_many(self, keys: Any, version: int | None = None) -> None:
        self._guard("delete_many", functools.partial(super().delete_many, keys, version), lambda: None)

    def clear(self) -> None:
        self._guard("clear", super().clear, lambda: None)
