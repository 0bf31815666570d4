"""Posting-schedule arithmetic and Buffer's display strings for due times.

Queued updates take the profile's next free schedule slots, computed in the profile's timezone
(Buffer's model), and Buffer describes each one with `day` ("Today", "Monday 7th November") and
`due_time` ("6:13 am") as seen by the profile.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from buffer_sandbox.errors import ApiError

DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
DEFAULT_SCHEDULES = [{"days": list(DAYS), "times": ["09:00", "12:00", "17:00"]}]
_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


def tzinfo(name: str):
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def next_slots(schedules: list[dict], tz_name: str, now: int, count: int) -> list[int]:
    """The first `count` slot times strictly after `now`; fewer (possibly none) if there are no slots."""
    tz = tzinfo(tz_name)
    by_day: dict[int, set[time]] = {}
    for sched in schedules:
        times = {_parse_time(t) for t in sched.get("times", [])}
        for day in sched.get("days", []):
            if day in DAYS:
                by_day.setdefault(DAYS.index(day), set()).update(times)
    if count <= 0 or not any(by_day.values()):
        return []
    slots: list[int] = []
    date = datetime.fromtimestamp(now, tz).date()
    while len(slots) < count:
        for t in sorted(by_day.get(date.weekday(), ())):
            ts = int(datetime.combine(date, t, tzinfo=tz).timestamp())
            if ts > now:
                slots.append(ts)
                if len(slots) == count:
                    break
        date += timedelta(days=1)
    return slots


def _parse_time(value: str) -> time:
    match = _TIME.match(value.strip())
    if not match:
        raise ApiError(1006, f"Invalid schedule time {value!r}; use HH:MM (24h).")
    return time(int(match.group(1)), int(match.group(2)))


def validate_schedules(raw: object) -> list[dict]:
    """Normalise `schedules[i][days][]` / `schedules[i][times][]` into Buffer's schedule objects."""
    if not isinstance(raw, list) or not raw:
        raise ApiError(1004, "Required parameter missing: schedules.")
    result = []
    for item in raw:
        if not isinstance(item, dict):
            raise ApiError(1006, "Each schedule needs days[] and times[].")
        days = item.get("days") or []
        times = item.get("times") or []
        days = days if isinstance(days, list) else [days]
        times = times if isinstance(times, list) else [times]
        bad = [d for d in days if d not in DAYS]
        if bad:
            raise ApiError(1006, f"Invalid schedule day(s) {bad}; use mon..sun.")
        normalised = [_parse_time(t).strftime("%H:%M") for t in times]
        result.append({"days": list(days), "times": normalised})
    return result


def parse_timestamp(value: str) -> int:
    """`scheduled_at`: unix seconds or ISO-8601; ISO without an offset is UTC (reference §3.1)."""
    text = str(value).strip()
    try:
        return int(float(text))
    except ValueError:
        pass
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        raise ApiError(1006, f"Invalid scheduled_at {value!r}; use unix seconds or ISO-8601.") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return int(parsed.timestamp())


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def describe_due(due_at: int, now: int, tz_name: str) -> tuple[str, str]:
    """(`day`, `due_time`) as Buffer shows them; unscheduled updates get Buffer's placeholders."""
    if not due_at:
        return "No scheduled days or times", "-"
    tz = tzinfo(tz_name)
    due = datetime.fromtimestamp(due_at, tz)
    today = datetime.fromtimestamp(now, tz).date()
    if due.date() == today:
        day = "Today"
    elif due.date() == today + timedelta(days=1):
        day = "Tomorrow"
    else:
        day = f"{due:%A} {_ordinal(due.day)} {due:%B}"
    hour = due.hour % 12 or 12
    return day, f"{hour}:{due.minute:02d} {'am' if due.hour < 12 else 'pm'}"
