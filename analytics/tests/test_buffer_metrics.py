"""Buffer's per-network statistics names mapped onto views/likes/shares/comments/clicks."""

from __future__ import annotations

import pytest

from analytics.buffer_metrics import BufferMetrics, metrics_from_buffer_statistics
from analytics.engagement import MAX_RATE, engagement_rate


def test_twitter_statistics():
    stats = {"reach": 1000, "clicks": 7, "retweets": 10, "favorites": 50, "mentions": 5}
    assert metrics_from_buffer_statistics(stats) == BufferMetrics(views=1000, likes=50, shares=10, comments=5, clicks=7)


def test_other_networks_statistics():
    stats = {"reach": 300, "clicks": 2, "likes": 9, "comments": 3, "shares": 1}
    assert metrics_from_buffer_statistics(stats) == BufferMetrics(views=300, likes=9, shares=1, comments=3, clicks=2)


@pytest.mark.parametrize(
    "stats, expected",
    [
        ({"views": 40}, {"views": 40}),
        ({"impressions": 41}, {"views": 41}),
        ({"reach": 5, "impressions": 99}, {"views": 5}),  # reach wins over the alternatives
        ({"reshares": 3}, {"shares": 3}),
        ({"replies": 4}, {"comments": 4}),
    ],
)
def test_alternative_names(stats, expected):
    metrics = metrics_from_buffer_statistics(stats)
    for name, value in expected.items():
        assert getattr(metrics, name) == value


def test_missing_and_junk_values_count_as_zero_and_clicks_stay_unknown():
    metrics = metrics_from_buffer_statistics({"reach": "lots", "likes": -3, "shares": True})
    assert metrics == BufferMetrics(views=0, likes=0, shares=0, comments=0, clicks=None)


@pytest.mark.parametrize(
    "counts, rate",
    [
        ((1000, 50, 10, 5), "6.50"),  # the seed's example
        ((0, 5, 0, 0), "0.00"),
        ((3, 1, 0, 0), "33.33"),
        ((3, 2, 0, 0), "66.67"),
        ((1, 10**12, 0, 0), str(MAX_RATE)),
    ],
)
def test_engagement_rate(counts, rate):
    views, likes, shares, comments = counts
    assert str(engagement_rate(views=views, likes=likes, shares=shares, comments=comments)) == rate
