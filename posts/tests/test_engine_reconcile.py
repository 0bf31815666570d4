"""Unknown outcomes, dead workers' claims, Buffer status sync and the attempts API (sandbox over HTTP)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from buffer_integration.backends import get_backend
from buffer_integration.backends.base import UpdateDraft
from posts.engine.dispatch import claim_due_posts
from posts.engine.publish import publish_claimed_post
from posts.engine.reconcile import (
    queue_due_reconciliations,
    reconcile_post,
    requeue_unstarted_claims,
    sweep_stale_claims,
)
from posts.engine.status_sync import sync_handed_over_posts
from posts.models import AttemptOutcome, Post, PostStatus
from posts.tests.engine_helpers import creates_per_post, due_posts, sandbox_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_engine")]
S = PostStatus
TOKEN = "reconcile-token"


@pytest.fixture
def account(owner, sandbox):
    return sandbox_account(owner, sandbox, TOKEN)


def publish_one(post: Post) -> str:
    [claim] = claim_due_posts(now=timezone.now(), limit=10)
    assert claim.post_id == post.pk
    return publish_claimed_post(post_id=post.pk, claim_id=claim.claim_id)


def reconcile(post: Post) -> str:
    post.refresh_from_db()
    assert post.claim_id is not None
    return reconcile_post(post_id=post.pk, claim_id=post.claim_id)


def test_a_write_that_landed_is_found_and_published_with_buffers_id(account, sandbox):
    [post] = due_posts([account], 1)
    sandbox.faults(error_rate=1.0, error_after_write=True)
    assert publish_one(post) == AttemptOutcome.UNKNOWN
    sandbox.faults(error_rate=0.0)
    assert reconcile(post) == "found"
    post.refresh_from_db()
    [update] = sandbox.admin("GET", "updates").json()
    assert (post.status, post.buffer_update_id, post.last_error) == (S.PUBLISHED, update["id"], "")
    assert post.lateness_seconds is not None and post.service_link
    [attempt] = post.publish_attempts.all()
    assert attempt.outcome == AttemptOutcome.PUBLISHED and "reconciliation" in attempt.error
    assert creates_per_post(sandbox, [post]) == {post.pk: 1}


def test_a_write_that_never_landed_is_sent_again_once(account, sandbox):
    [post] = due_posts([account], 1)
    sandbox.faults(error_rate=1.0)  # 500 before the write: Buffer has nothing, but we cannot know
    assert publish_one(post) == AttemptOutcome.UNKNOWN
    sandbox.faults(error_rate=0.0)
    assert reconcile(post) == "absent"
    post.refresh_from_db()
    assert post.status == S.SCHEDULED and "Not found at Buffer" in post.last_error
    assert publish_one(post) == AttemptOutcome.PUBLISHED
    assert [a.outcome for a in post.publish_attempts.order_by("number")] == ["retry", "published"]
    assert creates_per_post(sandbox, [post]) == {post.pk: 1}


def test_found_pending_at_buffer_is_scheduled_there_and_status_sync_publishes_it(account, sandbox):
    [post] = due_posts([account], 1)
    [claim] = claim_due_posts(now=timezone.now(), limit=10)
    post.publish_attempts.create(claim_id=claim.claim_id, number=1, started_at=timezone.now())
    in_an_hour = timezone.now() + dt.timedelta(hours=1)
    update = get_backend(TOKEN).create_update(
        UpdateDraft(profile_id=account.buffer_profile_id, text=post.content, scheduled_at=in_an_hour)
    )
    assert sweep_stale_claims(now=timezone.now() + dt.timedelta(hours=1)) == 1  # the worker died mid-call
    assert reconcile(post) == "found_pending"
    post.refresh_from_db()
    assert (post.status, post.buffer_update_id) == (S.SCHEDULED, update.id)
    assert claim_due_posts(now=timezone.now(), limit=10) == []  # Buffer sends it, not us

    assert sync_handed_over_posts() == 0  # not sent yet
    sandbox.admin("POST", "clock", json={"advance_seconds": 3700})
    # Our clock moves with Buffer's: the first look backed off for a while, which has passed by now.
    assert sync_handed_over_posts(now=timezone.now() + dt.timedelta(seconds=3700)) == 1
    post.refresh_from_db()
    assert post.status == S.PUBLISHED and post.service_link and post.published_at
    assert creates_per_post(sandbox, [post]) == {post.pk: 1}


def test_a_claim_no_worker_started_is_sent_again_not_reconciled(account, sandbox, django_capture_on_commit_callbacks):
    [post] = due_posts([account], 1)
    [claim] = claim_due_posts(now=timezone.now(), limit=10)  # ... and its task waits in a backlog, or was lost
    later = timezone.now() + dt.timedelta(hours=1)
    assert requeue_unstarted_claims() == 0  # not stale yet
    assert sweep_stale_claims(now=later) == 0  # never started: not dead, nothing to ask Buffer
    requests_before = sandbox.stats()["requests"]
    with django_capture_on_commit_callbacks() as sent:  # captured, not run: the test plays both deliveries
        assert requeue_unstarted_claims(now=later) == 1
        assert requeue_unstarted_claims(now=later) == 0  # its age restarted: sent once per period
    assert len(sent) == 1
    post.refresh_from_db()
    assert (post.status, post.claim_id, post.claimed_at) == (S.PUBLISHING, claim.claim_id, later)
    assert sandbox.stats()["requests"] == requests_before

    # Both deliveries arrive: the first publishes, the second finds the claim started.
    assert publish_claimed_post(post_id=post.pk, claim_id=claim.claim_id) == AttemptOutcome.PUBLISHED
    assert publish_claimed_post(post_id=post.pk, claim_id=claim.claim_id) == "stale"
    assert creates_per_post(sandbox, [post]) == {post.pk: 1}


def test_a_started_claim_is_not_sent_again(account, sandbox):
    [post] = due_posts([account], 1)
    [claim] = claim_due_posts(now=timezone.now(), limit=10)
    post.publish_attempts.create(claim_id=claim.claim_id, number=1, started_at=timezone.now())
    later = timezone.now() + dt.timedelta(hours=1)
    assert requeue_unstarted_claims(now=later) == 0
    assert sweep_stale_claims(now=later) == 1  # started and abandoned: Buffer may have it


def test_buffer_unreachable_during_reconciliation_checks_again_later(account, sandbox):
    [post] = due_posts([account], 1)
    sandbox.faults(error_rate=1.0)
    publish_one(post)
    sandbox.faults(error_rate=0.0, down=True)
    before = timezone.now()
    assert reconcile(post) == "unreachable"
    post.refresh_from_db()
    assert post.status == S.RECONCILING and post.retry_at >= before  # backoff with full jitter
    assert "Could not check Buffer yet" in post.last_error


def test_absent_after_the_last_attempt_fails(account, sandbox, settings):
    settings.PUBLISH_RETRY_BUDGET = 1
    [post] = due_posts([account], 1)
    sandbox.faults(error_rate=1.0)
    publish_one(post)
    sandbox.faults(error_rate=0.0)
    assert reconcile(post) == "failed"
    post.refresh_from_db()
    assert post.status == S.FAILED and post.last_error == "Gave up after 1 attempts: not found at Buffer."


def test_reconciliations_are_queued_once_per_lease(account, sandbox, monkeypatch, django_capture_on_commit_callbacks):
    posts = due_posts([account], 2)
    now = timezone.now()
    Post.objects.filter(pk__in=[p.pk for p in posts]).update(status=S.RECONCILING, claim_id=uuid.uuid4(), retry_at=now)
    queued = []
    monkeypatch.setattr("posts.tasks.reconcile_post.delay", lambda *args: queued.append(args))
    with django_capture_on_commit_callbacks(execute=True):
        assert queue_due_reconciliations(now=now) == 2
        assert queue_due_reconciliations(now=now) == 0  # leased: the next sweep does not double them
    assert sorted(pk for pk, _ in queued) == sorted(p.pk for p in posts)
    assert reconcile_post(post_id=posts[0].pk, claim_id=uuid.uuid4()) == "stale"  # not its claim


def test_attempts_are_listed_in_the_api_for_the_owner_only(api, outsider_api, account, sandbox):
    [post] = due_posts([account], 1)
    sandbox.faults(down=True)
    publish_one(post)
    response = api.get(f"/api/v1/posts/{post.pk}/attempts")
    assert response.status_code == 200
    [attempt] = response.json()
    assert attempt["number"] == 1 and attempt["outcome"] == "retry" and "503" in attempt["error"]
    assert attempt["started_at"] and attempt["finished_at"]
    body = api.get(f"/api/v1/posts/{post.pk}").json()
    assert body["attempts"] == 1 and body["retry_at"] and body["hold_reason"] == ""
    assert outsider_api.get(f"/api/v1/posts/{post.pk}/attempts").status_code == 404
