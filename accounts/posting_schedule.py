"""A social account's posting schedule: the queue's time slots, as local times per weekday, and paused days.

Buffer's model (`Channel.postingSchedule`, one `ScheduleV2 {day, times: ["HH:MM"], paused}` per weekday:
../shared/reference/buffer-graphql/schema.graphql): times are wall-clock times in the account's timezone, a
paused day keeps its times but posts nothing. Stored on the account as JSON of one shape,

    {"days": {"mon": ["09:00", "17:30"], "tue": [], ..., "sun": []}, "paused_days": ["sun"]}

(every day present, times sorted and unique), read with `PostingSchedule.from_json` and written with
`to_json`. `clean_schedule` is the one validation of input (API, pages, admin); slots in time are
`posts.queueing`'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import SocialAccount, known_timezone
from kernel.errors import ErrorTree, InvalidInput

if TYPE_CHECKING:
    from buffer_integration.backends.base import BufferProfile

DAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")  # index = date.weekday()
DAY_NAMES = dict(zip(DAYS, ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"), strict=True))
MAX_TIMES_PER_DAY = 48  # one every half hour: more is a typo, not a plan
_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
TIME_FORMAT = "use HH:MM, 24-hour (e.g. 09:30)"


@dataclass(frozen=True)
class PostingSchedule:
    """Local times per weekday (`DAYS` order), and the days that are paused (their times kept)."""

    times: tuple[tuple[time, ...], ...] = ((),) * 7
    paused_days: frozenset[str] = frozenset()

    def times_on(self, weekday: int) -> tuple[time, ...]:
        """The slots of a weekday (0 = Monday); none on a paused day."""
        return () if DAYS[weekday] in self.paused_days else self.times[weekday]

    @property
    def is_empty(self) -> bool:
        """No slot in any week: every day without times, or paused."""
        return not any(self.times_on(weekday) for weekday in range(7))

    def to_json(self) -> dict[str, Any]:
        return {
            "days": {day: [t.strftime("%H:%M") for t in times] for day, times in zip(DAYS, self.times, strict=True)},
            "paused_days": [day for day in DAYS if day in self.paused_days],
        }

    @classmethod
    def from_json(cls, data: Any) -> PostingSchedule:
        """What the account stores; anything unreadable in it (never written by this module) is left out."""
        data = data if isinstance(data, Mapping) else {}
        days = data.get("days") if isinstance(data.get("days"), Mapping) else {}
        paused = data.get("paused_days") if isinstance(data.get("paused_days"), list) else []
        return cls(
            times=tuple(_readable_times(days.get(day)) for day in DAYS),
            paused_days=frozenset(day for day in paused if day in DAYS),
        )


def schedule_summary(schedule: PostingSchedule) -> str:
    """One line for lists: "Mon-Fri 09:00, 13:00 · Sat 10:00 (paused)"; days with the same times together."""
    groups: list[tuple[list[str], tuple[time, ...], bool]] = []
    for day, times in zip(DAYS, schedule.times, strict=True):
        paused = day in schedule.paused_days
        if not times:
            continue
        if (
            groups
            and groups[-1][1] == times
            and groups[-1][2] == paused
            and DAYS.index(groups[-1][0][-1]) + 1 == DAYS.index(day)
        ):
            groups[-1][0].append(day)
        else:
            groups.append(([day], times, paused))
    parts = []
    for days, times, paused in groups:
        named = DAY_NAMES[days[0]][:3] + (f"-{DAY_NAMES[days[-1]][:3]}" if len(days) > 1 else "")
        parts.append(f"{named} {', '.join(t.strftime('%H:%M') for t in times)}{' (paused)' if paused else ''}")
    return " · ".join(parts) or "No time slots"


def _readable_times(values: Any) -> tuple[time, ...]:
    parsed = (_parse_time(v) for v in (values if isinstance(values, list) else []))
    return tuple(sorted({t for t in parsed if t is not None}))


def _parse_time(value: Any) -> time | None:
    match = _HHMM.match(value) if isinstance(value, str) else None
    return time(int(match.group(1)), int(match.group(2))) if match else None


def clean_schedule(data: Any) -> PostingSchedule:
    """Validate input `{"days": {day: ["HH:MM", ...]}, "paused_days": [day, ...]}`; InvalidInput (400) with
    per-field errors (`days.<day>`, `days`, `paused_days`) otherwise. A day left out has no times; repeated
    times count once. An empty schedule is valid (it just offers no slots: queueing to it is refused)."""
    if not isinstance(data, Mapping):
        raise InvalidInput.from_errors({"days": ["Send an object with days and paused_days."]})
    errors: ErrorTree = {}
    days_in = data.get("days", {})
    day_errors: dict[str, list[str]] = {}
    times: dict[str, tuple[time, ...]] = {}
    if not isinstance(days_in, Mapping):
        errors["days"] = ['An object of weekdays to times, e.g. {"mon": ["09:00", "17:30"]}.']
        days_in = {}
    unknown = sorted(str(day) for day in days_in if day not in DAYS)
    if unknown:
        errors["days"] = [f"Unknown day {', '.join(map(repr, unknown))}: the days are {', '.join(DAYS)}."]
    for day in DAYS:
        times[day], problems = _clean_times(days_in.get(day, []))
        if problems:
            day_errors[day] = problems
    if day_errors and "days" not in errors:
        errors["days"] = day_errors
    paused_in = data.get("paused_days", [])
    paused = _clean_paused(paused_in, errors)
    if errors:
        raise InvalidInput.from_errors(errors)
    return PostingSchedule(times=tuple(times[day] for day in DAYS), paused_days=paused)


def _clean_times(values: Any) -> tuple[tuple[time, ...], list[str]]:
    if not isinstance(values, list):
        return (), ['A list of times, e.g. ["09:00", "17:30"].']
    if len(values) > MAX_TIMES_PER_DAY:
        return (), [f"At most {MAX_TIMES_PER_DAY} times a day."]
    parsed: list[time] = []
    problems: list[str] = []
    for value in values:
        t = _parse_time(value)
        if t is None:
            problems.append(f"{value!r} is not a time: {TIME_FORMAT}.")
        else:
            parsed.append(t)
    return tuple(sorted(set(parsed))), problems


def _clean_paused(values: Any, errors: ErrorTree) -> frozenset[str]:
    if not isinstance(values, list):
        errors["paused_days"] = ['A list of days, e.g. ["sat", "sun"].']
        return frozenset()
    unknown = [v for v in values if v not in DAYS]
    if unknown:
        errors["paused_days"] = [f"Unknown day {', '.join(map(repr, unknown))}: the days are {', '.join(DAYS)}."]
    return frozenset(v for v in values if v in DAYS)


def schedule_from_buffer(
    *, posting_days: Iterable[Mapping[str, Any]], schedules: Iterable[Mapping[str, Any]]
) -> PostingSchedule:
    """Buffer's schedule of a profile as SocialHub's: GraphQL's whole week (`posting_days`, paused days with
    their times) when Buffer gave it, else v1's `schedules` (`[{days, times}]`, which knows no pause)."""
    times: dict[str, set[time]] = {day: set() for day in DAYS}
    paused: set[str] = set()
    week = list(posting_days)
    groups = [{"days": [entry.get("day")], "times": entry.get("times")} for entry in week] if week else schedules
    for entry in week:
        if entry.get("paused") and entry.get("day") in DAYS:
            paused.add(str(entry["day"]))
    for group in groups:
        slot_times = {t for t in map(_parse_time, group.get("times") or []) if t is not None}
        for day in group.get("days") or []:
            if day in times:
                times[day] |= slot_times
    return PostingSchedule(times=tuple(tuple(sorted(times[day])) for day in DAYS), paused_days=frozenset(paused))


