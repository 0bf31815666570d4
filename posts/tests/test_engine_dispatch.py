"""Dispatch: what is due, holds, the in-flight cap, the heartbeat, and concurrent dispatchers."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from campaigns.models import CampaignStatus
from campaigns.tests.factories import CampaignFactory
from kernel.heartbeat import beat_tick_age
from posts import transitions
from posts.engine.dispatch import (
    HOLD_ACCOUNT_INACTIVE,
    HOLD_CAMPAIGN_PAUSED,
    IN_FLIGHT_FACTOR,
    claim_due_posts,
    dispatch_due_posts,
    due_backlog,
    in_flight_cap,
    record_cleared,
)
from posts.models import Post, PostStatus
from posts.tests.engine_helpers import due_posts, sandbox_account
from posts.tests.factories import PostFactory

S = PostStatus


@pytest.fixture
def account(owner, sandbox):
    return sandbox_account(owner, sandbox, "dispatch-token")


def claimed_ids(now=None) -> set[int]:
    return {c.post_id for c in claim_due_posts(now=now or timezone.now(), limit=1000)}


@pytest.mark.django_db
def test_claims_only_due_unheld_posts_once(account, sandbox):
    now = timezone.now()
    [due] = due_posts([account], 1)
    PostFactory(social_account=account, scheduled_time=now + dt.timedelta(minutes=5))  # not yet
    PostFactory(social_account=account, scheduled_time=now - dt.timedelta(minutes=5), status=S.DRAFT)
    PostFactory(social_account=account, scheduled_time=now - dt.timedelta(minutes=5), status=S.CANCELLED)
    PostFactory(social_account=account, scheduled_time=now - dt.timedelta(minutes=5), buffer_update_id="at-buffer")
    PostFactory(social_account=account, scheduled_time=now - dt.timedelta(minutes=5), retry_at=now + dt.timedelta(1))
    assert claimed_ids() == {due.pk}
    assert claimed_ids() == set()  # claimed once: a second dispatcher finds nothing
    due.refresh_from_db()
    assert due.status == S.PUBLISHING and due.claim_id and due.claimed_at


@pytest.mark.django_db
def test_holds_show_a_reason_and_release_when_resumed(owner, account, sandbox):
    campaign = CampaignFactory(owner=owner, status=CampaignStatus.PAUSED)
    paused_post, account_post = due_posts([account], 2)
    Post.objects.filter(pk=paused_post.pk).update(campaign=campaign)
    other = sandbox_account(owner, sandbox, "inactive-token", is_active=False)
    [inactive_post] = due_posts([other], 1, prefix="Inactive")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("posts.engine.dispatch.enqueue_publish", lambda claims: None)
        assert dispatch_due_posts() == 1  # only account_post
    paused_post.refresh_from_db()
    inactive_post.refresh_from_db()
    assert (paused_post.status, paused_post.hold_reason) == (S.SCHEDULED, HOLD_CAMPAIGN_PAUSED)
    assert (inactive_post.status, inactive_post.hold_reason) == (S.SCHEDULED, HOLD_ACCOUNT_INACTIVE)
    assert due_backlog(now=timezone.now())["held"] == 2

    campaign.status = CampaignStatus.ACTIVE
    campaign.save()
    other.is_active = True
    other.save()
    assert claimed_ids() == set()  # the holds are lifted by the next dispatch run, not before
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("posts.engine.dispatch.enqueue_publish", lambda claims: None)
        assert dispatch_due_posts() == 2
    assert set(Post.objects.filter(hold_reason="", status=S.PUBLISHING).values_list("pk", flat=True)) == {
        paused_post.pk,
        inactive_post.pk,
        account_post.pk,
    }


@pytest.mark.django_db
def test_dispatch_records_the_beat_tick_caps_in_flight_and_queues_one_task_per_claim(
    account, sandbox, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.ENGINE_MAX_IN_FLIGHT = 3
    settings.ENGINE_DISPATCH_BATCH = 2
    due_posts([account], 5)
    sent = []
    monkeypatch.setattr("posts.tasks.publish_post.delay", lambda *args: sent.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_posts() == 3
    assert beat_tick_age() < 5
    claimed = Post.objects.filter(status=S.PUBLISHING)
    assert sorted(sent) == sorted((p.pk, str(p.claim_id)) for p in claimed)
    with django_capture_on_commit_callbacks(execute=True):
        assert dispatch_due_posts() == 0  # no room until those finish
    assert due_backlog(now=timezone.now())["count"] == 2


@pytest.mark.django_db
def test_the_in_flight_cap_follows_what_the_workers_clear(settings):
    settings.ENGINE_DISPATCH_INTERVAL = 5
    settings.ENGINE_MIN_IN_FLIGHT, settings.ENGINE_MAX_IN_FLIGHT = 10, 200
    now = timezone.now()
    assert in_flight_cap(now=now) == 10  # nothing cleared recently: the floor

    for _ in range(7):
        record_cleared(now=now - dt.timedelta(seconds=5))
    for _ in range(3):
        record_cleared(now=now - dt.timedelta(seconds=10))
    for _ in range(30):
        record_cleared(now=now)  # the current interval is not complete yet: not counted
    assert in_flight_cap(now=now) == IN_FLIGHT_FACTOR * 7  # the best recent interval

    for _ in range(100):
        record_cleared(now=now - dt.timedelta(seconds=15))
    assert in_flight_cap(now=now) == 200  # never above the configured ceiling
    assert in_flight_cap(now=now + dt.timedelta(seconds=25)) == 10  # nothing recent any more


@pytest.mark.django_db
def test_dispatch_claims_only_up_to_the_adaptive_cap(account, sandbox, settings, monkeypatch):
    settings.ENGINE_MIN_IN_FLIGHT, settings.ENGINE_DISPATCH_BATCH = 4, 3
    due_posts([account], 30)
    monkeypatch.setattr("posts.engine.dispatch.enqueue_publish", lambda claims: None)
    now = timezone.now()
    assert dispatch_due_posts(now=now) == 4  # cold start: the floor
    Post.objects.filter(status=S.PUBLISHING).update(status=S.PUBLISHED)
    for _ in range(4):
        record_cleared(now=now)
    later = now + dt.timedelta(seconds=settings.ENGINE_DISPATCH_INTERVAL)
    assert dispatch_due_posts(now=later) == IN_FLIGHT_FACTOR * 4  # the workers kept up: it grows
    assert dispatch_due_posts(now=later) == 0  # and counts what is still in flight


@pytest.mark.django_db
def test_reschedule_clears_the_retry_wait(account):
    [post] = due_posts([account], 1)
    Post.objects.filter(pk=post.pk).update(status=S.FAILED, retry_at=timezone.now() + dt.timedelta(hours=1))
    assert transitions.reschedule(post_id=post.pk, scheduled_time=timezone.now())
    assert claimed_ids() == {post.pk}


@pytest.mark.django_db(transaction=True)
def test_concurrent_dispatchers_never_claim_a_post_twice(account, sandbox):
    """Four dispatchers race over 1,000 due posts (SKIP LOCKED on PostgreSQL, the write lock on SQLite)."""
    posts = due_posts([account], 1000)
    results: list[list[int]] = [[] for _ in range(4)]
    start = threading.Barrier(4)

    def dispatcher(index: int) -> None:
        try:
            start.wait()
            while claims := claim_due_posts(now=timezone.now(), limit=25):
                results[index].extend(c.post_id for c in claims)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    claimed = [pk for result in results for pk in result]
    assert len(claimed) == len(set(claimed)) == len(posts)
    assert Post.objects.filter(status=S.PUBLISHING).count() == 1000
