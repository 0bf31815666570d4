"""One request budget per Buffer API key, shared by every process through the Django cache.

Buffer counts requests per API key, whoever sends them, in three windows (reference
/work/shared/reference/buffer-graphql/README.md, rule 5, from https://developers.buffer.com):
100 / 15 min; 250 / 24 h on Free and Essentials, 500 on Team; 3,000 / 7,500 / 15,000 / 30 days on
Free / Essentials / Team. Legacy v1 tokens keep v1's 60 / minute. Once a key is out of its daily
budget it cannot publish either, so lower priorities leave a reserve (`RESERVES`) for higher ones.

Every HTTP request to Buffer goes through `KeyBudget.admit()` just before it is sent (the hook is in
`backends.http.JsonHttpClient`, attached by `backends.get_backend`): retries and extra pages
included. `admit` counts the request, or raises `BufferBudgetExhausted(retry_at=…)` and counts
nothing. A 429 from Buffer blocks the key for everyone until its `Retry-After` (`record_rate_limited`).

Counting: each window is split into buckets, each an integer cache key. A request is admitted when,
for every window, the current bucket plus enough previous ones to span at least the window hold at
most the priority's ceiling. Counting first and reading after makes concurrent callers safe with an
atomic `incr` (Redis; `kernel.cache.FileCache` embedded): two callers may both be refused near the
limit (harmless, they retry later), never both admitted above it. A bucket-rounded window counts a
little more history than Buffer's, never less.

Cache keys hold a keyed hash of the token (HMAC under SECRET_KEY), never the token.
"""

from __future__ import annotations

import contextlib
import enum
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache

from buffer_integration.exceptions import BufferBudgetExhausted
from kernel.crypto import keyed_hash

if TYPE_CHECKING:
    from buffer_integration.models import BufferConfig

KEY_PREFIX = "buffer-budget"


class Priority(enum.IntEnum):
    """Who is asking. Lower value = more important; lower priorities leave a reserve for higher ones.

    Calls a person is waiting for (connecting an account, validating a key, editing or deleting a post
    at Buffer) run at PUBLISH: they are few, and refusing them would only move the request later.
    """

    PUBLISH = 0
    RECONCILE = 1
    STATUS_SYNC = 2
    ANALYTICS = 3
    COMMENT_SYNC = 4


# The reserve table (one place): the share of EVERY window a priority must leave unused for the
# more important ones. A request is admitted while the window's count, itself included, stays
# <= floor(limit * (1 - reserve)). Polling (status sync, analytics, comments) never takes the last
# 40% of a day's budget, so a key busy polling still publishes; reconciling leaves 10% to publishing.
RESERVES: dict[Priority, float] = {
    Priority.PUBLISH: 0.0,
    Priority.RECONCILE: 0.10,
    Priority.STATUS_SYNC: 0.40,
    Priority.ANALYTICS: 0.50,
    Priority.COMMENT_SYNC: 0.60,
}


@dataclass(frozen=True)
class Window:
    name: str
    seconds: int
    bucket_seconds: int

    @property
    def buckets(self) -> int:
        """Current bucket + enough before it to cover the whole window (between W and W + 1 bucket)."""
        return math.ceil(self.seconds / self.bucket_seconds) + 1


WINDOWS: dict[str, Window] = {
    w.name: w
    for w in (
        Window("1m", 60, 5),  # v1
        Window("15m", 15 * 60, 60),
        Window("24h", 24 * 3600, 3600),
        Window("30d", 30 * 86400, 86400),
    )
}

# https://developers.buffer.com (reference README rule 5): requests per API key and window.
PLAN_LIMITS: dict[str, dict[str, int]] = {
    "free": {"15m": 100, "24h": 250, "30d": 3000},
    "essentials": {"15m": 100, "24h": 250, "30d": 7500},
    "team": {"15m": 100, "24h": 500, "30d": 15000},
}
SMALLEST_PLAN = "free"
# What one published post costs on average (createPost + its share of status sync): the day-capacity
# rule divides the daily budget by it. Issue 13's target is <= 1.2 including status sync.
REQUESTS_PER_POST = 1.2
# A 429 without a usable Retry-After still blocks the key for this long.
DEFAULT_BLOCK_SECONDS = 60.0

_clock: Callable[[], float] = time.time  # the bench may replace it with an accelerated clock


def key_id(token: str) -> str:
    """The key's identity in the cache: a keyed hash, so the cache never holds (or can test) tokens."""
    return keyed_hash(token or "", purpose="buffer-budget")


