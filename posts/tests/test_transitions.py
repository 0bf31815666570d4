"""Compare-and-set transitions: each wins only from its allowed states, and only one of two rivals wins."""

from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.utils import timezone

from posts import transitions
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

S = PostStatus
NOW = timezone.now()
CALLS = {
    "hand_to_buffer": lambda pk: transitions.hand_to_buffer(post_id=pk, buffer_update_id="u1", handed_at=NOW),
    "cancel": lambda pk: transitions.cancel(post_id=pk),
    "reschedule": lambda pk: transitions.reschedule(post_id=pk, scheduled_time=NOW + dt.timedelta(days=2)),
    "claim": lambda pk: transitions.claim(post_ids=[pk], claim_id=uuid.uuid4(), claimed_at=NOW) == 1,
    "mark_published": lambda pk: transitions.mark_published(post_id=pk, published_at=NOW),
    "mark_failed": lambda pk: transitions.mark_failed(post_id=pk, error="boom"),
    "release_for_retry": lambda pk: transitions.release_for_retry(post_id=pk, error="timeout"),
}
TARGET = {
    "hand_to_buffer": S.SCHEDULED,
    "cancel": S.CANCELLED,
    "reschedule": S.SCHEDULED,
    "claim": S.PUBLISHING,
    "mark_published": S.PUBLISHED,
    "mark_failed": S.FAILED,
    "release_for_retry": S.SCHEDULED,
}


@pytest.mark.parametrize("name", list(CALLS))
@pytest.mark.parametrize("start", list(S.values))
def test_each_transition_wins_exactly_from_its_allowed_states(name, start):
    post = PostFactory(status=start)
    before = post.updated_at
    won = CALLS[name](post.pk)
    post.refresh_from_db()
    assert won is (start in transitions.ALLOWED_FROM[name])
    if won:
        assert post.status == TARGET[name] and post.updated_at > before
    else:
        assert post.status == start and post.updated_at == before


def test_missing_post_loses():
    assert transitions.cancel(post_id=999_999) is False


def test_hand_to_buffer_happens_once():
    post = PostFactory(status=S.DRAFT)
    assert transitions.hand_to_buffer(post_id=post.pk, buffer_update_id="first", handed_at=NOW)
    assert not transitions.hand_to_buffer(post_id=post.pk, buffer_update_id="second", handed_at=NOW)
    post.refresh_from_db()
    assert (post.status, post.buffer_update_id, post.handed_to_buffer_at) == (S.SCHEDULED, "first", NOW)


def test_cancel_forgets_the_handover():
    post = PostFactory(buffer_update_id="u1", handed_to_buffer_at=NOW)
    assert transitions.cancel(post_id=post.pk)
    post.refresh_from_db()
    assert (post.buffer_update_id, post.handed_to_buffer_at) == ("", None)


def test_reschedule_starts_fresh_and_keeps_the_update_only_when_asked():
    later = NOW + dt.timedelta(days=3)
    post = PostFactory(status=S.FAILED, attempts=3, last_error="boom", buffer_update_id="u1")
    assert transitions.reschedule(post_id=post.pk, scheduled_time=later)
    post.refresh_from_db()
    assert (post.status, post.scheduled_time, post.attempts, post.last_error) == (S.SCHEDULED, later, 0, "")
    assert post.buffer_update_id == ""

    kept = PostFactory(buffer_update_id="u2")
    assert transitions.reschedule(post_id=kept.pk, scheduled_time=later, keep_buffer_update=True)
    kept.refresh_from_db()
    assert kept.buffer_update_id == "u2"


def test_engine_path_records_outcomes():
    post = PostFactory()
    assert CALLS["claim"](post.pk)
    assert transitions.release_for_retry(post_id=post.pk, error="Buffer timed out")
    assert CALLS["claim"](post.pk)
    assert transitions.mark_published(post_id=post.pk, published_at=NOW, service_link="https://x.com/s/1")
    post.refresh_from_db()
    assert (post.status, post.published_at) == (S.PUBLISHED, NOW)
    assert (post.service_link, post.last_error) == ("https://x.com/s/1", "")

    failing = PostFactory()
    assert CALLS["claim"](failing.pk)
    assert transitions.mark_failed(post_id=failing.pk, error="Buffer refused: duplicate")
    failing.refresh_from_db()
    assert (failing.status, failing.last_error) == (S.FAILED, "Buffer refused: duplicate")


@pytest.mark.parametrize("first, second", [("cancel", "claim"), ("claim", "cancel")])
def test_publish_and_cancel_cannot_both_win(first, second):
    """Sequential proof of the CAS: the loser's UPDATE matches no row and the winner's state stays."""
    post = PostFactory(status=S.SCHEDULED)
    assert CALLS[first](post.pk) is True
    assert CALLS[second](post.pk) is False
    post.refresh_from_db()
    assert post.status == TARGET[first]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_concurrent_publish_and_cancel_have_one_winner():
    for _ in range(20):
        post = PostFactory(status=S.SCHEDULED)
        barrier = threading.Barrier(2)
        results: dict[str, bool] = {}

        def race(name: str, pk: int = post.pk, gate: threading.Barrier = barrier, out: dict = results) -> None:
            try:
                gate.wait()
                out[name] = CALLS[name](pk)
            finally:
                connection.close()

        threads = [threading.Thread(target=race, args=(name,)) for name in ("cancel", "claim")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(results.values()) == [False, True]
        winner = next(name for name, won in results.items() if won)
        assert Post.objects.get(pk=post.pk).status == TARGET[winner]
