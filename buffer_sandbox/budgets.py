"""Buffer's GraphQL request budgets: three rolling windows per API key, sized by the account's plan.

Buffer counts every request of a key, whatever organization it is for, against 15 minutes, 24 hours
and 30 days at once; the first window that is full answers 429 `RATE_LIMIT_EXCEEDED` naming it, with
the wait in a `Retry-After` header (developers.buffer.com/guides/api-limits.html, reference README
rule 5). Windows run on the sandbox clock, so a test jumps a day instead of waiting one. The plan is
per token (admin `POST /__sandbox/tokens/plan`), and the per-token counters feed `/__sandbox/stats`
so a test can compare what reached "Buffer" with what our own budget recorded.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, field

from buffer_sandbox.errors import AdminError

# (name, seconds), tightest first: the order 429s are decided in.
WINDOWS: list[tuple[str, int]] = [("15m", 15 * 60), ("24h", 24 * 3600), ("30d", 30 * 24 * 3600)]
# Requests per window by plan: 100 / 15 min for everyone; 250 / 24 h on Free and Essentials, 500 on
# Team; 3,000 / 7,500 / 15,000 per 30 days (reference README rule 5).
PLANS: dict[str, dict[str, int]] = {
    "free": {"15m": 100, "24h": 250, "30d": 3000},
    "essentials": {"15m": 100, "24h": 250, "30d": 7500},
    "team": {"15m": 100, "24h": 500, "30d": 15000},
}
DEFAULT_PLAN = "free"


@dataclass
class TokenBudget:
    plan: str = DEFAULT_PLAN
    overrides: dict[str, int] = field(default_factory=dict)  # test knob: e.g. {"30d": 5}
    hits: dict[str, deque[int]] = field(default_factory=lambda: {name: deque() for name, _ in WINDOWS})
    requests: int = 0  # every authenticated GraphQL request that reached the sandbox, refused or not
    rate_limited: int = 0

    def limits(self, fifteen_minutes: int) -> dict[str, int]:
        """The plan's figures; `fifteen_minutes` is the `graphql_rate_limit` fault knob (Buffer's 100)."""
        return {**PLANS[self.plan], "15m": fifteen_minutes, **self.overrides}


class Budgets:
    """Per-token windows. `graphql_rate_limit` = 0 (the test default) turns all three off."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.tokens: dict[str, TokenBudget] = {}

    def reset(self) -> None:
        with self.lock:
            self.tokens.clear()

    def _budget(self, token: str) -> TokenBudget:
        return self.tokens.setdefault(token, TokenBudget())

    def set_plan(self, token: str, plan: str, overrides: dict | None = None) -> dict:
        if plan not in PLANS:
            raise AdminError(400, f"plan must be one of {', '.join(PLANS)}.")
        clean: dict[str, int] = {}
        for name, value in (overrides or {}).items():
            if name not in PLANS[plan] or isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise AdminError(400, f"limits.{name} must be a window (15m, 24h, 30d) with a positive integer.")
            clean[name] = value
        with self.lock:
            budget = self._budget(token)
            budget.plan, budget.overrides = plan, clean
        return {"token": token, "plan": plan, "limits": {**PLANS[plan], **clean}}

    def check(self, token: str, now: int, fifteen_minutes: int) -> tuple[str, int, int] | None:
        """Count one request; None if allowed, else (window, its limit, seconds to wait).
        A refused request takes nothing from any window, so `Retry-After` tells the truth. With the
        limits off the windows still count, so `/__sandbox/stats` shows the use either way."""
        with self.lock:
            budget = self._budget(token)
            budget.requests += 1
            for name, seconds in WINDOWS:
                hits = budget.hits[name]
                while hits and (hits[0] <= now - seconds or hits[0] > now + seconds):
                    hits.popleft()  # expired, or left over from a clock moved backwards
            if fifteen_minutes > 0:
                limits = budget.limits(fifteen_minutes)
                for name, seconds in WINDOWS:
                    hits = budget.hits[name]
                    if len(hits) >= limits[name]:
                        budget.rate_limited += 1
                        return name, limits[name], max(1, math.ceil(hits[0] + seconds - now))
            for name, _ in WINDOWS:
                budget.hits[name].append(now)
            return None

    def headers(self, token: str, now: int, fifteen_minutes: int) -> dict[str, str]:
        """`RateLimit` / `RateLimit-Policy` (IETF draft) and the legacy `X-RateLimit-*` for the
        window with the least room left."""
        if fifteen_minutes <= 0:
            return {}
        with self.lock:
            budget = self._budget(token)
            limits = budget.limits(fifteen_minutes)
            room = []
            for name, seconds in WINDOWS:
                hits = [h for h in budget.hits[name] if now - seconds < h <= now + seconds]
                reset = max(0, math.ceil(hits[0] + seconds - now)) if hits else 0
                room.append((limits[name] - len(hits), name, limits[name], reset))
        remaining, name, limit, reset = min(room)
        policy = ", ".join(f'"{n}";q={limits[n]};w={s}' for n, s in WINDOWS)
        return {
            "RateLimit": f'"{name}";r={max(0, remaining)};t={reset}',
            "RateLimit-Policy": policy,
            "X-RateLimit-Limit": str(limit),
            "X-RateLimit-Remaining": str(max(0, remaining)),
            "X-RateLimit-Reset": str(now + reset),
        }

    def as_dict(self, now: int, fifteen_minutes: int) -> dict[str, dict]:
        """Per token: plan, whether limits are on (`graphql_rate_limit` > 0), the limits, requests seen,
        429s given, and what each window holds now."""
        with self.lock:
            out = {}
            for token, budget in self.tokens.items():
                used = {
                    name: sum(1 for h in budget.hits[name] if now - seconds < h <= now + seconds)
                    for name, seconds in WINDOWS
                }
                out[token] = {
                    "plan": budget.plan,
                    "enforced": fifteen_minutes > 0,
                    "limits": budget.limits(fifteen_minutes or PLANS[budget.plan]["15m"]),
                    "requests": budget.requests,
                    "rate_limited": budget.rate_limited,
                    "windows": used,
                }
            return out