def limits_for(api: str, plan: str | None = None) -> dict[str, int]:
    """Requests allowed per window for a credential: {window name: limit}; an empty dict = no budget.

    `BUFFER_PLAN_LIMITS` (settings) overrides the table per plan; `BUFFER_BUDGET_SCALE` multiplies
    every GraphQL limit (load tests and accelerated clocks; 1 in production).
    """
    if api == "v1":
        per_minute = int(getattr(settings, "BUFFER_RATE_LIMIT_PER_MINUTE", 60))
        return {"1m": per_minute} if per_minute > 0 else {}
    table = {**PLAN_LIMITS, **(getattr(settings, "BUFFER_PLAN_LIMITS", None) or {})}
    limits = table.get(plan or SMALLEST_PLAN) or table[SMALLEST_PLAN]
    scale = float(getattr(settings, "BUFFER_BUDGET_SCALE", 1.0))
    return {name: max(1, int(limit * scale)) for name, limit in limits.items() if limit > 0}


def ceiling(limit: int, priority: Priority) -> int:
    """How much of a window `priority` may fill (its own request included)."""
    return math.floor(limit * (1 - RESERVES[Priority(priority)]) + 1e-9)


def posts_per_day(api: str, plan: str | None = None) -> int | None:
    """How many posts one key can publish in a day within its daily budget; None = no daily limit."""
    daily = limits_for(api, plan).get("24h")
    return None if daily is None else math.floor(daily / REQUESTS_PER_POST)


@dataclass(frozen=True)
class WindowUse:
    window: str
    seconds: int
    used: int
    limit: int
    refills_at: datetime | None  # when the oldest counted requests leave the window; None = nothing counted


