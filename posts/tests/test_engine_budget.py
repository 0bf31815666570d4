"""The engine inside the key's request budget (buffer_integration.budget), against the sandbox over HTTP.

Publishing asks at the highest priority, so polling that used its share never starves it; a key with
no room at all defers its posts durably to the budget's `retry_at`, untried, and publishes them after.
"""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.utils import timezone

from buffer_integration import budget
from buffer_integration.budget import PLAN_LIMITS as PLANS
from buffer_integration.budget import Priority
from buffer_integration.exceptions import BufferBudgetExhausted
from posts.engine.buffer_calls import backend_for
from posts.engine.reconcile import reconcile_post
from posts.models import AttemptOutcome, Post, PostStatus
from posts.tests.engine_helpers import creates_per_post, due_posts, publish_due

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_engine")]
S = PostStatus


def spend(account, priority: Priority) -> BufferBudgetExhausted:
    """Make real requests at `priority` until the key's budget refuses one; returns the refusal."""
    backend, _ = backend_for(account, priority=priority)
    for _ in range(1000):
        try:
            backend.list_pending(account.buffer_profile_id)
        except BufferBudgetExhausted as refusal:
            return refusal
    pytest.fail(f"the budget never refused a {priority.name} request")


def reload(posts) -> list[Post]:
    return list(Post.objects.filter(pk__in=[p.pk for p in posts]).order_by("pk"))


LIMIT = 20  # requests per window for every plan (v1: per minute), so a test spends a key in a few calls


@pytest.fixture(autouse=True)
def small_budget(settings):
    settings.BUFFER_PLAN_LIMITS = {plan: {"15m": LIMIT, "24h": LIMIT, "30d": 10 * LIMIT} for plan in PLANS}
    settings.BUFFER_RATE_LIMIT_PER_MINUTE = LIMIT


@pytest.fixture
def clock(monkeypatch):
    """The budget's clock, frozen (so every refusal names the same retry_at) until a test moves it."""

    class Clock:
        now = timezone.now().timestamp()

        def at(self, when: dt.datetime) -> None:
            self.now = when.timestamp()

    frozen = Clock()
    monkeypatch.setattr(budget, "_clock", lambda: frozen.now)
    return frozen


def test_a_key_polling_used_up_to_its_reserve_still_publishes_its_due_posts(buffer_account, sandbox, clock):
    spend(buffer_account, Priority.STATUS_SYNC)
    spend(buffer_account, Priority.ANALYTICS)  # refused at once: analytics leaves an even larger reserve
    posts = due_posts([buffer_account], 3)
    assert publish_due() == [AttemptOutcome.PUBLISHED] * 3
    assert {p.status for p in reload(posts)} == {S.PUBLISHED}
    assert set(creates_per_post(sandbox, posts).values()) == {1}
    spend(buffer_account, Priority.STATUS_SYNC)  # and polling is still held back by the reserve


def test_a_spent_key_defers_its_posts_untried_to_retry_at_then_publishes_them(buffer_account, sandbox, clock, caplog):
    refusal = spend(buffer_account, Priority.PUBLISH)
    posts = due_posts([buffer_account], 3)
    requests_before = sandbox.stats()["requests"]
    caplog.set_level(logging.INFO, logger="socialhub.engine")
    assert publish_due() == ["deferred"] * 3
    assert sandbox.stats()["requests"] == requests_before  # nothing reached Buffer
    for post in reload(posts):
        assert (post.status, post.attempts, post.retry_at) == (S.SCHEDULED, 0, refusal.retry_at)
        assert "request budget" in post.last_error and not post.publish_attempts.exists()
    assert len([r for r in caplog.records if "out of budget" in r.getMessage()]) == 1  # once, not per post
    assert publish_due() == []  # durably deferred: not due again before the window has room

    clock.at(refusal.retry_at + dt.timedelta(seconds=1))
    assert publish_due(now=refusal.retry_at + dt.timedelta(seconds=1)) == [AttemptOutcome.PUBLISHED] * 3
    for post in reload(posts):
        assert (post.status, post.attempts, post.last_error) == (S.PUBLISHED, 1, "")
        assert [a.outcome for a in post.publish_attempts.all()] == [AttemptOutcome.PUBLISHED]
    assert set(creates_per_post(sandbox, posts).values()) == {1}


def test_a_reconciliation_the_budget_has_no_room_for_waits_and_then_finds_the_post(buffer_account, sandbox, clock):
    [post] = due_posts([buffer_account], 1)
    sandbox.faults(error_rate=1.0, error_after_write=True)  # the write lands, its answer is lost
    assert publish_due() == [AttemptOutcome.UNKNOWN]
    sandbox.faults(error_rate=0.0)
    refusal = spend(buffer_account, Priority.RECONCILE)
    post.refresh_from_db()
    assert reconcile_post(post_id=post.pk, claim_id=post.claim_id) == "deferred"
    post.refresh_from_db()
    assert (post.status, post.attempts, post.retry_at) == (S.RECONCILING, 1, refusal.retry_at)
    assert "request budget" in post.last_error

    clock.at(refusal.retry_at + dt.timedelta(seconds=1))
    assert reconcile_post(post_id=post.pk, claim_id=post.claim_id) == "found"
    post.refresh_from_db()
    assert post.status == S.PUBLISHED and post.attempts == 1
    assert creates_per_post(sandbox, [post]) == {post.pk: 1}
