"""Fault injection, the per-token rate limiter and the request counters.

The product must survive Buffer being slow, flaky, rate limited or down — and, worst of all,
applying a write whose response is lost (`error_after_write`). These knobs make each of those
reproducible: the random draws come from a seeded RNG, so a given seed and request sequence always
fail the same requests.
"""

from __future__ import annotations

import math
import random
import threading
from collections import Counter, deque
from dataclasses import asdict, dataclass, fields
from typing import Any

from buffer_sandbox.errors import AdminError


@dataclass
class Faults:
    latency_ms: int = 0
    error_rate: float = 0.0
    error_after_write: bool = False
    rate_limit_rate: float = 0.0
    down: bool = False
    seed: int | None = None
    rate_limit_per_minute: int = 60
    # GraphQL (/graphql): requests per client per rolling 15 minutes (Buffer: 100), and createPost
    # calls per channel per sandbox day before LimitReachedError; 0 turns either off.
    graphql_rate_limit: int = 100
    graphql_daily_post_limit: int = 0
    # GraphQL only: the share of requests answered `UNEXPECTED` over HTTP 200 (Buffer's own server
    # failure, README rule 4), and whether a mutation so answered was applied first.
    unexpected_rate: float = 0.0
    unexpected_after_write: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def merged(self, changes: dict[str, Any]) -> Faults:
        """A copy with `changes` applied; unknown keys or bad values raise AdminError(400)."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise AdminError(400, f"Unknown fault setting(s): {', '.join(unknown)}.")
        values = self.as_dict()
        for key, raw in changes.items():
            values[key] = _coerce(key, raw)
        return Faults(**values)


def _coerce(key: str, raw: Any) -> Any:
    try:
        if key in ("down", "error_after_write", "unexpected_after_write"):
            if not isinstance(raw, bool):
                raise ValueError
            return raw
        if key == "seed":
            return None if raw is None else int(raw)
        if key in ("latency_ms", "rate_limit_per_minute", "graphql_rate_limit", "graphql_daily_post_limit"):
            value = int(raw)
            if value < 0 or isinstance(raw, bool):
                raise ValueError
            return value
        rate = float(raw)
        if not 0.0 <= rate <= 1.0 or isinstance(raw, bool):
            raise ValueError
        return rate
    except (TypeError, ValueError):
        raise AdminError(400, f"Invalid value for {key}: {raw!r}.") from None


class FaultInjector:
    """Holds the live fault settings and the seeded RNG that decides which requests fail."""

    def __init__(self, initial: Faults):
        self.initial = initial
        self.lock = threading.Lock()
        self.faults = initial
        self.rng = random.Random(initial.seed)

    def update(self, changes: dict[str, Any]) -> Faults:
        with self.lock:
            self.faults = self.faults.merged(changes)
            if "seed" in changes:
                self.rng = random.Random(self.faults.seed)
            return self.faults

    def reset(self) -> None:
        """Back to what the server was started with (all off, unless CLI flags said otherwise)."""
        with self.lock:
            self.faults = self.initial
            self.rng = random.Random(self.initial.seed)

    def draw(self) -> tuple[bool, bool]:
        """(inject 429, inject 500) for one request; always two draws, so outcomes depend only on the seed."""
        with self.lock:
            limited, failed = self.rng.random(), self.rng.random()
            return limited < self.faults.rate_limit_rate, failed < self.faults.error_rate

    def draw_unexpected(self) -> bool:
        """A third draw, made only while `unexpected_rate` is on, so older seeds keep their sequences."""
        with self.lock:
            return self.faults.unexpected_rate > 0 and self.rng.random() < self.faults.unexpected_rate


class RateLimiter:
    """Buffer's documented limit: N authenticated requests per user per rolling 60 s (reference §8).

    Runs on the sandbox clock, so a test can jump past the window instead of waiting a minute.
    Rejected requests are not counted, so `Retry-After` tells the truth.
    """

    WINDOW = 60

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.hits: dict[str, deque[float]] = {}

    def check(self, key: str, limit: int, now: float, window: int | None = None) -> int | None:
        """Record a request; returns None if allowed, else the seconds to wait. `window` defaults to 60 s."""
        if limit <= 0:
            return None
        window = window or self.WINDOW
        with self.lock:
            hits = self.hits.setdefault(key, deque())
            while hits and (hits[0] <= now - window or hits[0] > now + window):
                hits.popleft()  # expired, or left over from a clock moved backwards
            if len(hits) >= limit:
                return max(1, math.ceil(hits[0] + window - now))
            hits.append(now)
            return None

    def reset(self) -> None:
        with self.lock:
            self.hits.clear()


class Stats:
    """What tests assert on: how many requests, writes and refusals the sandbox saw."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self.requests = 0
        self.rate_limited = 0
        self.faults_injected = 0
        self.creates_by_text: Counter[str] = Counter()
        self.creates_by_profile: Counter[str] = Counter()

    def bump(self, name: str) -> None:
        with self.lock:
            setattr(self, name, getattr(self, name) + 1)

    def record_creates(self, updates: list[dict]) -> None:
        with self.lock:
            for update in updates:
                self.creates_by_text[update["text"]] += 1
                self.creates_by_profile[update["profile_id"]] += 1

    def as_dict(self) -> dict[str, Any]:
        with self.lock:
            return {
                "requests": self.requests,
                "creates": sum(self.creates_by_profile.values()),
                "creates_by_text": dict(self.creates_by_text),
                "creates_by_profile": dict(self.creates_by_profile),
                "rate_limited": self.rate_limited,
                "faults_injected": self.faults_injected,
            }