# -- the account's schedule: read, imported from Buffer, edited here -----------------------------------


def account_schedule(account: SocialAccount) -> PostingSchedule:
    return PostingSchedule.from_json(account.queue_schedule)


def account_tz(account: SocialAccount) -> ZoneInfo:
    """The timezone of the account's slots: Buffer's profile timezone, else its workspace's."""
    name = account.profile_timezone
    return ZoneInfo(name) if known_timezone(name) else account.workspace.tzinfo


def is_edited_here(account: SocialAccount) -> bool:
    """Edited in SocialHub: syncs keep it (Buffer's own stays readable in `queue_schedule_buffer`)."""
    return account.queue_schedule_edited_at is not None


def import_buffer_schedule(*, account: SocialAccount, profile: BufferProfile) -> None:
    """On a sync (unsaved: the sync saves the account): Buffer's schedule is kept as Buffer's, and becomes
    the queue's unless the schedule was edited in SocialHub — a sync never overwrites a local edit."""
    imported = schedule_from_buffer(posting_days=profile.posting_days, schedules=profile.schedules).to_json()
    account.queue_schedule_buffer = imported
    if not is_edited_here(account):
        account.queue_schedule = imported


def account_schedule_set(*, account: SocialAccount, schedule: PostingSchedule) -> SocialAccount:
    """A SocialHub edit (API, page, admin): the queue follows it, and later syncs keep it."""
    account.queue_schedule = schedule.to_json()
    account.queue_schedule_edited_at = timezone.now()
    account.save(update_fields=["queue_schedule", "queue_schedule_edited_at", "updated_at"])
    return account


def account_schedule_follow_buffer(*, account: SocialAccount) -> SocialAccount:
    """Drop the local edit: the queue takes Buffer's schedule as last synced, and every later sync's."""
    account.queue_schedule = PostingSchedule.from_json(account.queue_schedule_buffer).to_json()
    account.queue_schedule_edited_at = None
    account.save(update_fields=["queue_schedule", "queue_schedule_edited_at", "updated_at"])
    return account


def schedule_payload(account: SocialAccount) -> dict[str, Any]:
    """What the API and the pages show of an account's schedule."""
    return {
        **account_schedule(account).to_json(),
        "timezone": str(account_tz(account)),
        "edited_in_socialhub": is_edited_here(account),
        "edited_at": account.queue_schedule_edited_at,
        "buffer_schedule": PostingSchedule.from_json(account.queue_schedule_buffer).to_json(),
    }
