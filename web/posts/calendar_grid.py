"""The web calendar's shape: which days a month or week view covers, and its cells in rows and hour slots.

Pure over what `posts.selectors.calendar_for` returns, so the page costs the same queries whatever
the number of posts. Cells show a few chips each and count the rest: a month of 3,000 posts stays
a page of a few hundred chips.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from accounts.models import Platform
from posts.models import PostStatus

MONTH_CHIPS_PER_DAY = 4
WEEK_CHIPS_PER_SLOT = 3
VIEWS = ("month", "week")
_PLATFORM_LABELS = dict(Platform.choices)
_STATUS_LABELS = dict(PostStatus.choices)


@dataclass(frozen=True)
class CalendarRange:
    view: str
    anchor: dt.date
    start: dt.date
    end: dt.date
    previous: dt.date
    next: dt.date
    title: str


def calendar_range(*, view: str, anchor: dt.date) -> CalendarRange:
    """Month views show whole weeks (Monday first) around the month; week views Monday to Sunday."""
    if view == "week":
        start = anchor - dt.timedelta(days=anchor.weekday())
        end = start + dt.timedelta(days=6)
        title = f"{start:%d %b} \N{EN DASH} {end:%d %b %Y}"
        if start.year != end.year:
            title = f"{start:%d %b %Y} \N{EN DASH} {end:%d %b %Y}"
        return CalendarRange(
            view, anchor, start, end, anchor - dt.timedelta(days=7), anchor + dt.timedelta(days=7), title
        )
    first = anchor.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    start = first - dt.timedelta(days=first.weekday())
    end = last + dt.timedelta(days=6 - last.weekday())
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = last + dt.timedelta(days=1)
    return CalendarRange(view, anchor, start, end, previous, following, f"{first:%B %Y}")


@dataclass
class Chip:
    id: int
    platform: str
    platform_label: str
    status: str
    status_label: str
    local_time: dt.datetime
    content: str
    account: str
    campaign: str
    from_publisher: bool
    in_buffer_queue: bool = False
    rejected: bool = False


@dataclass
class Cell:
    date: dt.date
    hour: int | None = None
    chips: list[Chip] = field(default_factory=list)
    more: int = 0
    in_month: bool = True
    is_today: bool = False
    is_past: bool = False

    @property
    def is_empty(self) -> bool:
        return not self.chips

    @property
    def slot_value(self) -> str:
        """The cell's start as a datetime-local value: the composer's default and the drop target's time."""
        hour = 9 if self.hour is None else self.hour
        return f"{self.date.isoformat()}T{hour:02d}:00"


def _chip(row: dict, *, accounts: dict[int, str], campaigns: dict[int, str], publisher_ids: set[int]) -> Chip:
    return Chip(
        id=row["id"],
        platform=row["platform"],
        platform_label=_PLATFORM_LABELS.get(row["platform"], row["platform"]),
        status=row["status"],
        status_label=_STATUS_LABELS.get(row["status"], row["status"]),
        local_time=dt.datetime.fromisoformat(row["scheduled_time"]),
        # The chip shows a line of text; the full post is one click away.
        content=row["content"][:80],
        account=accounts.get(row["social_account_id"], ""),
        campaign=campaigns.get(row["campaign_id"], "") if row["campaign_id"] else "",
        from_publisher=row["id"] in publisher_ids,
        in_buffer_queue=row["in_buffer_queue"],
        rejected=row["rejected"],
    )


def _fill(cell: Cell, rows: list[dict], limit: int, **lookups) -> Cell:
    cell.chips = [_chip(row, **lookups) for row in rows[:limit]]
    cell.more = max(len(rows) - limit, 0)
    return cell


def month_weeks(*, days: list[dict], rng: CalendarRange, now: dt.datetime, **lookups) -> list[list[Cell]]:
    """Rows of seven day cells. `lookups` name accounts and campaigns and mark publisher posts."""
    today = now.date()
    cells = []
    for entry in days:
        date = dt.date.fromisoformat(entry["date"])
        cell = Cell(date=date, in_month=date.month == rng.anchor.month, is_today=date == today, is_past=date < today)
        cells.append(_fill(cell, entry["posts"], MONTH_CHIPS_PER_DAY, **lookups))
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def week_columns(*, days: list[dict], now: dt.datetime, **lookups) -> list[dict]:
    """Seven columns of 24 hour slots, in the user's local hours."""
    columns = []
    for entry in days:
        date = dt.date.fromisoformat(entry["date"])
        by_hour: dict[int, list[dict]] = {}
        for row in entry["posts"]:
            by_hour.setdefault(dt.datetime.fromisoformat(row["scheduled_time"]).hour, []).append(row)
        slots = []
        for hour in range(24):
            slot_end = dt.datetime.combine(date, dt.time(hour), tzinfo=now.tzinfo) + dt.timedelta(hours=1)
            cell = Cell(date=date, hour=hour, is_past=slot_end <= now)
            slots.append(_fill(cell, by_hour.get(hour, []), WEEK_CHIPS_PER_SLOT, **lookups))
        columns.append({"date": date, "is_today": date == now.date(), "slots": slots, "total": entry["total"]})
    return columns
