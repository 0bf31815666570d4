"""Our own per-token Buffer budget, shared by every worker through the Django cache.

Buffer allows 60 requests per access token per rolling minute (reference §8) and answers 429
beyond it. Burning a publish attempt on a 429 we could have predicted wastes retry budget, so the
engine asks `acquire(token)` before each call: 0 means go (the request is counted), a positive
number is how many seconds to wait before asking again (nothing is counted).

The window is split into 5-second buckets, each an integer cache key. A request is allowed when
the current bucket plus the previous 12 (between 60 and 65 seconds of history, so never less
than Buffer's rolling minute) hold at most `limit` requests. Counting first and reading after
makes concurrent callers safe with an atomic `incr`: two callers may both be refused near the
limit (harmless), never both admitted above it.

`add` and `incr` are atomic on Redis and on the embedded cache (`socialhub.cache.FileCache`).
Keys hold a keyed hash of the token (HMAC, key derived from SECRET_KEY), never the token: a bare
hash would let anyone who can read the cache test guessed tokens against it.
"""

from __future__ import annotations

import contextlib
import math
import time

from django.conf import settings
from django.core.cache import cache

from socialhub.crypto import keyed_hash

WINDOW_SECONDS = 60
BUCKET_SECONDS = 5
BUCKETS_COUNTED = math.ceil(WINDOW_SECONDS / BUCKET_SECONDS) + 1  # current + a full minute before it
KEY_PREFIX = "buffer-throttle"


def token_key(token: str) -> str:
    return keyed_hash(token, purpose="buffer-throttle")


def default_limit() -> int:
    return int(getattr(settings, "BUFFER_RATE_LIMIT_PER_MINUTE", 60))


def acquire(token: str, *, limit: int | None = None, now: float | None = None) -> float:
    """Take one request from `token`'s budget: 0.0 = go, else seconds until it may have room."""
    limit = default_limit() if limit is None else limit
    if limit <= 0:
        return 0.0  # throttling disabled
    now = time.time() if now is None else now
    current = int(now // BUCKET_SECONDS)
    digest = token_key(token)
    keys = [_bucket_key(digest, current - back) for back in range(BUCKETS_COUNTED)]
    _increment(keys[0])
    counts = cache.get_many(keys)
    if sum(int(counts.get(key) or 0) for key in keys) <= limit:
        return 0.0
    _decrement(keys[0])  # refused requests are not sent, so they must not count
    oldest = next(current - back for back in reversed(range(BUCKETS_COUNTED)) if counts.get(keys[back]))
    return max((oldest + BUCKETS_COUNTED) * BUCKET_SECONDS - now, 0.05)


def usage(token: str, *, now: float | None = None) -> int:
    """Requests counted for `token` in the current window (for tests and admin diagnostics)."""
    now = time.time() if now is None else now
    current = int(now // BUCKET_SECONDS)
    digest = token_key(token)
    counts = cache.get_many([_bucket_key(digest, current - back) for back in range(BUCKETS_COUNTED)])
    return sum(int(value or 0) for value in counts.values())


def _bucket_key(digest: str, bucket: int) -> str:
    return f"{KEY_PREFIX}:{digest}:{bucket}"


def _increment(key: str) -> None:
    # The key outlives the window it is counted in; a bucket that expires between add and incr
    # is simply recreated.
    ttl = (BUCKETS_COUNTED + 1) * BUCKET_SECONDS
    cache.add(key, 0, timeout=ttl)
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=ttl)


def _decrement(key: str) -> None:
    with contextlib.suppress(ValueError):
        cache.decr(key)
