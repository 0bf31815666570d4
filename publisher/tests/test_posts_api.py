"""POST/GET/DELETE /posts: the seed's example, processing into ordinary Posts, strict x failOn, deletion."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
import time_machine

from accounts.tests.factories import SocialAccountFactory
from posts.models import Post, PostStatus
from posts.scheduling import PUBLISH_NOW_LEAD
from publisher.models import Delivery, PublisherPost

pytestmark = pytest.mark.django_db
# Well inside the scheduling horizon (SCHEDULE_HORIZON_DAYS), on any day the suite runs.
YEAR = datetime.now(UTC).year + 2
LATER = f"{YEAR}-01-01T10:00:00Z"
IMAGE = "http://example.com/a.jpg"
LONG = " ".join(["word"] * 120)
PAYLOADS = {
    "fits": {"message": "Look at that", "field-image": IMAGE},
    "needs truncation": {"message": LONG, "field-image": IMAGE},
    "needs a dropped image": {"message": "Five", "images": [f"http://example.com/{n}.jpg" for n in range(5)]},
}


def create(api, capture, data) -> dict:
    """POST /posts and run what is queued on commit (processing, eagerly)."""
    with capture(execute=True):
        response = api.post("/api/v1/publisher/posts", data, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def detail(api, post_id) -> dict:
    return api.get(f"/api/v1/publisher/posts/{post_id}").json()


def test_the_seeds_example_answers_the_seeds_shape(api, channel, django_capture_on_commit_callbacks):
    body = create(
        api,
        django_capture_on_commit_callbacks,
        {
            "channels": [channel.config_id],
            "contentSourceLink": "http://example.com/abc",
            "payload": {"message": "Look at that", "field-image": "http://example.com/a.jpg"},
        },
    )
    assert set(body) == {"postId", "postStatus"} and body["postStatus"] == "QUEUED"
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", body["postId"])
    shown = detail(api, body["postId"])
    assert shown["postStatus"] == "PROCESSED"
    assert [(d["networkType"], d["type"], d["status"]) for d in shown["deliveries"]] == [
        ("twitter", "IMAGE", "scheduled"),
        ("facebook", "IMAGE", "scheduled"),
    ]
    posts = Post.objects.filter(publisher_delivery__publisher_post__public_id=body["postId"]).order_by("id")
    assert [(p.content, p.media_urls, p.status) for p in posts] == [
        ("Look at that\n\nhttp://example.com/abc", [IMAGE], PostStatus.SCHEDULED)
    ] * 2


def test_post_ids_differ_and_cannot_be_guessed(api, channel):
    ids = {api.post("/api/v1/publisher/posts", {"payload": "x"}, format="json").json()["postId"] for _ in range(5)}
    assert len(ids) == 5


@pytest.mark.parametrize("strict", [False, True])
@pytest.mark.parametrize("fail_on", ["error", "warning"])
@pytest.mark.parametrize("payload", list(PAYLOADS))
def test_strict_and_fail_on(api, twitter, django_capture_on_commit_callbacks, strict, fail_on, payload):
    data = {"networktargets": [f"nt_{twitter.pk}"], "strict": strict, "failOn": fail_on, "payload": PAYLOADS[payload]}
    post_id = create(api, django_capture_on_commit_callbacks, data)["postId"]
    shown = detail(api, post_id)
    delivery = shown["deliveries"][0]
    adapted = payload != "fits"
    if not adapted:
        assert (shown["postStatus"], delivery["warnings"], delivery["errors"]) == ("PROCESSED", [], [])
    elif strict:
        assert shown["postStatus"] == "ERROR" and delivery["status"] == "rejected"
        assert delivery["warnings"] == [] and delivery["errors"][0].startswith("Not allowed with strict")
    elif fail_on == "warning":
        assert shown["postStatus"] == "ERROR" and len(delivery["warnings"]) == 1
        assert delivery["errors"] == ['failOn is "warning": this delivery has 1 warning(s).']
    else:
        assert shown["postStatus"] == "PROCESSED" and len(delivery["warnings"]) == 1 and delivery["errors"] == []
    assert Post.objects.count() == (1 if shown["postStatus"] == "PROCESSED" else 0)


def test_one_invalid_delivery_means_nothing_is_published(api, owner, twitter, django_capture_on_commit_callbacks):
    instagram = SocialAccountFactory(owner=owner, platform="instagram")
    data = {"networktargets": [f"nt_{twitter.pk}", f"nt_{instagram.pk}"], "payload": {"message": "No picture"}}
    shown = detail(api, create(api, django_capture_on_commit_callbacks, data)["postId"])
    assert shown["postStatus"] == "ERROR"
    assert shown["error"].startswith("Validation failed for 1 of 2 deliveries, so nothing was published.")
    assert [d["status"] for d in shown["deliveries"]] == ["skipped", "rejected"]
    assert not Post.objects.exists()


def test_unscheduled_posts_go_out_now_with_the_composers_lead(api, twitter, django_capture_on_commit_callbacks):
    now = datetime.now(UTC)
    with time_machine.travel(now, tick=False):
        create(api, django_capture_on_commit_callbacks, {"networktargets": [f"nt_{twitter.pk}"], "payload": "Now"})
    post = Post.objects.get()
    assert post.status == PostStatus.SCHEDULED and post.scheduled_time == now + PUBLISH_NOW_LEAD


def test_scheduled_posts_wait(api, twitter, django_capture_on_commit_callbacks):
    data = {"networktargets": [f"nt_{twitter.pk}"], "scheduled": LATER, "payload": "Later"}
    shown = detail(api, create(api, django_capture_on_commit_callbacks, data)["postId"])
    assert shown["postStatus"] == "SCHEDULED" and shown["scheduled"] == LATER
    assert Post.objects.get().scheduled_time.year == YEAR


def test_get_and_delete_are_scoped(api, outsider_api, channel):
    post_id = api.post("/api/v1/publisher/posts", {"payload": "x"}, format="json").json()["postId"]
    assert api.get(f"/api/v1/publisher/posts/{post_id}").status_code == 200
    assert outsider_api.get(f"/api/v1/publisher/posts/{post_id}").status_code == 404
    assert outsider_api.delete(f"/api/v1/publisher/posts/{post_id}").status_code == 404
    assert api.delete("/api/v1/publisher/posts/nope").status_code == 404
    assert api.delete(f"/api/v1/publisher/posts/{post_id}").status_code == 204
    assert api.get(f"/api/v1/publisher/posts/{post_id}").status_code == 404


def test_delete_withdraws_undelivered_posts_and_keeps_published_ones(
    api, owner, channel, django_capture_on_commit_callbacks
):
    post_id = create(api, django_capture_on_commit_callbacks, {"payload": "Two"})["postId"]
    first, _second = Post.objects.order_by("id")
    Post.objects.filter(pk=first.pk).update(status=PostStatus.PUBLISHED)
    assert api.delete(f"/api/v1/publisher/posts/{post_id}").status_code == 204
    assert list(Post.objects.values_list("pk", flat=True)) == [first.pk]
    assert not PublisherPost.objects.exists() and not Delivery.objects.exists()


def test_delete_before_processing_stops_processing(api, channel):
    from publisher.services import publisher_post_process

    post_id = api.post("/api/v1/publisher/posts", {"payload": "x"}, format="json").json()["postId"]
    pk = PublisherPost.objects.get(public_id=post_id).pk
    assert api.delete(f"/api/v1/publisher/posts/{post_id}").status_code == 204
    assert publisher_post_process(publisher_post_id=pk) is None
    assert not Post.objects.exists()


def test_delete_withdraws_from_buffer(api, owner, sandbox, django_capture_on_commit_callbacks):
    from buffer_integration.tests.factories import BufferConfigFactory
    from posts.services import post_schedule_via_buffer

    BufferConfigFactory(owner=owner, access_token="tok-pub")
    account = SocialAccountFactory(
        owner=owner, platform="twitter", buffer_profile_id=sandbox.profile_id("tok-pub", "twitter")
    )
    data = {"networktargets": [f"nt_{account.pk}"], "scheduled": LATER, "payload": "At Buffer"}
    post_id = create(api, django_capture_on_commit_callbacks, data)["postId"]
    post = post_schedule_via_buffer(post=Post.objects.get())
    assert [u["deleted"] for u in sandbox.admin("GET", "updates").json()] == [False]
    assert api.delete(f"/api/v1/publisher/posts/{post_id}").status_code == 204
    assert [u["deleted"] for u in sandbox.admin("GET", "updates").json()] == [True]
    assert not Post.objects.filter(pk=post.pk).exists()


def test_list_is_newest_first_with_total(api, channel):
    ids = [api.post("/api/v1/publisher/posts", {"payload": n}, format="json").json()["postId"] for n in range(3)]
    response = api.get("/api/v1/publisher/posts")
    assert response["X-Total-Count"] == "3"
    assert [p["postId"] for p in response.json()] == ids[::-1]


def test_a_lost_processing_task_is_made_up_by_the_periodic_refresh(api, channel):
    import datetime as dt

    import time_machine
    from django.utils import timezone

    from publisher.tasks import refresh_publisher_statuses

    post_id = api.post("/api/v1/publisher/posts", {"payload": "x"}, format="json").json()["postId"]  # no on_commit
    refresh_publisher_statuses()
    assert detail(api, post_id)["postStatus"] == "QUEUED"  # its own task may still be on the way
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1)):
        refresh_publisher_statuses()
        assert PublisherPost.objects.get().status == "PROCESSED"


def test_in_a_workspace_requiring_approval_the_posts_wait_for_it(
    api, owner, channel, django_capture_on_commit_callbacks
):
    from accounts.workspaces import workspace_personal_for

    workspace = workspace_personal_for(owner)
    workspace.approval_required = True
    workspace.save(update_fields=["approval_required"])
    body = create(
        api, django_capture_on_commit_callbacks, {"channels": [channel.config_id], "payload": {"message": "Hi"}}
    )
    posts = Post.objects.filter(publisher_delivery__publisher_post__public_id=body["postId"])
    assert posts and {post.status for post in posts} == {PostStatus.PENDING_APPROVAL}
