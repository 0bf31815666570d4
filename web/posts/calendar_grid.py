"""The web calendar's shape: which days a month, week or list view covers, its cells in rows and hour slots.

Pure over what `posts.selectors.calendar_page_for` (or `calendar_for`) returns, so the page costs the
same queries whatever the number of posts. Cells show a few chips each and count the rest: a month of 3,000 posts stays
a page of a few hundred chips.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from web.posts.calendar_chips import LOOKS, Chip, Look, chips_for, look_rank, row_look

MONTH_CHIPS_PER_DAY = 4
WEEK_CHIPS_PER_SLOT = 3
LIST_CHIPS_PER_DAY = 50
VIEWS = ("month", "week", "day", "list")
# The week view starts at the first hour with posts, or at this hour when that is later (or there are none).
WEEK_START_HOUR = 7


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
    """Month views show whole weeks (Monday first) around the month; week views Monday to Sunday; lists the month."""
    if view == "day":
        one = dt.timedelta(days=1)
        return CalendarRange(view, anchor, anchor, anchor, anchor - one, anchor + one, f"{anchor:%A %d %B %Y}")
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
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = last + dt.timedelta(days=1)
    if view == "list":  # the month's days themselves, no surrounding weeks
        return CalendarRange(view, anchor, first, last, previous, following, f"{first:%B %Y}")
    start = first - dt.timedelta(days=first.weekday())
    end = last + dt.timedelta(days=6 - last.weekday())
    return CalendarRange(view, anchor, start, end, previous, following, f"{first:%B %Y}")


@dataclass
class Cell:
    date: dt.date
    hour: int | None = None
    chips: list[Chip] = field(default_factory=list)
    more: int = 0
    in_month: bool = True
    is_today: bool = False
    is_past: bool = False
    total: int = 0  # posts (deliveries), not chips: the day's count
    counts: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.chips

    @property
    def slot_value(self) -> str:
        """The cell's start as a datetime-local value: the composer's default and the drop target's time."""
        hour = 9 if self.hour is None else self.hour
        return f"{self.date.isoformat()}T{hour:02d}:00"


def _fill(cell: Cell, rows: list[dict], limit: int, **lookups) -> Cell:
    chips = chips_for(rows, **lookups)
    cell.chips = chips[:limit]
    cell.more = max(len(chips) - limit, 0)
    cell.total = len(rows)
    cell.counts = _counts(rows)
    return cell


def _counts(rows: list[dict]) -> str:
    """The day's posts by look, in words (the day count's tooltip): "2 Scheduled, 1 Failed"."""
    tally: dict[str, int] = {}
    for row in rows:
        key = row_look(row).key
        tally[key] = tally.get(key, 0) + 1
    return ", ".join(f"{tally[key]} {LOOKS[key].legend_label}" for key in sorted(tally, key=look_rank))


def month_weeks(*, days: list[dict], rng: CalendarRange, now: dt.datetime, **lookups) -> list[list[Cell]]:
    """Rows of seven day cells. `lookups` name accounts and campaigns and mark publisher posts."""
    today = now.date()
    cells = []
    for entry in days:
        date = dt.date.fromisoformat(entry["date"])
        cell = Cell(date=date, in_month=date.month == rng.anchor.month, is_today=date == today, is_past=date < today)
        cells.append(_fill(cell, entry["posts"], MONTH_CHIPS_PER_DAY, **lookups))
    return [cells[i : i + 7] for i in range(0, len(cells), 7)]


def week_start_hour(days: list[dict]) -> int:
    """The first local hour with a post in the range, or WEEK_START_HOUR if that is earlier (or none)."""
    hours = [dt.datetime.fromisoformat(row["scheduled_time"]).hour for entry in days for row in entry["posts"]]
    return min([WEEK_START_HOUR, *hours])


def week_columns(*, days: list[dict], now: dt.datetime, first_hour: int = 0, **lookups) -> list[dict]:
    """A column of hour slots from `first_hour` to 23 per day (seven, or one in the day view), in local hours."""
    columns = []
    for entry in days:
        date = dt.date.fromisoformat(entry["date"])
        by_hour: dict[int, list[dict]] = {}
        for row in entry["posts"]:
            by_hour.setdefault(dt.datetime.fromisoformat(row["scheduled_time"]).hour, []).append(row)
        slots = []
        for hour in range(first_hour, 24):
            slot_end = dt.datetime.combine(date, dt.time(hour), tzinfo=now.tzinfo) + dt.timedelta(hours=1)
            cell = Cell(date=date, hour=hour, is_past=slot_end <= now)
            slots.append(_fill(cell, by_hour.get(hour, []), WEEK_CHIPS_PER_SLOT, **lookups))
        columns.append({"date": date, "is_today": date == now.date(), "slots": slots, "total": entry["total"]})
    return columns


def list_days(*, days: list[dict], now: dt.datetime, **lookups) -> list[Cell]:
    """The range's days that have posts (and today, to say it has none), each with its chips."""
    today = now.date()
    cells = []
    for entry in days:
        date = dt.date.fromisoformat(entry["date"])
        if entry["posts"] or date == today:
            cell = Cell(date=date, is_today=date == today, is_past=date < today)
            cells.append(_fill(cell, entry["posts"], LIST_CHIPS_PER_DAY, **lookups))
    return cells


def legend() -> list[Look]:
    """Every look a chip can have, most urgent first: the calendar's legend."""
    return list(LOOKS.values())
