"""One bad row never stops the Publisher's background work for everyone else.

A post stored before input was bounded (year 10000 in UTC, an impossible date) cannot be read back;
the periodic passes skip it, note it on the row and count it for /health, and go on with the
other posts. Its owner can still see and delete it.
"""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import client_for
from kernel.periodic import skipped_last_run
from posts.models import Post, PostStatus
from publisher import tasks
from publisher.models import CallbackDelivery, PublisherPost, PublisherStatus, WebhookSecret
from publisher.models.posts import QUARANTINE_AFTER
from publisher.outbox import send_due_callbacks
from publisher.status import refresh_unsettled
from socialhub.tests.poison import store_unreadable_datetime, unreadable_error_class

pytestmark = pytest.mark.django_db


def poison(publisher_post: PublisherPost) -> None:
    """Store what the issue's request stored: a `scheduled` that the database holds but Python cannot read."""
    store_unreadable_datetime(PublisherPost, publisher_post.pk, "scheduled_at")


def submit(client, capture, body) -> PublisherPost:
    with capture(execute=True):
        response = client.post("/api/v1/publisher/posts", body, format="json")
    assert response.status_code == 201, response.json()
    return PublisherPost.objects.get(public_id=response.json()["postId"])


@pytest.fixture
def poisoned(api, channel, django_capture_on_commit_callbacks) -> PublisherPost:
    publisher_post = submit(api, django_capture_on_commit_callbacks, {"payload": "x"})
    poison(publisher_post)
    return publisher_post


@pytest.fixture
def other_users_post(outsider, django_capture_on_commit_callbacks) -> PublisherPost:
    from accounts.tests.factories import SocialAccountFactory

    SocialAccountFactory(owner=outsider, platform="mastodon", account_name="other")
    return submit(client_for(outsider), django_capture_on_commit_callbacks, {"payload": "Hello"})


def test_the_issues_year_10000_post_cannot_be_created(api, channel):
    body = {"payload": {"message": "x"}, "scheduled": "9999-12-31T23:59:59-12:00"}
    response = api.post("/api/v1/publisher/posts", body, format="json")
    assert response.status_code == 400 and list(response.json()["errors"]) == ["scheduled"]


def test_a_poisoned_row_does_not_stop_other_users_posts_from_finishing(poisoned, other_users_post, caplog):
    Post.objects.update(status=PostStatus.PUBLISHED, published_at=timezone.now())  # what the engine does

    tasks.refresh_publisher_statuses()

    other_users_post.refresh_from_db()
    assert other_users_post.status == PublisherStatus.FINISHED
    problem = PublisherPost.objects.filter(pk=poisoned.pk).values("task_error", "task_failures").get()
    error_class = unreadable_error_class()
    assert problem["task_failures"] == 1 and problem["task_error"].startswith(f"{error_class} at ")
    assert skipped_last_run()["publisher.refresh_statuses"] == 1
    assert f"skipped {poisoned.pk} after {error_class}" in caplog.text


def test_a_poisoned_row_is_left_alone_after_repeated_failures(poisoned, caplog):
    for _ in range(QUARANTINE_AFTER + 2):
        refresh_unsettled()
    assert PublisherPost.objects.filter(pk=poisoned.pk).values_list("task_failures", flat=True).get() == (
        QUARANTINE_AFTER
    )
    assert skipped_last_run()["publisher.refresh_statuses"] == 0


def test_a_poisoned_straggler_does_not_stop_the_others(api, channel, outsider, caplog):
    from accounts.tests.factories import SocialAccountFactory

    SocialAccountFactory(owner=outsider, platform="mastodon", account_name="other")
    # Accepted, but their processing task was lost (no on-commit execution here).
    stuck = PublisherPost.objects.get(public_id=api.post("/api/v1/publisher/posts", {"payload": "x"}).json()["postId"])
    theirs = client_for(outsider).post("/api/v1/publisher/posts", {"payload": "y"}, format="json").json()["postId"]
    poison(stuck)
    PublisherPost.objects.update(created_at=timezone.now() - timezone.timedelta(minutes=5))

    tasks.refresh_publisher_statuses()

    assert PublisherPost.objects.get(public_id=theirs).processed_at is not None
    assert PublisherPost.objects.filter(pk=stuck.pk).values_list("task_failures", flat=True).get() == 1
    assert skipped_last_run()["publisher.process_stragglers"] == 1


def test_the_owner_can_still_see_list_and_delete_it(api, poisoned, other_users_post):
    url = f"/api/v1/publisher/posts/{poisoned.public_id}"
    shown = api.get(url)
    assert shown.status_code == 200
    assert shown.json()["postId"] == poisoned.public_id and "cannot be read" in shown.json()["error"]
    assert shown.json()["taskError"] is None  # no background run failed on it yet
    listed = api.get("/api/v1/publisher/posts")
    assert listed.status_code == 200 and [p["postId"] for p in listed.json()] == [poisoned.public_id]
    assert client_for(other_users_post.owner).get(url).status_code == 404
    assert api.delete(url).status_code == 204
    assert not PublisherPost.objects.filter(pk=poisoned.pk).exists()
    assert not Post.objects.filter(owner=poisoned.owner).exists()  # its delivery's Post was withdrawn


def test_a_callback_that_cannot_be_signed_does_not_stop_the_others(
    api, channel, outsider, receiver, django_capture_on_commit_callbacks
):
    from accounts.tests.factories import SocialAccountFactory

    SocialAccountFactory(owner=outsider, platform="mastodon", account_name="other")
    mine = {"payload": "x", "postStatusCallback": receiver.url + "/mine"}
    theirs = {"payload": "y", "postStatusCallback": receiver.url + "/theirs"}
    api.post("/api/v1/publisher/posts", mine, format="json")
    client_for(outsider).post("/api/v1/publisher/posts", theirs, format="json")
    # The owner's secret no longer decrypts (encrypted with a key since removed from FIELD_ENCRYPTION_KEYS).
    WebhookSecret.objects.filter(owner=channel.owner).update(secret_encrypted="gAAAAA-not-a-token")

    assert send_due_callbacks() == 1

    assert [r.path for r in receiver.requests] == ["/theirs"]
    stuck = CallbackDelivery.objects.get(owner=channel.owner)
    assert stuck.last_error.startswith("Not sent: internal error (") and stuck.attempts == 0
    assert "gAAAAA" not in stuck.last_error
    assert skipped_last_run()["publisher.send_callbacks"] == 1


def test_each_run_is_bounded_in_time(other_users_post):
    Post.objects.update(status=PostStatus.PUBLISHED, published_at=timezone.now())
    assert refresh_unsettled(budget_seconds=-1) == 0  # spent before the first item: nothing done
    other_users_post.refresh_from_db()
    assert other_users_post.status == PublisherStatus.PROCESSED
    assert refresh_unsettled() == 1  # the next run goes on
    other_users_post.refresh_from_db()
    assert other_users_post.status == PublisherStatus.FINISHED
