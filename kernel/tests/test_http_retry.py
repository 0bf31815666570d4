"""The one Retry-After parser and the one retry-delay rule, with each caller's numbers."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from django.test import override_settings

from kernel.http_retry import FULL_JITTER, RetryAfter, exponential, parse_retry_after, retry_delay, stepped


def test_parse_retry_after():
    assert parse_retry_after(None) is None
    assert parse_retry_after("") is None
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(" 2.5 ") == 2.5
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("nan") is None and parse_retry_after("inf") is None
    assert parse_retry_after("-5") == 0.0
    now = datetime(2015, 10, 21, 7, 28, tzinfo=UTC)
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now=now) == 10.0
    assert parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now=now) == 0.0  # in the past: now


def test_schedules():
    assert [exponential(base=30, maximum=100)(n) for n in (1, 2, 3, 4)] == [30, 60, 100, 100]
    assert [stepped((5, 60, 600))(n) for n in (1, 2, 3, 9)] == [5, 60, 600, 600]


class Extremes(random.Random):
    """uniform() at one end of its range: the bounds of a jittered wait."""

    def __init__(self, end):
        super().__init__()
        self.end = end

    def uniform(self, a, b):
        return a if self.end == "low" else b


def test_full_jitter_with_retry_after_as_floor():
    schedule = exponential(base=30, maximum=900)
    for end, expected in (("low", 0.0), ("high", 120.0)):
        assert retry_delay(3, schedule=schedule, jitter=FULL_JITTER, rng=Extremes(end)) == expected
    floor = {"retry_after": 50.0, "retry_after_rule": RetryAfter.AT_LEAST}
    assert retry_delay(3, schedule=schedule, rng=Extremes("low"), **floor) == 50.0
    assert retry_delay(3, schedule=schedule, rng=Extremes("high"), **floor) == 120.0  # the schedule wants longer


def test_proportional_jitter_with_retry_after_replacing_the_schedule():
    schedule = stepped((5, 300))
    bounds = {"schedule": schedule, "jitter": (0.9, 1.1)}
    assert retry_delay(2, rng=Extremes("low"), **bounds) == pytest.approx(270.0)
    assert retry_delay(2, rng=Extremes("high"), **bounds) == pytest.approx(330.0)
    assert retry_delay(2, retry_after=1.0, retry_after_rule=RetryAfter.EXACTLY, **bounds) == 1.0


@override_settings(PUBLISH_RETRY_BASE_SECONDS=30.0, PUBLISH_RETRY_MAX_SECONDS=900.0)
def test_the_engine_keeps_its_numbers():
    from posts.engine.publish import publish_retry_delay

    waits = [publish_retry_delay(6) for _ in range(200)]
    assert all(0 <= w <= 900 for w in waits) and max(waits) > 450  # full jitter up to the cap
    assert all(0 <= publish_retry_delay(1) <= 30 for _ in range(50))
    assert all(publish_retry_delay(1, retry_after=100.0) == 100.0 for _ in range(20))  # never sooner
    assert all(publish_retry_delay(5, retry_after=10.0) >= 10.0 for _ in range(50))


def test_the_callback_outbox_keeps_its_numbers():
    from publisher.outbox import JITTER, RETRY_DELAYS, callback_retry_delay

    for n, planned in enumerate(RETRY_DELAYS, start=1):
        wait = callback_retry_delay(n).total_seconds()
        assert planned * (1 - JITTER) <= wait <= planned * (1 + JITTER)
    last = RETRY_DELAYS[-1]
    assert last * (1 - JITTER) <= callback_retry_delay(99).total_seconds() <= last * (1 + JITTER)
    assert callback_retry_delay(3, retry_after=7.0) == timedelta(seconds=7)  # the receiver's wish wins


def test_the_webhook_client_keeps_retry_after_within_a_second_and_a_day():
    from publisher.webhook_client import MAX_RETRY_AFTER_SECONDS, _retry_after

    now = datetime(2026, 1, 1, tzinfo=UTC)
    assert _retry_after(None, now=now) is None and _retry_after("soon", now=now) is None
    assert _retry_after("0", now=now) == 1.0
    assert _retry_after("120", now=now) == 120.0
    assert _retry_after(str(10 * MAX_RETRY_AFTER_SECONDS), now=now) == MAX_RETRY_AFTER_SECONDS
    assert _retry_after("Thu, 01 Jan 2026 00:01:00 GMT", now=now) == 60.0
