"""RFC 5545 recurrence rules in a timezone, read with python-dateutil's rrule: pure, no queries.

A rule is expanded in local wall-clock time (DTSTART is a naive local time of the series' timezone), so
every occurrence is at the same local time across DST changes. Where a DST change breaks that:

- a local time that does not exist that day (clocks go forward) moves to the next valid minute;
- a local time that occurs twice (clocks go back) is taken once, the first time;

and the occurrence says so in its `note`. `posts.recurrence` turns occurrences into posts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice, pairwise
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

from kernel.errors import InvalidInput

MAX_RULE_LENGTH = 500
# A bounded rule (COUNT or UNTIL) may have at most this many occurrences.
MAX_OCCURRENCES = 1000
# A rule without COUNT or UNTIL may repeat at most this often (it would make posts forever).
MIN_UNBOUNDED_GAP = dt.timedelta(hours=1)
# Occurrences of the rule looked at per expansion: bounds the work of any one call.
SCAN_LIMIT = 200_000
ONE_MINUTE = dt.timedelta(minutes=1)
UTC = dt.UTC
FORBIDDEN_PARTS = ("DTSTART", "RDATE", "EXDATE", "EXRULE")
UTC_UNTIL = re.compile(r"UNTIL=(\d{8})(?:T(\d{6}))?Z", re.IGNORECASE)


@dataclass(frozen=True)
class Occurrence:
    at: dt.datetime  # UTC: the post's scheduled_time, and its key in the series
    local: dt.datetime  # the same instant in the series' timezone
    nominal: dt.datetime  # what the rule says, a naive local wall-clock time
    note: str = ""  # a DST change moved it or resolved a repeated hour


@dataclass(frozen=True)
class Rule:
    text: str  # normalised: upper case, no "RRULE:" prefix
    start: dt.datetime  # DTSTART, naive local time
    tz: ZoneInfo
    rrule: rrule
    bounded: bool


def _invalid(message: str) -> InvalidInput:
    return InvalidInput.from_errors({"recurrence": [message]})


def _normalise(text: str, tz: ZoneInfo) -> str:
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[len("RRULE:") :]
    if not text:
        raise _invalid("Give a rule, e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;COUNT=10.")
    if len(text) > MAX_RULE_LENGTH:
        raise _invalid(f"A rule has at most {MAX_RULE_LENGTH} characters.")
    upper = text.upper()
    for part in FORBIDDEN_PARTS:
        if part in upper:
            raise _invalid(f"{part} is not taken here: the start is the post's scheduled_time, one RRULE the rest.")
    if "\n" in text or "\r" in text:
        raise _invalid("Give one RRULE line: the start is the post's scheduled_time.")
    return UTC_UNTIL.sub(lambda match: "UNTIL=" + _local_until(match, tz), upper)


def _local_until(match: re.Match, tz: ZoneInfo) -> str:
    """UNTIL in UTC (…Z), as RFC 5545 writes it, becomes the same instant in local time (DTSTART is local)."""
    try:
        stamp = match.group(1) + (match.group(2) or "000000") + "+0000"
        moment = dt.datetime.strptime(stamp, "%Y%m%d%H%M%S%z")
    except ValueError as exc:
        raise _invalid(f"UNTIL is not a date-time: {match.group(0)}.") from exc
    return moment.astimezone(tz).strftime("%Y%m%dT%H%M%S")


def parse_rule(text: str, *, start: dt.datetime, tz: ZoneInfo) -> Rule:
    """The rule read and checked; InvalidInput (400 on `recurrence`) naming the problem otherwise.

    `start` is DTSTART as a naive local time of `tz` (seconds dropped). Refused: what dateutil cannot
    read, a rule without FREQ, COUNT above MAX_OCCURRENCES or an UNTIL that allows more, a rule with no
    occurrence, and one without COUNT or UNTIL that repeats more often than hourly.
    """
    normalised = _normalise(text, tz)
    start = start.replace(second=0, microsecond=0, tzinfo=None)
    names = {part.split("=", 1)[0].strip() for part in normalised.split(";") if part.strip()}
    if "FREQ" not in names:
        raise _invalid("FREQ is required (e.g. FREQ=DAILY, FREQ=WEEKLY;BYDAY=MO).")
    try:
        parsed = rrulestr(normalised, dtstart=start, cache=False)
    except (ValueError, TypeError) as exc:
        raise _invalid(f"Not a valid RFC 5545 rule ({exc}); e.g. FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;COUNT=10.") from exc
    if not isinstance(parsed, rrule):  # a set: only from several lines, refused above
        raise _invalid("Give one RRULE line.")
    bounded = bool({"COUNT", "UNTIL"} & names)
    sample = list(islice(iter(parsed), MAX_OCCURRENCES + 1))
    if not sample:
        raise _invalid("The rule has no occurrence from the post's scheduled_time on.")
    if bounded and len(sample) > MAX_OCCURRENCES:
        raise _invalid(f"At most {MAX_OCCURRENCES} occurrences: lower COUNT or bring UNTIL closer.")
    if not bounded:
        gaps = (later - earlier for earlier, later in pairwise(sample))
        if min(gaps, default=MIN_UNBOUNDED_GAP) < MIN_UNBOUNDED_GAP:
            raise _invalid(
                "A rule without COUNT or UNTIL may repeat at most hourly: add COUNT or UNTIL, or repeat less often."
            )
    return Rule(text=normalised, start=start, tz=tz, rrule=parsed, bounded=bounded)


def _exists(local: dt.datetime, tz: ZoneInfo) -> bool:
    """The naive local time happens in `tz` (it is not skipped by clocks going forward)."""
    aware = local.replace(tzinfo=tz)
    return aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == local


def resolve(nominal: dt.datetime, tz: ZoneInfo) -> tuple[dt.datetime, str]:
    """The instant of a local wall-clock time, and a note when a DST change decided it."""
    day = f"{nominal:%Y-%m-%d}"
    if _exists(nominal, tz):
        first, second = nominal.replace(tzinfo=tz, fold=0), nominal.replace(tzinfo=tz, fold=1)
        if first.utcoffset() != second.utcoffset():
            return first, (
                f"{nominal:%H:%M} happens twice on {day} (clocks go back): taken once, the first time "
                f"({first:%H:%M %Z})."
            )
        return first, ""
    moved = nominal.replace(second=0, microsecond=0) + ONE_MINUTE
    while not _exists(moved, tz):  # a DST gap is at most a few hours: a bounded walk
        moved += ONE_MINUTE
    return moved.replace(tzinfo=tz), (
        f"{nominal:%H:%M} does not exist on {day} (clocks go forward): moved to {moved:%H:%M}."
    )


def expand(rule: Rule, *, after: dt.datetime | None = None, before: dt.datetime | None = None) -> Iterator[Occurrence]:
    """Occurrences strictly after `after` and strictly before `before` (aware instants), in order.

    Two local times that a DST change lands on the same instant make one occurrence.
    """
    previous: dt.datetime | None = None
    for nominal in islice(iter(rule.rrule), SCAN_LIMIT):
        local, note = resolve(nominal, rule.tz)
        at = local.astimezone(UTC)
        if before is not None and at >= before:
            return
        if (after is not None and at <= after) or at == previous:
            continue
        previous = at
        yield Occurrence(at=at, local=local, nominal=nominal, note=note)


def rule_count(text: str) -> int | None:
    """COUNT of a normalised rule, or None."""
    for part in text.split(";"):
        if part.startswith("COUNT="):
            return int(part[len("COUNT=") :])
    return None


def with_count(text: str, count: int) -> str:
    """The rule with COUNT=count (what is left of a COUNT after a split)."""
    parts = [part for part in text.split(";") if part and not part.startswith("COUNT=")]
    return ";".join([*parts, f"COUNT={count}"])
