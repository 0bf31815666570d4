"""The per-user API limit is an atomic count: of many concurrent requests exactly the limit is admitted.

The throttle tests run on the session's cache: the embedded file cache (`kernel.cache.FileCache`)
in the default leg, Redis in the PostgreSQL + Redis leg. The file cache's own atomicity is also
tested on an instance of it, so both legs check both backends' guarantees.
"""

from __future__ import annotations

import datetime as dt
import threading
from concurrent.futures import ThreadPoolExecutor
from types import SimpleNamespace

import pytest
import time_machine
from django.core.cache import cache

from kernel import ratelimit
from kernel.api.throttling import PerUserRateThrottle
from kernel.cache import FileCache

THREADS = 16
REQUESTS = 200


def _race(call, *, threads: int = THREADS, calls: int = REQUESTS) -> list:
    """`calls` calls spread over `threads` threads that all start at the same instant."""
    barrier = threading.Barrier(threads)

    def worker(share: int) -> list:
        barrier.wait()
        return [call() for _ in range(share)]

    shares = [calls // threads + (1 if i < calls % threads else 0) for i in range(threads)]
    with ThreadPoolExecutor(threads) as pool:
        return [result for chunk in pool.map(worker, shares) for result in chunk]


@pytest.fixture
def mid_minute():
    """Time stands still in the middle of a minute, so every request falls into one window."""
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, 0, 30, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def file_cache(tmp_path):
    return FileCache(str(tmp_path / "cache"), {})


def test_exactly_the_limit_is_admitted_under_concurrency(mid_minute):
    request = SimpleNamespace(user=SimpleNamespace(pk=4242, is_authenticated=True), META={"REMOTE_ADDR": "192.0.2.1"})
    admitted = _race(lambda: PerUserRateThrottle().allow_request(request, None))
    assert admitted.count(True) == 60
    throttle = PerUserRateThrottle()
    assert not throttle.allow_request(request, None)
    assert throttle.wait() == 30  # the rest of the minute


def test_window_counts_are_unique_under_concurrency(mid_minute):
    counts = _race(lambda: ratelimit.hit("race", window=3600).count, calls=300)
    assert sorted(counts) == list(range(1, 301))


def test_file_cache_incr_and_add_are_atomic(file_cache):
    file_cache.add("n", 0, timeout=60)
    assert sorted(_race(lambda: file_cache.incr("n"), calls=300)) == list(range(1, 301))
    assert _race(lambda: file_cache.add("once", 1, timeout=60), calls=64).count(True) == 1


def test_file_cache_incr_keeps_the_expiry(file_cache):
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC), tick=False) as clock:
        file_cache.set("k", 1, timeout=10)
        clock.shift(9)
        assert file_cache.incr("k") == 2 and file_cache.decr("k", 2) == 0
        clock.shift(2)
        assert file_cache.get("k") is None
        with pytest.raises(ValueError):
            file_cache.incr("k")


def test_the_session_cache_is_atomic(mid_minute):
    assert _race(lambda: cache.add("once", 1, timeout=60), calls=64).count(True) == 1
