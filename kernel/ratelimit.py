"""Fixed-window counters in the shared cache: the API rate limit and the login lock-out count with them.

A window is `window` seconds long and starts at a multiple of it; its count lives in one cache key
that expires after the window is over. Counting is `cache.add(key, 0)` + `cache.incr(key)`, both
atomic (Redis; `kernel.cache.FileCache` on the embedded default), so N concurrent callers get the
counts 1..N exactly once each: "admit while count <= limit" admits exactly `limit`, whatever the
interleaving.
"""

from __future__ import annotations

import contextlib
import math
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Hit:
    count: int  # this caller's place in the window, itself included
    retry_after: float  # seconds until the window ends


def _bucket(key: str, window: int, now: float) -> tuple[str, float]:
    index = math.floor(now / window)
    return f"{key}:{window}:{index}", (index + 1) * window - now


def hit(key: str, *, window: int, now: float | None = None) -> Hit:
    """Count one event in the current window of `key`."""
    bucket, remaining = _bucket(key, window, time.time() if now is None else now)
    # The key outlives its window by one more, so it never expires under a caller still in it.
    cache.add(bucket, 0, timeout=2 * window)
    try:
        count = cache.incr(bucket)
    except ValueError:  # evicted between add and incr: start again
        cache.add(bucket, 0, timeout=2 * window)
        count = cache.incr(bucket)
    return Hit(count=count, retry_after=remaining)


def count(key: str, *, window: int, now: float | None = None) -> int:
    bucket, _ = _bucket(key, window, time.time() if now is None else now)
    return int(cache.get(bucket) or 0)


def undo(key: str, *, window: int, now: float | None = None) -> None:
    """Take back one event of the current window (it turned out not to count)."""
    bucket, _ = _bucket(key, window, time.time() if now is None else now)
    with contextlib.suppress(ValueError):  # already expired: nothing to take back
        cache.decr(bucket)


def reset(key: str, *, window: int, now: float | None = None) -> None:
    bucket, _ = _bucket(key, window, time.time() if now is None else now)
    cache.delete(bucket)
