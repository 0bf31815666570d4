"""Comment sync: comments added, edited and removed at the network reach the comment callback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from buffer_integration.tests.factories import BufferConfigFactory
from posts import transitions
from posts.models import BufferPollState, Post
from posts.services import post_schedule_via_buffer
from publisher.comments import sync_all_comments
from publisher.models import CallbackDelivery
from publisher.outbox import send_due_callbacks
from publisher.tests.receiver import verify_standard_webhook

pytestmark = pytest.mark.django_db
# Well inside the scheduling horizon (SCHEDULE_HORIZON_DAYS), on any day the suite runs.
YEAR = datetime.now(UTC).year + 2
LATER = f"{YEAR}-01-01T10:00:00Z"
TOKEN = "tok-comments"


@pytest.fixture
def published(api, owner, sandbox, whsec, receiver, django_capture_on_commit_callbacks):
    """A publisher post whose one delivery is published at the sandbox; returns (postId, update id, target)."""
    BufferConfigFactory(owner=owner, access_token=TOKEN)
    page = SocialAccountFactory(
        owner=owner, platform="facebook", service_type="page", buffer_profile_id=sandbox.profile_id(TOKEN, "facebook")
    )
    data = {
        "networktargets": [f"nt_{page.pk}"],
        "scheduled": LATER,
        "payload": {"message": "Discuss"},
        "postCommentCallback": receiver.url + "/comments",
    }
    with django_capture_on_commit_callbacks(execute=True):
        post_id = api.post("/api/v1/publisher/posts", data, format="json").json()["postId"]
    post = post_schedule_via_buffer(post=Post.objects.get())
    sandbox.admin("POST", f"updates/{post.buffer_update_id}/send")
    assert transitions.mark_published(post_id=post.pk, published_at=timezone.now())
    return post_id, post.buffer_update_id, f"nt_{page.pk}"


def sync() -> None:
    # Each call as if the comment sync's backoff had run out (the backoff has tests of its own).
    BufferPollState.objects.all().delete()
    sync_all_comments()
    send_due_callbacks()


def test_create_update_delete_reach_the_receiver(published, sandbox, receiver, whsec):
    post_id, update_id, target = published
    sync()
    seeded = len(receiver.requests)  # the sandbox seeds a few comments on sent updates
    assert all(r.method == "POST" for r in receiver.requests)

    parent = sandbox.admin("POST", f"updates/{update_id}/comments", json={"text": "First!", "author": "carol"}).json()
    reply = sandbox.admin(
        "POST", f"updates/{update_id}/comments", json={"text": "Reply", "author": "dave", "parent_id": parent["id"]}
    ).json()
    sync()
    created = receiver.requests[seeded:]
    assert [(r.method, r.path) for r in created] == [("POST", "/comments")] * 2
    comment = created[0].json
    assert comment == {
        "commentId": parent["id"],
        "postId": post_id,
        "parentCommentId": None,
        "author": comment["author"],
        "authorLink": comment["authorLink"],
        "content": {"plain": "First!"},
        "created": comment["created"],
        "changed": comment["changed"],
        "networktarget": target,
    }
    assert comment["author"] and comment["created"]
    assert created[1].json["parentCommentId"] == parent["id"]

    sandbox.admin("PUT", f"comments/{parent['id']}", json={"text": "First! (edited)"})
    sync()
    updated = receiver.requests[seeded + 2 :]
    assert [(r.method, r.json["content"]["plain"]) for r in updated] == [("PUT", "First! (edited)")]
    assert updated[0].json["changed"] > comment["changed"]

    sandbox.admin("DELETE", f"comments/{reply['id']}")
    sync()
    deleted = receiver.requests[seeded + 3 :]
    assert [(r.method, r.json["commentId"]) for r in deleted] == [("DELETE", reply["id"])]

    sync()
    assert len(receiver.requests) == seeded + 4  # nothing new, nothing sent
    assert all(verify_standard_webhook(whsec, r.headers, r.body) for r in receiver.requests)


def test_comment_callbacks_are_retried_not_reported_twice(published, sandbox, receiver):
    _, update_id, _ = published
    sync()
    receiver.requests.clear()
    receiver.fail_next(1)
    sandbox.admin("POST", f"updates/{update_id}/comments", json={"text": "Hi"})
    sync()
    sync()  # the diff base moved on although the callback failed: no second row for the same comment
    assert [r.answered for r in receiver.requests] == [500]
    with time_machine.travel(timezone.now() + timedelta(seconds=10)):
        send_due_callbacks()
    assert [r.answered for r in receiver.requests] == [500, 204]
    assert receiver.requests[0].headers["webhook-id"] == receiver.requests[1].headers["webhook-id"]
    assert CallbackDelivery.objects.filter(event="comment.created", attempts=2).count() == 1


def test_unpublished_or_callbackless_posts_are_not_synced(api, owner, channel, sandbox):
    api.post("/api/v1/publisher/posts", {"payload": "x"}, format="json")
    assert sync_all_comments() == 0


def test_a_delivery_whose_post_cannot_be_read_does_not_stop_the_others(published, sandbox, receiver, owner):
    from kernel.periodic import skipped_last_run
    from posts.tests.factories import PostFactory
    from publisher.models import Delivery, PublisherPost
    from socialhub.tests.poison import store_unreadable_datetime

    _, update_id, _ = published
    healthy = Post.objects.get()
    broken = PublisherPost.objects.create(
        workspace=workspace_personal_for(owner), owner=owner, payload="x", comment_callback_url=receiver.url + "/broken"
    )
    other = PostFactory(
        owner=owner, social_account=healthy.social_account, status="published", published_at=timezone.now()
    )
    Post.objects.filter(pk=other.pk).update(buffer_update_id=update_id)
    Delivery.objects.create(
        publisher_post=broken, post=other, network_target=healthy.social_account, requested_kind="STATUS"
    )
    store_unreadable_datetime(PublisherPost, broken.pk, "scheduled_at")
    sandbox.admin("POST", f"updates/{update_id}/comments", json={"text": "Still synced", "author": "erin"})

    sync()

    assert "Still synced" in [r.json["content"]["plain"] for r in receiver.requests]
    assert {r.path for r in receiver.requests} == {"/comments"}
    assert skipped_last_run()["publisher.sync_comments"] == 1


def test_comment_sync_over_budget_sends_nothing_and_catches_up_later(published, sandbox, receiver):
    from django.core.cache import cache

    from buffer_integration.budget import KeyBudget, Priority

    _, update_id, _ = published
    sandbox.admin("POST", f"updates/{update_id}/comments", json={"text": "Worth the wait"})
    cache.clear()
    gate = KeyBudget(TOKEN, api="v1", priority=Priority.PUBLISH)
    for _ in range(24):  # comment sync leaves 60% of v1's 60 a minute to the others
        gate.admit()
    before = sandbox.stats()["requests"]
    assert sync_all_comments() == 0
    assert sandbox.stats()["requests"] == before and not receiver.requests
    cache.clear()  # the window refilled
    sync()
    assert "Worth the wait" in [r.json["content"]["plain"] for r in receiver.requests]  # the next run catches up
