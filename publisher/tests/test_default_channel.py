"""The default channel: every active network target's default post type, kept by SocialHub.

A new user's first post needs no channel design: the seed's simplest post (only a payload) and
its example addressed to a channel both publish through the sandbox on day one.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from posts.engine.dispatch import claim_due_posts
from posts.engine.publish import publish_claimed_post
from posts.models import PostStatus
from posts.tests.engine_helpers import sandbox_account
from publisher.models import Channel, PostType, PublisherPost
from publisher.status import refresh_unsettled

pytestmark = pytest.mark.django_db


def default_channel(api) -> dict:
    [channel] = [c for c in api.get("/api/v1/publisher/configs/channels").json() if c["isDefault"]]
    return channel


def default_posttype_ids(*accounts) -> list[str]:
    return sorted(PostType.objects.get(network_target=a, is_default=True).config_id for a in accounts)


def publish_through_the_sandbox(api, capture, body) -> dict:
    """POST /posts, process it, let the engine publish its Posts at the sandbox, refresh its status."""
    with capture(execute=True):
        response = api.post("/api/v1/publisher/posts", body, format="json")
    assert response.status_code == 201, response.json()
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):  # processing schedules "now" 2 s ahead
        claims = claim_due_posts(now=timezone.now(), limit=100)
        outcomes = [publish_claimed_post(post_id=c.post_id, claim_id=c.claim_id) for c in claims]
        refresh_unsettled()
    assert outcomes and set(outcomes) == {PostStatus.PUBLISHED}
    return api.get(f"/api/v1/publisher/posts/{response.json()['postId']}").json()


@pytest.fixture
def connected(owner, sandbox):
    """Two accounts on profiles of the owner's one Buffer config, and no channel designed."""
    twitter = sandbox_account(owner, sandbox, "day-one")
    facebook = SocialAccountFactory(
        owner=owner, platform="facebook", buffer_profile_id=sandbox.profile_id("day-one", "facebook")
    )
    return [twitter, facebook]


def test_the_simplest_post_publishes_on_day_one(api, connected, django_capture_on_commit_callbacks):
    body = {"contentSourceLink": "http://example.com/abc", "payload": {"message": "Look at that"}}
    shown = publish_through_the_sandbox(api, django_capture_on_commit_callbacks, body)
    assert shown["postStatus"] == "FINISHED"
    assert sorted(d["networktarget"] for d in shown["deliveries"]) == sorted(f"nt_{a.pk}" for a in connected)
    assert {d["status"] for d in shown["deliveries"]} == {"published"}


def test_the_seeds_example_with_the_default_channel(api, connected, sandbox, django_capture_on_commit_callbacks):
    body = {
        "channels": [default_channel(api)["id"]],
        "contentSourceLink": "http://example.com/abc",
        "payload": {"message": "Look at that", "field-image": "http://example.com/a.jpg"},
    }
    shown = publish_through_the_sandbox(api, django_capture_on_commit_callbacks, body)
    assert shown["postStatus"] == "FINISHED" and len(shown["deliveries"]) == 2
    texts = {u["text"] for u in sandbox.admin("GET", "updates").json() if u["status"] == "sent"}
    assert texts == {"Look at that\n\nhttp://example.com/abc"}


def test_shown_as_the_default_in_configs_and_channels(api, twitter, facebook):
    channel = default_channel(api)
    assert channel["name"] == "All network targets"
    assert sorted(channel["posttypes"]) == default_posttype_ids(twitter, facebook)
    [listed] = api.get("/api/v1/publisher/channels").json()
    assert (listed["config_id"], listed["is_default"]) == (channel["id"], True)


def test_kept_in_step_with_the_accounts(api, owner, twitter, facebook):
    assert sorted(default_channel(api)["posttypes"]) == default_posttype_ids(twitter, facebook)
    mastodon = SocialAccountFactory(owner=owner, platform="mastodon", account_name="m")
    assert sorted(default_channel(api)["posttypes"]) == default_posttype_ids(twitter, facebook, mastodon)
    facebook.is_active = False
    facebook.save()
    assert sorted(default_channel(api)["posttypes"]) == default_posttype_ids(twitter, mastodon)
    mastodon.delete()
    assert sorted(default_channel(api)["posttypes"]) == default_posttype_ids(twitter)
    status = PostType.objects.get(network_target=twitter, kind="STATUS")
    api.patch(f"/api/v1/publisher/posttypes/{status.pk}", {"is_default": True}, format="json")
    assert default_channel(api)["posttypes"] == [status.config_id]


def test_not_editable_or_deletable_and_its_name_is_reserved(api, twitter):
    url = f"/api/v1/publisher/channels/{default_channel(api)['id'][3:]}"
    assert api.delete(url).status_code == 409
    assert api.patch(url, {"posttype_ids": []}, format="json").status_code == 409
    taken = api.post("/api/v1/publisher/channels", {"name": "all network targets"}, format="json")
    assert taken.status_code == 400 and list(taken.json()["errors"]) == ["name"]
    assert Channel.objects.filter(is_default=True).count() == 1


def test_re_created_on_demand_if_removed_behind_the_apis_back(api, owner, twitter):
    first = default_channel(api)["id"]
    Channel.objects.filter(owner=owner, is_default=True).delete()  # e.g. in Django admin
    again = default_channel(api)
    assert again["id"] != first and again["posttypes"] == default_posttype_ids(twitter)


def test_a_user_without_targets_has_none_and_is_told_to_connect_one(api, outsider_api):
    assert api.get("/api/v1/publisher/configs/channels").json() == []
    response = api.post("/api/v1/publisher/posts", {"payload": "x"}, format="json")
    assert response.status_code == 400 and "social account" in response.json()["detail"]
    assert not PublisherPost.objects.exists()


def test_an_own_channel_with_the_name_keeps_it(api, owner, twitter):
    Channel.objects.create(
        workspace=workspace_personal_for(owner), owner=owner, name="All network targets"
    )  # made before the default existed
    assert default_channel(api)["name"] == "All network targets (default)"
