"""Engagement rate: (likes + shares + comments) / views x 100, rounded to cents of a percent."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
# The tolerance a caller-supplied rate may differ from ours by: clients round differently.
TOLERANCE = Decimal("0.01")
# The largest value PostAnalytics.engagement_rate (9 digits, 2 decimals) can hold.
MAX_RATE = Decimal("9999999.99")


def engagement_rate(*, views: int, likes: int, shares: int, comments: int) -> Decimal:
    """0 without views (nothing was seen, so nothing can be a share of it)."""
    if not views:
        return Decimal("0.00")
    rate = (Decimal(likes + shares + comments) * 100 / Decimal(views)).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(rate, MAX_RATE)


def is_consistent(given: Decimal, computed: Decimal) -> bool:
    return abs(given - computed) <= TOLERANCE
