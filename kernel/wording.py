"""Small helpers for sentences shown to people (API `detail`s, pages)."""

from __future__ import annotations

import math


def count_of(count: int, singular: str, plural: str | None = None) -> str:
    """`1 second`, `2 seconds`: the noun agrees with the number."""
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def retry_after_seconds(wait: float) -> int:
    """Whole seconds to wait, rounded up so a client that waits that long is let in (at least 1)."""
    return max(1, math.ceil(wait))


def one_line(text: str, limit: int) -> str:
    """`text` on one line (runs of whitespace become one space), cut to `limit` characters with `…`."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
