"""RFC 5545 rules in a timezone (posts.rrules): the same local time across DST, gaps and repeats noted."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from kernel.errors import InvalidInput
from posts.rrules import MAX_OCCURRENCES, expand, parse_rule, rule_count, with_count

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def occurrences(rule: str, start: dt.datetime, tz: ZoneInfo, count: int = 10):
    return list(expand(parse_rule(rule, start=start, tz=tz)))[:count]


@pytest.mark.parametrize(
    ("tz", "start"),
    [
        (BERLIN, dt.datetime(2026, 3, 16, 9, 0)),  # spring forward on Sunday 29 March
        (BERLIN, dt.datetime(2026, 10, 12, 9, 0)),  # fall back on Sunday 25 October
        (NEW_YORK, dt.datetime(2026, 3, 2, 9, 0)),  # spring forward on Sunday 8 March
        (NEW_YORK, dt.datetime(2026, 10, 19, 9, 0)),  # fall back on Sunday 1 November
    ],
)
def test_weekly_at_nine_keeps_nine_local_across_the_dst_change(tz, start):
    found = occurrences("FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0;COUNT=4", start, tz)
    assert [o.local.strftime("%a %H:%M") for o in found] == ["Mon 09:00"] * 4
    assert all(o.note == "" for o in found)
    offsets = {o.local.utcoffset() for o in found}
    assert len(offsets) == 2  # the UTC time changed with the clocks: the local one did not
    assert all(o.at.tzinfo == dt.UTC and o.at == o.local for o in found)


@pytest.mark.parametrize(
    ("tz", "day", "utc_hour"),
    [(BERLIN, dt.date(2026, 3, 29), 1), (NEW_YORK, dt.date(2026, 3, 8), 7)],
)
def test_daily_at_two_thirty_moves_to_three_on_the_spring_forward_day_and_says_so(tz, day, utc_hour):
    start = dt.datetime.combine(day - dt.timedelta(days=1), dt.time(2, 30))
    before, gap_day, after = occurrences("FREQ=DAILY;COUNT=3", start, tz)
    assert (before.local.time(), before.note) == (dt.time(2, 30), "")
    assert gap_day.local.date() == day and gap_day.local.time() == dt.time(3, 0)
    assert gap_day.at == dt.datetime.combine(day, dt.time(utc_hour, 0), tzinfo=dt.UTC)
    assert gap_day.note == f"02:30 does not exist on {day} (clocks go forward): moved to 03:00."
    assert gap_day.nominal == dt.datetime.combine(day, dt.time(2, 30))
    assert (after.local.time(), after.note) == (dt.time(2, 30), "")


@pytest.mark.parametrize(
    ("tz", "start", "first_utc"),
    [
        # Europe/Berlin: 02:30 happens at 00:30 UTC (CEST) and again at 01:30 UTC (CET) on 25 October.
        (BERLIN, dt.datetime(2026, 10, 24, 2, 30), dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)),
        # America/New_York: 01:30 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST) on 1 November.
        (NEW_YORK, dt.datetime(2026, 10, 31, 1, 30), dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)),
    ],
)
def test_a_repeated_local_time_on_the_fall_back_day_occurs_once_the_first_time(tz, start, first_utc):
    found = occurrences("FREQ=DAILY;COUNT=3", start, tz)
    assert len(found) == 3 and len({o.at for o in found}) == 3
    fall_back = found[1]
    assert fall_back.at == first_utc
    assert "happens twice" in fall_back.note and "taken once, the first time" in fall_back.note
    assert [o.local.strftime("%H:%M") for o in found] == [start.strftime("%H:%M")] * 3


def test_hourly_rule_through_the_fall_back_night_makes_each_local_hour_once():
    found = occurrences("FREQ=HOURLY;COUNT=4", dt.datetime(2026, 11, 1, 0, 0), NEW_YORK)
    assert [o.local.strftime("%H:%M") for o in found] == ["00:00", "01:00", "02:00", "03:00"]
    assert len({o.at for o in found}) == 4


def test_a_utc_until_is_read_as_that_instant():
    found = occurrences("FREQ=DAILY;UNTIL=20260105T080000Z", dt.datetime(2026, 1, 1, 9, 0), BERLIN)
    # 08:00 UTC is 09:00 in Berlin (CET): the 5 January one is included.
    assert [o.local.day for o in found] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize(
    ("rule", "problem"),
    [
        ("", "Give a rule"),
        ("hello", "FREQ is required"),
        ("BYDAY=MO", "FREQ is required"),
        ("FREQ=FORTNIGHTLY", "Not a valid RFC 5545 rule (invalid 'FREQ': FORTNIGHTLY)"),
        ("FREQ=DAILY;BYHOUR=25", "Not a valid RFC 5545 rule (hour must be in 0..23)"),
        ("FREQ=DAILY;COUNT=ten", "Not a valid RFC 5545 rule (invalid 'COUNT': TEN)"),
        ("FREQ=MINUTELY", "may repeat at most hourly"),
        ("FREQ=DAILY;BYMINUTE=0,30", "may repeat at most hourly"),
        ("FREQ=SECONDLY", "may repeat at most hourly"),
        (f"FREQ=DAILY;COUNT={MAX_OCCURRENCES + 1}", f"At most {MAX_OCCURRENCES} occurrences"),
        ("FREQ=MINUTELY;UNTIL=20270101T000000", f"At most {MAX_OCCURRENCES} occurrences"),
        ("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "no occurrence"),
        ("DTSTART:20260101T090000\nRRULE:FREQ=DAILY", "DTSTART is not taken here"),
        ("FREQ=DAILY\nFREQ=WEEKLY", "one RRULE line"),
        ("FREQ=DAILY;EXDATE=20260102", "EXDATE is not taken here"),
    ],
)
def test_rules_that_cannot_be_read_or_would_flood_are_refused_naming_the_problem(rule, problem):
    with pytest.raises(InvalidInput) as refused:
        parse_rule(rule, start=dt.datetime(2026, 1, 1, 9, 0), tz=BERLIN)
    assert problem in refused.value.detail
    assert list(refused.value.errors) == ["recurrence"]


def test_a_bounded_frequent_rule_and_an_hourly_unbounded_one_are_allowed():
    assert len(occurrences("FREQ=MINUTELY;INTERVAL=15;COUNT=4", dt.datetime(2026, 1, 1, 9, 0), BERLIN)) == 4
    rule = parse_rule("rrule:freq=hourly", start=dt.datetime(2026, 1, 1, 9, 0), tz=BERLIN)
    assert rule.text == "FREQ=HOURLY" and not rule.bounded


def test_expand_after_and_before_and_count_helpers():
    rule = parse_rule("FREQ=DAILY;COUNT=5", start=dt.datetime(2026, 1, 1, 9, 0), tz=dt.UTC)
    after = dt.datetime(2026, 1, 2, 9, 0, tzinfo=dt.UTC)
    before = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    assert [o.at.day for o in expand(rule, after=after, before=before)] == [3, 4]
    assert rule_count(rule.text) == 5 and rule_count("FREQ=DAILY") is None
    assert with_count("FREQ=DAILY;COUNT=5;BYHOUR=9", 2) == "FREQ=DAILY;BYHOUR=9;COUNT=2"
