"""When to try an HTTP request again: the Retry-After header, and the wait before the next attempt.

Pure stdlib: the Buffer client (`buffer_integration.backends.http`), the publishing engine
(`posts.engine.publish`) and the callback outbox (`publisher.outbox`) all use it, each with its own
numbers (its schedule, jitter and how a Retry-After combines with the schedule).
"""

from __future__ import annotations

import email.utils
import math
import random
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import StrEnum

# The jittered wait is the planned one times uniform(low, high).
FULL_JITTER = (0.0, 1.0)  # uniform(0, planned): retries of many clients spread out the most


class RetryAfter(StrEnum):
    """How a server's Retry-After combines with the planned (jittered) wait."""

    AT_LEAST = "at_least"  # never sooner than the server asked; later if the schedule says so
    EXACTLY = "exactly"  # the server's wish replaces the schedule


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date, RFC 9110 §10.2.3), at least 0;
    None when absent or unreadable. A date is measured from `now` (default: the current time)."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        seconds = (when - (now or datetime.now(tz=UTC))).total_seconds()
    if not math.isfinite(seconds):
        return None
    return max(0.0, seconds)


def exponential(*, base: float, maximum: float = math.inf) -> Callable[[int], float]:
    """A schedule: `base * 2**(n-1)` before retry n (1, 2, …), at most `maximum`."""
    return lambda attempts: min(maximum, base * 2 ** (attempts - 1))


def stepped(delays: Sequence[float]) -> Callable[[int], float]:
    """A schedule: `delays[n-1]` before retry n, the last step repeating."""
    return lambda attempts: delays[min(max(attempts, 1), len(delays)) - 1]


def retry_delay(
    attempts: int,
    *,
    schedule: Callable[[int], float],
    jitter: tuple[float, float] = FULL_JITTER,
    retry_after: float | None = None,
    retry_after_rule: RetryAfter = RetryAfter.AT_LEAST,
    rng: random.Random | None = None,
) -> float:
    """Seconds to wait before the next attempt, after `attempts` failed ones (1 = the first failed).

    The planned wait is `schedule(attempts)` times uniform(*jitter); a Retry-After (seconds) either
    sets a floor under it (AT_LEAST) or replaces it (EXACTLY).
    """
    if retry_after is not None and retry_after_rule == RetryAfter.EXACTLY:
        return retry_after
    low, high = jitter
    planned = schedule(attempts) * (rng or random).uniform(low, high)
    return max(planned, retry_after or 0.0)
