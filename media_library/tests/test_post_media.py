"""Posts reference library items (`media_ids`): checked in the workspace and against the post's network,
shown with their URLs, and sent to Buffer — the sandbox, over real HTTP, receives the items' public URLs."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from accounts.services import social_account_sync_from_buffer
from accounts.tests.factories import SocialAccountFactory
from buffer_integration.backends.graphql_wire import post_input
from buffer_integration.tests.factories import BufferConfigFactory
from buffer_sandbox.testing import profile_id
from media_library.models import MediaItem
from media_library.tests import files
from media_library.tests.test_upload import upload
from posts.engine.dispatch import claim_due_posts
from posts.engine.publish import publish_claimed_post
from posts.models import Post, PostMedia, PostStatus
from posts.scheduling import _draft
from posts.tests.engine_helpers import ENGINE_TEST_SETTINGS

pytestmark = pytest.mark.django_db
SOON = (timezone.now() + dt.timedelta(days=2)).isoformat()


def library_item(api, data: bytes | None = None, **fields) -> dict:
    response = upload(api, data or files.jpeg(100, 100), **fields)
    assert response.status_code == 201, response.content
    return response.json()


def create(api, account, **fields):
    body = {"social_account_id": account.pk, "content": "With media", "scheduled_time": SOON, **fields}
    return api.post("/api/v1/posts", body, format="json")


def test_a_post_takes_library_items_in_order_and_shows_their_urls(api, owner):
    account = SocialAccountFactory(owner=owner, platform="twitter")
    first, second = (
        library_item(api, alt_text="First"),
        library_item(api, files.png(), name="b.png", content_type="image/png"),
    )

    response = create(api, account, media_ids=[second["id"], first["id"]], media_urls=["https://cdn.example/c.jpg"])

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["media_ids"] == [second["id"], first["id"]]
    assert [(m["id"], m["url"], m["alt_text"]) for m in body["media"]] == [
        (second["id"], second["url"], ""),
        (first["id"], first["url"], "First"),
    ]
    post = Post.objects.get(pk=body["id"])
    assert list(PostMedia.objects.filter(post=post).values_list("media_id", "position")) == [
        (second["id"], 0),
        (first["id"], 1),
    ]
    listed = api.get("/api/v1/posts").json()
    assert listed[0]["media_ids"] == [second["id"], first["id"]]
    assert api.get(f"/api/v1/media/{first['id']}").json()["used_in"][0]["post_id"] == post.pk


def test_the_asset_list_is_library_items_then_media_urls(api, owner):
    account = SocialAccountFactory(owner=owner, platform="twitter")
    item = library_item(api, alt_text="A red square")
    post = Post.objects.get(
        pk=create(api, account, media_ids=[item["id"]], media_urls=["https://cdn.example/c.jpg"]).json()["id"]
    )

    draft = _draft(post=post, content=post.content, media_urls=post.media_urls, scheduled_time=None)

    assert [(a.kind, a.url, a.alt_text) for a in draft.assets] == [
        ("image", item["url"], "A red square"),
        ("image", "https://cdn.example/c.jpg", ""),
    ]
    assert draft.photo_url == item["url"]  # v1: the first image
    assets = post_input(draft)["assets"]
    assert assets[0] == {
        "image": {"url": item["url"], "thumbnailUrl": item["thumbnail_url"], "metadata": {"altText": "A red square"}}
    }


def test_another_workspaces_item_is_a_400_naming_the_id(api, owner, outsider, outsider_api):
    account = SocialAccountFactory(owner=owner, platform="twitter")
    theirs = library_item(outsider_api)
    response = create(api, account, media_ids=[theirs["id"], 10**12])
    assert response.status_code == 400
    assert response.json()["errors"]["media_ids"] == [
        f"You have no media item {theirs['id']}.",
        f"You have no media item {10**12}.",
    ]
    assert not Post.objects.exists()


def test_an_item_is_checked_against_the_posts_network(api, owner):
    instagram = SocialAccountFactory(owner=owner, platform="instagram")
    wide = library_item(api, files.jpeg(300, 100))  # no target at upload: only the general rules then
    response = create(api, instagram, media_ids=[wide["id"]])
    assert (
        response.status_code == 400
        and "Instagram takes images from 0.80:1" in response.json()["errors"]["media_ids"][0]
    )
    square = library_item(api)
    assert create(api, instagram, media_ids=[square["id"]]).status_code == 201  # its required image: an item
    assert create(api, instagram, media_ids=[square["id"], square["id"]]).status_code == 400  # once each


def test_editing_media_ids_reorders_and_withdraws_nothing_else(api, owner):
    account = SocialAccountFactory(owner=owner, platform="twitter")
    a, b = library_item(api), library_item(api)
    post_id = create(api, account, media_ids=[a["id"]]).json()["id"]

    response = api.patch(f"/api/v1/posts/{post_id}", {"media_ids": [b["id"], a["id"]]}, format="json")
    assert response.status_code == 200 and response.json()["media_ids"] == [b["id"], a["id"]]
    assert api.patch(f"/api/v1/posts/{post_id}", {"media_ids": []}, format="json").json()["media_ids"] == []
    assert not PostMedia.objects.exists()
    assert api.patch(f"/api/v1/posts/{post_id}", {"media_ids": [999999]}, format="json").status_code == 400


def test_bulk_create_takes_media_ids_per_item(api, owner):
    account = SocialAccountFactory(owner=owner, platform="twitter")
    item = library_item(api)
    posts = [
        {"social_account_id": account.pk, "content": "One", "scheduled_time": SOON, "media_ids": [item["id"]]},
        {"social_account_id": account.pk, "content": "Two", "scheduled_time": SOON},
    ]
    response = api.post("/api/v1/posts/bulk", {"posts": posts}, format="json")
    assert response.status_code == 201, response.content
    assert [p["media_ids"] for p in response.json()["posts"]] == [[item["id"]], []]


def test_a_library_item_in_use_cannot_be_deleted(api, owner):
    item = library_item(api)
    post_id = create(api, SocialAccountFactory(owner=owner, platform="twitter"), media_ids=[item["id"]]).json()["id"]
    response = api.delete(f"/api/v1/media/{item['id']}")
    assert response.status_code == 409 and f"post {post_id} (scheduled)" in response.json()["detail"]
    assert MediaItem.objects.filter(pk=item["id"]).exists()


@pytest.fixture
def graphql_token(owner, sandbox) -> str:
    token = f"media-{uuid.uuid4().hex}"
    BufferConfigFactory(owner=owner, api="graphql", access_token=token)
    return token


def test_buffer_receives_the_library_items_public_urls(api, owner, graphql_token, sandbox, settings):
    settings.MEDIA_PUBLIC_BASE_URL = "https://media.example.com"
    for name, value in ENGINE_TEST_SETTINGS.items():
        setattr(settings, name, value)
    account = SocialAccountFactory.create(
        owner=owner, platform="instagram", buffer_profile_id=profile_id(graphql_token, "instagram")
    )
    account = social_account_sync_from_buffer(account=account)
    item = library_item(api, alt_text="Our shop", platforms=["instagram"])
    assert item["url"].startswith("https://media.example.com/")

    # Handed to Buffer's queue through the API...
    queued = create(api, account, media_ids=[item["id"]]).json()
    assert api.post(f"/api/v1/posts/{queued['id']}/schedule").status_code == 200
    # ...and published by the engine when due.
    due = Post.objects.get(pk=create(api, account, content="Due now", media_ids=[item["id"]]).json()["id"])
    Post.objects.filter(pk=due.pk).update(scheduled_time=timezone.now() - dt.timedelta(seconds=1))
    outcomes = [
        publish_claimed_post(post_id=c.post_id, claim_id=c.claim_id)
        for c in claim_due_posts(now=timezone.now(), limit=5)
    ]
    assert outcomes == ["published"], Post.objects.get(pk=due.pk).last_error

    updates = sandbox.admin("GET", "updates").json()
    assert len(updates) == 2
    assert all(update["media"]["picture"] == item["url"] for update in updates), updates
    assert Post.objects.get(pk=due.pk).status == PostStatus.PUBLISHED


def test_a_post_group_shares_library_items_and_a_variant_overrides_them(api, owner, outsider_api):
    twitter = SocialAccountFactory(owner=owner, platform="twitter")
    bluesky = SocialAccountFactory(owner=owner, platform="bluesky")
    shared, own = library_item(api), library_item(api, files.png(), name="own.png", content_type="image/png")
    body = {
        "social_account_ids": [twitter.pk, bluesky.pk],
        "content": "One text, two networks",
        "media_ids": [shared["id"]],
        "scheduled_time": SOON,
        "variants": {str(bluesky.pk): {"media_ids": [own["id"], shared["id"]]}},
    }
    response = api.post("/api/v1/post-groups", body, format="json")
    assert response.status_code == 201, response.content
    by_account = {post["social_account_id"]: post for post in response.json()["posts"]}
    assert by_account[twitter.pk]["media_ids"] == [shared["id"]]
    assert by_account[bluesky.pk]["media_ids"] == [own["id"], shared["id"]]

    # Another workspace's item is not theirs to use: a 400 that names nothing of it, and nothing is made.
    theirs = library_item(outsider_api)
    refused = api.post("/api/v1/post-groups", {**body, "media_ids": [theirs["id"]], "variants": {}}, format="json")
    assert refused.status_code == 400 and theirs["name"] not in refused.content.decode()
    assert PostMedia.objects.filter(media_id=theirs["id"]).count() == 0
    assert Post.objects.filter(group__isnull=False).count() == 2


def test_previews_show_library_items_and_warn_of_ones_that_are_not_yours(api, owner, outsider_api):
    account = SocialAccountFactory(owner=owner, platform="bluesky")
    mine, theirs = library_item(api, alt_text="A red square"), library_item(outsider_api)
    body = {"social_account_id": account.pk, "content": "Look", "media_ids": [mine["id"], theirs["id"]]}
    response = api.post("/api/v1/posts/preview", body, format="json")
    assert response.status_code == 200, response.content
    (preview,) = response.json()["previews"]
    assert [m["url"] for m in preview["media"]["items"]] == [mine["url"]] and mine["url"] in preview["html"]
    assert 'alt="A red square"' in preview["html"]
    assert preview["warnings"] == [f"Media: You have no media item {theirs['id']}."]

    created = create(api, account, media_ids=[mine["id"]]).json()
    stored = api.get(f"/api/v1/posts/{created['id']}/preview").json()
    assert stored["media"]["items"][0]["url"] == mine["url"]


def test_every_occurrence_of_a_recurring_post_takes_its_library_items(api, owner):
    account = SocialAccountFactory(owner=owner, platform="twitter")
    item = library_item(api)
    response = create(api, account, media_ids=[item["id"]], recurrence="FREQ=DAILY;COUNT=3")
    assert response.status_code == 201, response.content
    occurrences = Post.objects.filter(series_id=response.json()["series_id"])
    assert occurrences.count() == 3
    assert all([m.pk for m in post.media_items.all()] == [item["id"]] for post in occurrences)