class KeyBudget:
    """The budget of one API key, as used by a caller of one priority. Cheap to build; holds no token."""

    def __init__(
        self,
        token: str,
        *,
        api: str = "graphql",
        plan: str | None = None,
        priority: Priority = Priority.PUBLISH,
        limits: dict[str, int] | None = None,
    ):
        self.digest = key_id(token)
        self.limits = limits_for(api, plan) if limits is None else limits
        self.priority = Priority(priority)

    def __repr__(self) -> str:
        return f"KeyBudget({self.priority.name}, {self.limits})"

    # -- the gate ---------------------------------------------------------------------------------

    def admit(self, *, now: float | None = None) -> None:
        """Count one request about to be sent, or raise BufferBudgetExhausted (nothing counted)."""
        now = _clock() if now is None else now
        self._raise_if_blocked(now)
        if not self.limits:
            return
        plan = self._buckets(now)
        currents = [keys[0] for _, keys in plan]
        for key in currents:
            _increment(key, self._ttl_of(key))
        counts = cache.get_many([key for _, keys in plan for key in keys])
        refused: list[tuple[Window, int, int, list[str]]] = []
        for window, keys in plan:
            used = sum(int(counts.get(key) or 0) for key in keys)
            top = ceiling(self.limits[window.name], self.priority)
            if used > top:
                refused.append((window, used - 1, top, keys))
        if not refused:
            return
        for key in currents:  # a refused request is not sent, so it must not count
            _decrement(key)
        # The answer is the latest of the refusing windows' next room: earlier, another still refuses.
        retry_at, window, used = max(
            ((self._room_at(w, keys, counts, used, top, now), w, used) for w, used, top, keys in refused),
            key=lambda item: item[0],
        )
        reserve = RESERVES[self.priority]
        kept = f", {reserve:.0%} kept for more urgent requests" if reserve else ""
        raise BufferBudgetExhausted(
            f"This Buffer API key's request budget is used up for {self.priority.name.lower().replace('_', ' ')} "
            f"({used} of {self.limits[window.name]} requests in the last {window.name}{kept}); "
            f"room again at {_iso(retry_at)}.",
            retry_at=_dt(retry_at),
            window=window.name,
            priority=self.priority,
        )

    def record_rate_limited(
        self, retry_after: float | None, window: str | None = None, *, now: float | None = None
    ) -> None:
        """Buffer answered 429: nobody sends with this key before its Retry-After."""
        now = _clock() if now is None else now
        seconds = DEFAULT_BLOCK_SECONDS if retry_after is None else max(0.0, float(retry_after))
        until = now + seconds
        current = cache.get(self._block_key())
        if isinstance(current, dict) and float(current.get("until", 0)) >= until:
            return
        value = {"until": until, "window": window if window in WINDOWS else _longest(self.limits)}
        cache.set(self._block_key(), value, timeout=max(1, math.ceil(seconds) + 1))

    # -- reading ----------------------------------------------------------------------------------

    def usage(self, *, now: float | None = None) -> list[WindowUse]:
        now = _clock() if now is None else now
        plan = self._buckets(now)
        counts = cache.get_many([key for _, keys in plan for key in keys])
        found = []
        for window, keys in plan:
            used = sum(int(counts.get(key) or 0) for key in keys)
            oldest = next((i for i in reversed(range(len(keys))) if counts.get(keys[i])), None)
            refills = None
            if oldest is not None:
                bucket = int(now // window.bucket_seconds) - oldest
                refills = _dt((bucket + window.buckets) * window.bucket_seconds)
            found.append(WindowUse(window.name, window.seconds, used, self.limits[window.name], refills))
        return found

    def blocked_until(self, *, now: float | None = None) -> datetime | None:
        now = _clock() if now is None else now
        blocked = cache.get(self._block_key())
        if isinstance(blocked, dict) and float(blocked.get("until", 0)) > now:
            return _dt(float(blocked["until"]))
        return None

    def wait_seconds(self, *, now: float | None = None) -> float:
        """Seconds until this priority could send (0 = now), counting nothing."""
        now = _clock() if now is None else now
        blocked = self.blocked_until(now=now)
        if blocked is not None:
            return max(blocked.timestamp() - now, 0.05)
        plan = self._buckets(now)
        counts = cache.get_many([key for _, keys in plan for key in keys])
        wait = 0.0
        for window, keys in plan:
            used = sum(int(counts.get(key) or 0) for key in keys)
            top = ceiling(self.limits[window.name], self.priority)
            if used + 1 > top:
                wait = max(wait, self._room_at(window, keys, counts, used, top, now) - now, 0.05)
        return wait

    # -- internals --------------------------------------------------------------------------------

    def _raise_if_blocked(self, now: float) -> None:
        blocked = cache.get(self._block_key())
        if isinstance(blocked, dict) and float(blocked.get("until", 0)) > now:
            until = float(blocked["until"])
            raise BufferBudgetExhausted(
                f"Buffer answered 429 (too many requests) for this API key; no request is sent before {_iso(until)}.",
                retry_at=_dt(until),
                window=str(blocked.get("window") or "15m"),
                priority=self.priority,
            )

    def _buckets(self, now: float) -> list[tuple[Window, list[str]]]:
        plan = []
        for name in self.limits:
            window = WINDOWS[name]
            current = int(now // window.bucket_seconds)
            plan.append((window, [self._bucket_key(name, current - back) for back in range(window.buckets)]))
        return plan

    def _room_at(
        self, window: Window, keys: list[str], counts: dict[str, Any], used: int, top: int, now: float
    ) -> float:
        """When enough old buckets have left the window for one more request of this priority."""
        current = int(now // window.bucket_seconds)
        need = used + 1 - top  # requests that must leave the window first
        left = 0
        for back in reversed(range(len(keys))):
            left += int(counts.get(keys[back]) or 0)
            if left >= need:
                return float((current - back + window.buckets) * window.bucket_seconds)
        return now + window.seconds  # the ceiling is 0: this priority can never use the window

    def _bucket_key(self, window: str, bucket: int) -> str:
        return f"{KEY_PREFIX}:{self.digest}:{window}:{bucket}"

    def _block_key(self) -> str:
        return f"{KEY_PREFIX}:{self.digest}:blocked"

    @staticmethod
    def _ttl_of(key: str) -> int:
        window = WINDOWS[key.rsplit(":", 2)[1]]
        return (window.buckets + 1) * window.bucket_seconds


def _longest(limits: dict[str, int]) -> str:
    return max(limits, key=lambda name: WINDOWS[name].seconds) if limits else "15m"


def _dt(timestamp: float) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def _iso(timestamp: float) -> str:
    return _dt(timestamp).isoformat(timespec="seconds").replace("+00:00", "Z")


def _increment(key: str, ttl: int) -> None:
    # The key outlives the window it is counted in; a bucket that expires between add and incr
    # is simply recreated.
    cache.add(key, 0, timeout=ttl)
    try:
        cache.incr(key)
    except ValueError:
        cache.add(key, 1, timeout=ttl)


def _decrement(key: str) -> None:
    with contextlib.suppress(ValueError):
        cache.decr(key)


def budget_for_config(config: BufferConfig, *, priority: Priority = Priority.PUBLISH) -> KeyBudget:
    """The budget of a `BufferConfig`'s key (reads the token to hash it; never returns it)."""
    return KeyBudget(config.get_access_token(), api=config.api, plan=config.plan, priority=priority)


def config_report(config: BufferConfig, *, now: float | None = None) -> dict[str, Any] | None:
    """A `BufferConfig`'s budget as health, the accounts page, the config API and admin show it;
    None when its key cannot be read (no token, or FIELD_ENCRYPTION_KEYS lost it).

    Identified by config id and a label, never by the token or its hash.
    """
    from kernel.crypto import DecryptionError

    if not config.has_access_token:
        return None
    try:
        gate = budget_for_config(config)
    except DecryptionError:
        return None
    blocked = gate.blocked_until(now=now)
    return {
        "config_id": config.pk,
        "label": f"Buffer config #{config.pk} ({config.api}, {config.plan})",
        "api": config.api,
        "plan": config.plan,
        "blocked_until": blocked,
        "posts_per_day": posts_per_day(config.api, config.plan),
        "windows": [
            {
                "window": use.window,
                "seconds": use.seconds,
                "used": use.used,
                "limit": use.limit,
                "remaining": max(use.limit - use.used, 0),
                "refills_at": use.refills_at,
            }
            for use in gate.usage(now=now)
        ],
    }
