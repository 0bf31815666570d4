"""When did the dispatcher last run? The health endpoint's "is beat alive" number.

Every dispatch run (one per beat tick) records the time in the shared cache: Redis in production,
the file cache on one machine. A missing value reads as "never ticked", which the health check
reports as a failure — after a cache flush it is back within one dispatch interval.
"""

from __future__ import annotations

import time

from django.core.cache import cache

BEAT_TICK_KEY = "engine:last-dispatch-tick"


def record_beat_tick(*, now: float | None = None) -> None:
    cache.set(BEAT_TICK_KEY, time.time() if now is None else now, timeout=None)


def beat_tick_age(*, now: float | None = None) -> float | None:
    """Seconds since the last dispatch run, or None if none was recorded."""
    last = cache.get(BEAT_TICK_KEY)
    if last is None:
        return None
    return max((time.time() if now is None else now) - float(last), 0.0)
