"""Deprecated: the per-token throttle is now `buffer_integration.budget`, enforced inside the backends.

Every request a backend from `get_backend` sends is counted (or refused with
`BufferBudgetExhausted`) by the key's budget, so callers no longer count anything themselves.
`acquire` remains only for callers written before the budget: it counts NOTHING (the backend's
request will) and answers how long until a publish-priority request would be admitted, judged by
v1's minute window or the smallest GraphQL plan's windows (it does not know the key's API or plan).
Remove the calls: catch `BufferBudgetExhausted` and defer to its `retry_at` instead.
"""

from __future__ import annotations

from buffer_integration.budget import KeyBudget, Priority, key_id, limits_for


def token_key(token: str) -> str:
    return key_id(token)


def acquire(token: str, *, now: float | None = None) -> float:
    """0.0 = a publish request would be admitted now; else seconds to wait. Counts nothing."""
    limits = {**limits_for("v1"), **limits_for("graphql")}
    return KeyBudget(token, limits=limits, priority=Priority.PUBLISH).wait_seconds(now=now)
