"""Concurrent "Add to queue" on PostgreSQL: racing requests never share a slot (posts.queueing).

SQLite runs one writer at a time (the race cannot happen there; the unique index is tested in
test_queueing.py on both databases).
"""

from __future__ import annotations

import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from accounts.tests.factories import UserFactory
from posts import queueing
from posts.models import Post, PostStatus
from posts.tests.queue_helpers import DAYS, account_with_slots, draft

NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)
WEEK = {day: ["09:00", "12:00", "15:00"] for day in DAYS}

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _setup(posts: int):
    owner = UserFactory()
    account = account_with_slots(owner=owner, days=WEEK, tz="Europe/Berlin")
    drafts = [draft(account) for _ in range(posts)]
    return owner, account, drafts


def _run_all(targets) -> dict[int, object]:
    """Run each callable in its own thread (its own connection); their results (or exceptions) by index."""
    results: dict[int, object] = {}

    def run(index: int, target) -> None:
        try:
            results[index] = target()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, target)) for i, target in enumerate(targets)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_eight_concurrent_requests_for_eight_posts_get_eight_distinct_slots():
    owner, account, drafts = _setup(8)
    gate = threading.Barrier(8)

    def queue(post):
        def call():
            gate.wait()  # all eight start together
            return queueing.queue_post(post=Post.objects.select_related("social_account").get(pk=post.pk), actor=owner)

        return call

    results = _run_all([queue(post) for post in drafts])
    assert not [r for r in results.values() if isinstance(r, Exception)], results
    slots = sorted(Post.objects.filter(pk__in=[p.pk for p in drafts]).values_list("scheduled_time", flat=True))
    assert slots == queueing.upcoming_slots(account, start=NOW, count=8)  # distinct, and the first eight
    assert Post.objects.filter(queued=True, status=PostStatus.SCHEDULED).count() == 8


def test_two_requests_that_read_the_same_free_slot_one_wins_the_other_gets_the_next(monkeypatch):
    """Both read the first slot as free before either writes (a barrier after the read, not a sleep): the
    unique index lets one write it; the other's write fails in its savepoint and it takes the next slot."""
    owner, account, drafts = _setup(2)
    first_slot, second_slot = queueing.upcoming_slots(account, start=NOW, count=2)
    read = queueing.next_free_slot
    both_read = threading.Barrier(2)
    reads: list[dt.datetime] = []

    def read_then_wait(account, *, after, ignoring=None):
        slot = read(account, after=after, ignoring=ignoring)
        reads.append(slot)
        if len(reads) <= 2:
            both_read.wait()
        return slot

    monkeypatch.setattr(queueing, "next_free_slot", read_then_wait)

    def queue(post):
        return lambda: queueing.queue_post(
            post=Post.objects.select_related("social_account").get(pk=post.pk), actor=owner
        )

    results = _run_all([queue(post) for post in drafts])
    assert not [r for r in results.values() if isinstance(r, Exception)], results
    assert reads[:2] == [first_slot, first_slot]  # the race happened: both saw the first slot free
    assert len(reads) == 3 and reads[2] == second_slot  # the loser read again
    assert sorted(r.scheduled_time for r in results.values()) == [first_slot, second_slot]
