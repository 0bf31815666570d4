"""The engine's periodic loops take each item on its own: one bad row or account never stops the rest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from buffer_integration.backends.base import UpdateDraft
from buffer_integration.budget import Priority
from buffer_integration.models import BufferConfig
from buffer_integration.services import backend_for_account
from kernel.periodic import skipped_last_run
from posts import transitions
from posts.engine.reconcile import queue_due_reconciliations, sweep_stale_claims
from posts.engine.status_sync import sync_handed_over_posts
from posts.models import Post, PostStatus, PublishAttempt
from posts.tests.engine_helpers import due_posts, sandbox_account
from socialhub.tests.poison import store_unreadable_datetime

pytestmark = pytest.mark.django_db


def handed_over(account, sandbox) -> Post:
    """A post in Buffer's queue, due now; the sandbox sends it once its clock passes."""
    [post] = due_posts([account], 1, prefix=f"Handed over {account.pk}")
    update = backend_for_account(account=account, priority=Priority.PUBLISH).create_update(
        UpdateDraft(
            profile_id=account.buffer_profile_id,
            text=post.content,
            scheduled_at=timezone.now() + dt.timedelta(seconds=5),
        )
    )
    Post.objects.filter(pk=post.pk).update(buffer_update_id=update.id, handed_to_buffer_at=timezone.now())
    return post


def test_status_sync_skips_an_unreadable_post_and_a_failing_account(owner, sandbox):
    healthy, unreadable, broken = (sandbox_account(owner, sandbox, f"isolation-{n}") for n in range(3))
    posts = {account.pk: handed_over(account, sandbox) for account in (healthy, unreadable, broken)}
    sandbox.admin("POST", "clock", json={"advance_seconds": 60})
    store_unreadable_datetime(Post, posts[unreadable.pk].pk, "handed_to_buffer_at")
    # Its owner's Buffer token was encrypted with a key since removed: decrypting it fails for this account only.
    BufferConfig.objects.filter(owner=broken.owner).update(access_token_encrypted="gAAAAA-not-a-token")

    # Past the status sync's batch delay, which lets posts due together share one request.
    assert sync_handed_over_posts(now=timezone.now() + dt.timedelta(minutes=11)) == 1

    assert Post.objects.get(pk=posts[healthy.pk].pk).status == PostStatus.PUBLISHED
    assert Post.objects.get(pk=posts[broken.pk].pk).status == PostStatus.SCHEDULED
    assert skipped_last_run()["posts.status_sync"] == 2


def test_the_sweeper_and_the_reconciler_queue_go_on_past_a_failing_item(owner, sandbox, monkeypatch):
    account = sandbox_account(owner, sandbox, "isolation-sweep")
    first, second = due_posts([account], 2)
    long_ago = timezone.now() - dt.timedelta(hours=1)
    claim_id = "00000000-0000-0000-0000-000000000001"
    Post.objects.update(status=PostStatus.PUBLISHING, claimed_at=long_ago, claim_id=claim_id)
    for post in (first, second):  # both started by a worker that then died
        PublishAttempt.objects.create(post=post, claim_id=claim_id, number=1, started_at=long_ago)

    real = transitions.mark_reconciling

    def fails_for_the_first(*, post_id, **kwargs):
        if post_id == first.pk:
            raise RuntimeError("boom")
        return real(post_id=post_id, **kwargs)

    monkeypatch.setattr(transitions, "mark_reconciling", fails_for_the_first)
    assert sweep_stale_claims() == 1
    assert Post.objects.get(pk=second.pk).status == PostStatus.RECONCILING
    assert Post.objects.get(pk=first.pk).status == PostStatus.PUBLISHING  # rolled back, tried again next run
    assert skipped_last_run()["posts.sweep_stale_claims"] == 1
    assert queue_due_reconciliations() == 1
    assert skipped_last_run()["posts.queue_reconciliations"] == 0
