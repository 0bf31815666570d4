"""Geometry of the small server-rendered SVG charts (a post's snapshots, a campaign's days).

Two series on two scales, since views dwarf engagements: the first on the left axis (bars or a
line), the second as a dashed line on the right axis. Templates draw what this computes.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.utils import timezone

from web.common import format_date, format_datetime

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 48, 12, 30
MAX_X_LABELS = 8


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


def _nice_ceiling(value: float) -> float:
    """1, 2 or 5 times a power of ten, at least `value`, so axis ticks are round numbers."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _ticks(top: float) -> list[dict]:
    plot = HEIGHT - TOP - BOTTOM
    return [{"y": round(TOP + plot * (1 - share), 1), "label": f"{top * share:,.0f}"} for share in (0, 0.5, 1)]


def _points(xs: list[float], ys: list[float]) -> str:
    return " ".join(f"{x:.1f},{y}" for x, y in zip(xs, ys, strict=True))


def chart(*, labels: list[str], first: Series, second: Series, bars: bool) -> dict | None:
    if not labels:
        return None
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / len(labels)
    xs = [LEFT + step * (i + 0.5) for i in range(len(labels))]
    top1 = _nice_ceiling(max(first.values, default=0))
    top2 = _nice_ceiling(max(second.values, default=0))

    def y(value: float, top: float) -> float:
        return round(TOP + plot_h * (1 - value / top), 1)

    # As many x labels as fit side by side (about 6.5 px a character at the chart's 11 px font).
    fitting = max(1, int(plot_w // (max(map(len, labels)) * 6.5 + 12)))
    every = math.ceil(len(labels) / min(MAX_X_LABELS, fitting))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "base_y": TOP + plot_h,
        "left": LEFT,
        "right_x": WIDTH - RIGHT,
        "first": first.name,
        "second": second.name,
        "bars": [
            {
                "x": round(x - step * 0.35, 1),
                "y": y(v, top1),
                "w": round(step * 0.7, 1),
                "h": round(TOP + plot_h - y(v, top1), 1),
                "title": f"{label}: {v:,.0f} {first.name}, {w:,.0f} {second.name}",
            }
            for x, v, w, label in zip(xs, first.values, second.values, labels, strict=True)
        ]
        if bars
        else [],
        "first_points": "" if bars else _points(xs, [y(v, top1) for v in first.values]),
        "second_points": _points(xs, [y(v, top2) for v in second.values]),
        # A marker on every value, so a single snapshot (a line of one point, which draws nothing) shows.
        "first_dots": []
        if bars
        else [
            {"x": round(x, 1), "y": y(v, top1), "title": f"{label}: {v:,.0f} {first.name}"}
            for x, v, label in zip(xs, first.values, labels, strict=True)
        ],
        "dots": [
            {"x": round(x, 1), "y": y(v, top2), "title": f"{label}: {v:,.0f} {second.name}"}
            for x, v, label in zip(xs, second.values, labels, strict=True)
        ],
        "left_ticks": _ticks(top1),
        "right_ticks": _ticks(top2),
        "x_labels": [
            {"x": round(x, 1), "label": label}
            for i, (x, label) in enumerate(zip(xs, labels, strict=True))
            if i % every == 0
        ],
    }


def snapshot_chart(snapshots: list, *, tz: dt.tzinfo) -> dict | None:
    """A post's views (line, left) and engagements (dashed, right) at each snapshot."""
    with timezone.override(tz):
        labels = [format_datetime(s.recorded_at) for s in snapshots]
    return chart(
        labels=labels,
        first=Series("views", [s.views for s in snapshots]),
        second=Series("engagements", [s.likes + s.shares + s.comments for s in snapshots]),
        bars=False,
    )


def campaign_day_chart(by_day: list[dict]) -> dict | None:
    """A campaign's views per day (bars, left) and engagements (dashed, right)."""
    return chart(
        labels=[format_date(row["date"]) for row in by_day],
        first=Series("views", [row["views"] for row in by_day]),
        second=Series("engagements", [row["likes"] + row["shares"] + row["comments"] for row in by_day]),
        bars=True,
    )
