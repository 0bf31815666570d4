"""Queue slots in time: the account's local wall-clock times, across DST in both directions, paused days."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from accounts.posting_schedule import PostingSchedule, clean_schedule
from accounts.tests.factories import SocialAccountFactory
from posts.queueing import local_slot, upcoming_slots

UTC = dt.UTC
BERLIN, NEW_YORK = ZoneInfo("Europe/Berlin"), ZoneInfo("America/New_York")


def _account(tz: str, days: dict, paused: list[str] | None = None):
    schedule = clean_schedule({"days": days, "paused_days": paused or []})
    return SocialAccountFactory(profile_timezone=tz, queue_schedule=schedule.to_json())


def _local(slots, tz):
    return [s.astimezone(tz).strftime("%a %Y-%m-%d %H:%M %Z") for s in slots]


EVERY_DAY = {day: ["01:30", "02:30", "09:00"] for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@pytest.mark.django_db
def test_berlin_spring_forward_moves_the_skipped_time_to_the_next_valid_minute():
    # 2027-03-28: clocks jump from 02:00 CET to 03:00 CEST; 02:30 does not exist that day.
    account = _account("Europe/Berlin", {"sun": ["01:30", "02:30", "09:00"], "mon": ["02:30"]})
    slots = upcoming_slots(account, start=dt.datetime(2027, 3, 27, 12, tzinfo=UTC), count=4)
    assert _local(slots, BERLIN) == [
        "Sun 2027-03-28 01:30 CET",
        "Sun 2027-03-28 03:00 CEST",  # 02:30 → the first minute that exists
        "Sun 2027-03-28 09:00 CEST",  # same wall-clock time as the day before, one hour less in UTC
        "Mon 2027-03-29 02:30 CEST",
    ]
    assert slots[2] == dt.datetime(2027, 3, 28, 7, tzinfo=UTC)


@pytest.mark.django_db
def test_berlin_fall_back_takes_a_repeated_time_once():
    # 2026-10-25: clocks go back from 03:00 CEST to 02:00 CET; 02:30 happens twice.
    account = _account("Europe/Berlin", {"sun": ["02:30", "09:00"], "sat": ["09:00"]})
    slots = upcoming_slots(account, start=dt.datetime(2026, 10, 24, 0, tzinfo=UTC), count=3)
    assert _local(slots, BERLIN) == [
        "Sat 2026-10-24 09:00 CEST",
        "Sun 2026-10-25 02:30 CEST",
        "Sun 2026-10-25 09:00 CET",
    ]
    assert slots[1] == dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)  # the first 02:30 (summer time), only
    assert slots[0] == dt.datetime(2026, 10, 24, 7, tzinfo=UTC)
    assert slots[2] == dt.datetime(2026, 10, 25, 8, tzinfo=UTC)


@pytest.mark.django_db
def test_new_york_spring_forward_and_fall_back():
    account = _account("America/New_York", EVERY_DAY)
    # 2027-03-14: 02:00 EST → 03:00 EDT.
    spring = upcoming_slots(account, start=dt.datetime(2027, 3, 14, 5, tzinfo=UTC), count=3)
    assert _local(spring, NEW_YORK) == [
        "Sun 2027-03-14 01:30 EST",
        "Sun 2027-03-14 03:00 EDT",
        "Sun 2027-03-14 09:00 EDT",
    ]
    # 2026-11-01: 02:00 EDT → 01:00 EST; 01:30 happens twice, taken once (EDT).
    fall = upcoming_slots(account, start=dt.datetime(2026, 11, 1, 4, tzinfo=UTC), count=3)
    assert _local(fall, NEW_YORK) == [
        "Sun 2026-11-01 01:30 EDT",
        "Sun 2026-11-01 02:30 EST",
        "Sun 2026-11-01 09:00 EST",
    ]
    assert fall[0] == dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


def test_a_gap_merges_slots_into_one_instant():
    # 02:00 and 02:30 both fall in the gap and 03:00 is where they land: one slot, not three.
    day = dt.date(2027, 3, 28)
    assert local_slot(day, dt.time(2, 0), BERLIN) == local_slot(day, dt.time(3), BERLIN)


@pytest.mark.django_db
def test_merged_slots_are_listed_once():
    account = _account("Europe/Berlin", {"sun": ["02:00", "02:30", "03:00"]})
    slots = upcoming_slots(account, start=dt.datetime(2027, 3, 27, tzinfo=UTC), count=2)
    assert _local(slots, BERLIN) == ["Sun 2027-03-28 03:00 CEST", "Sun 2027-04-04 02:00 CEST"]


@pytest.mark.django_db
def test_paused_days_are_skipped_and_slots_are_strictly_after_start():
    account = _account("UTC", {"mon": ["09:00"], "tue": ["09:00"], "wed": ["09:00"]}, paused=["tue"])
    start = dt.datetime(2026, 12, 7, 9, tzinfo=UTC)  # a Monday, 09:00 sharp: that slot is not "after"
    slots = upcoming_slots(account, start=start, count=3)
    assert [s.strftime("%a %d") for s in slots] == ["Wed 09", "Mon 14", "Wed 16"]


@pytest.mark.django_db
def test_the_workspace_timezone_when_the_account_has_none():
    account = _account("", {"mon": ["09:00"]})
    account.workspace.timezone = "America/New_York"
    account.workspace.save()
    account.refresh_from_db()
    slots = upcoming_slots(account, start=dt.datetime(2026, 12, 6, tzinfo=UTC), count=1)
    assert slots == [dt.datetime(2026, 12, 7, 14, tzinfo=UTC)]


@pytest.mark.django_db
def test_an_empty_or_all_paused_schedule_has_no_slots():
    assert upcoming_slots(_account("UTC", {}), start=dt.datetime(2026, 12, 1, tzinfo=UTC), count=5) == []
    paused = _account("UTC", {"mon": ["09:00"]}, paused=["mon"])
    assert upcoming_slots(paused, start=dt.datetime(2026, 12, 1, tzinfo=UTC), count=5) == []


def test_stored_schedule_round_trips_and_unreadable_parts_are_left_out():
    schedule = clean_schedule({"days": {"mon": ["17:30", "09:00", "09:00"]}, "paused_days": ["sun"]})
    stored = schedule.to_json()
    assert stored["days"]["mon"] == ["09:00", "17:30"] and stored["days"]["sun"] == []
    assert PostingSchedule.from_json(stored) == schedule
    assert PostingSchedule.from_json({"days": {"mon": ["9am", "10:00"], "xyz": ["10:00"]}, "paused_days": "sun"}) == (
        PostingSchedule(times=((dt.time(10),), (), (), (), (), (), ()))
    )
    assert PostingSchedule.from_json(None).is_empty
