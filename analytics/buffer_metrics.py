"""Buffer's per-update `statistics` in our four metrics (plus clicks).

v1 names the numbers after each network (twitter: retweets/favorites/mentions; facebook:
likes/shares/comments; ...); GraphQL's `Post.metrics` uses cross-network names (reactions, reposts,
reach, impressions, views: developers.buffer.com/types/PostMetricType.md). The first key present wins;
a missing one counts as 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

_SOURCES: dict[str, tuple[str, ...]] = {
    "views": ("reach", "views", "impressions"),
    "likes": ("likes", "favorites", "reactions"),
    "shares": ("shares", "retweets", "reshares", "reposts"),
    "comments": ("comments", "replies", "mentions"),
}


@dataclass(frozen=True)
class BufferMetrics:
    views: int
    likes: int
    shares: int
    comments: int
    clicks: int | None


def _first(statistics: Mapping[str, object], keys: tuple[str, ...]) -> int | None:
    for key in keys:
        value = statistics.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return max(value, 0)
    return None


def metrics_from_buffer_statistics(statistics: Mapping[str, object]) -> BufferMetrics:
    counts = {name: _first(statistics, keys) or 0 for name, keys in _SOURCES.items()}
    return BufferMetrics(**counts, clicks=_first(statistics, ("clicks",)))
