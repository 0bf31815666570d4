"""Publishing one claimed post against the Buffer sandbox over HTTP: outcomes, retries, claims."""

from __future__ import annotations

import datetime as dt

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.utils import timezone

from accounts.models import ConnectionStatus
from buffer_integration.backends.graphql import GraphQLBackend
from buffer_integration.backends.v1 import V1Backend
from posts.engine.dispatch import HOLD_ACCOUNT_INACTIVE, claim_due_posts
from posts.engine.publish import publish_claimed_post
from posts.models import AttemptOutcome, PostStatus
from posts.tests.engine_helpers import creates_per_post, due_posts, publish_due, sandbox_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_engine")]
S = PostStatus


@pytest.fixture
def account(owner, sandbox):
    return sandbox_account(owner, sandbox, "engine-token")


def test_published_once_with_update_id_link_lateness_and_attempt(account, sandbox):
    [post] = due_posts([account], 1, ago=3)
    assert publish_due() == [AttemptOutcome.PUBLISHED]
    post.refresh_from_db()
    assert post.status == S.PUBLISHED and post.attempts == 1 and post.last_error == ""
    assert post.buffer_update_id and post.service_link.startswith("https://")
    assert 3 <= post.lateness_seconds < 10
    assert post.lateness_seconds == pytest.approx((post.published_at - post.scheduled_time).total_seconds())
    [attempt] = post.publish_attempts.all()
    assert (attempt.outcome, attempt.buffer_update_id, attempt.number) == ("published", post.buffer_update_id, 1)
    assert attempt.finished_at >= attempt.started_at
    [update] = sandbox.admin("GET", "updates").json()
    assert update["status"] == "sent" and update["text"] == post.content
    assert creates_per_post(sandbox, [post]) == {post.pk: 1}


def test_a_redelivered_or_duplicate_task_never_calls_buffer_again(account, sandbox):
    [post] = due_posts([account], 1)
    [claim] = claim_due_posts(now=timezone.now(), limit=10)
    assert publish_claimed_post(post_id=post.pk, claim_id=claim.claim_id) == "published"
    assert publish_claimed_post(post_id=post.pk, claim_id=claim.claim_id) == "stale"

    # A duplicate delivery while the first is still running (or died mid-call) finds the claim started.
    [second] = due_posts([account], 1, prefix="Second")
    [claim] = claim_due_posts(now=timezone.now(), limit=10)
    second.publish_attempts.create(claim_id=claim.claim_id, number=1, started_at=timezone.now())
    assert publish_claimed_post(post_id=second.pk, claim_id=claim.claim_id) == "stale"
    assert sandbox.stats()["creates"] == 1
    second.refresh_from_db()
    assert second.status == S.PUBLISHING  # left for the sweeper, never resent blindly


def test_transient_failure_retries_later_then_fails_loudly_when_the_budget_is_spent(account, sandbox, settings):
    settings.PUBLISH_RETRY_BUDGET = 2
    [post] = due_posts([account], 1)
    sandbox.faults(down=True)
    before = timezone.now()
    assert publish_due() == ["retry"]
    post.refresh_from_db()
    assert post.status == S.SCHEDULED and post.attempts == 1 and post.retry_at >= before
    assert "Attempt 1 of 2 failed" in post.last_error and "503" in post.last_error

    post.__class__.objects.filter(pk=post.pk).update(retry_at=timezone.now())  # the backoff has passed
    assert publish_due() == ["failed"]
    post.refresh_from_db()
    assert post.status == S.FAILED and post.attempts == 2
    assert post.last_error.startswith("Gave up after 2 attempts: Buffer is unavailable (HTTP 503)")
    assert [a.outcome for a in post.publish_attempts.order_by("number")] == ["retry", "failed"]
    assert sandbox.stats()["creates"] == 0


def test_a_429_is_retried_no_sooner_than_retry_after(account, sandbox):
    [post] = due_posts([account], 1)
    sandbox.faults(rate_limit_rate=1.0)  # the sandbox answers 429 with Retry-After: 1
    before = timezone.now()
    assert publish_due() == ["retry"]
    post.refresh_from_db()
    assert post.retry_at >= before + dt.timedelta(seconds=1)
    assert "rate limit" in post.last_error


def test_a_rejected_token_fails_at_once_and_marks_the_account(owner, sandbox):
    account = sandbox_account(owner, sandbox, "invalid-token")
    [post] = due_posts([account], 1)
    assert publish_due() == ["failed"]
    post.refresh_from_db()
    account.refresh_from_db()
    assert post.status == S.FAILED and post.attempts == 1 and "access token" in post.last_error
    assert account.connection_status == ConnectionStatus.ERROR and "publishing" in account.last_error


def test_content_buffer_refuses_fails_at_once_with_buffers_reason(account, sandbox):
    [post] = due_posts([account], 1)
    post.__class__.objects.filter(pk=post.pk).update(content="x" * 300)  # over Twitter's 280
    assert publish_due() == ["failed"]
    post.refresh_from_db()
    assert post.status == S.FAILED and "too long" in post.last_error


def test_unknown_outcome_goes_to_reconciling_never_resent(account, sandbox):
    [post] = due_posts([account], 1)
    sandbox.faults(error_rate=1.0, error_after_write=True)  # Buffer applies the write, the answer is lost
    assert publish_due() == ["unknown"]
    post.refresh_from_db()
    assert post.status == S.RECONCILING and "checking Buffer" in post.last_error
    assert publish_due() == []  # not due for dispatch: it waits for reconciliation
    assert creates_per_post(sandbox, [post]) == {post.pk: 1}


def test_soft_time_limit_during_the_call_is_an_unknown_outcome(account, sandbox, monkeypatch):
    def slow_create(self, draft):
        raise SoftTimeLimitExceeded()

    for backend_class in (V1Backend, GraphQLBackend):
        monkeypatch.setattr(backend_class, "create_update", slow_create)
    [post] = due_posts([account], 1)
    assert publish_due() == ["unknown"]
    post.refresh_from_db()
    assert post.status == S.RECONCILING and "ran out of time" in post.last_error


def test_an_account_deactivated_after_the_claim_is_held_at_send_time(account, sandbox):
    [post] = due_posts([account], 1)
    [claim] = claim_due_posts(now=timezone.now(), limit=10)
    account.is_active = False
    account.save(update_fields=["is_active"])
    assert publish_claimed_post(post_id=post.pk, claim_id=claim.claim_id) == "held"
    post.refresh_from_db()
    assert post.status == S.SCHEDULED and post.hold_reason == HOLD_ACCOUNT_INACTIVE and post.attempts == 0
    assert sandbox.stats()["creates"] == 0


@pytest.mark.parametrize("policy", ["publish", "fail"])
def test_late_post_policy(account, sandbox, settings, policy):
    settings.LATE_POST_POLICY = policy
    settings.LATE_POST_THRESHOLD_SECONDS = 600
    [late] = due_posts([account], 1, ago=3600)
    [on_time] = due_posts([account], 1, ago=60, prefix="On time")
    publish_due()
    late.refresh_from_db()
    on_time.refresh_from_db()
    assert on_time.status == S.PUBLISHED
    assert late.lateness_seconds == pytest.approx(3600, abs=30)
    if policy == "publish":
        assert late.status == S.PUBLISHED
    else:
        assert late.status == S.FAILED and "LATE_POST_POLICY=fail" in late.last_error
        assert creates_per_post(sandbox, [late]) == {late.pk: 0}
