"""`network_options` over the API: every network's rules, defaults sent to Buffer, and TikTok refused."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.tests.factories import SocialAccountFactory
from posts.models import Post
from posts.network_options import resolve_network_options
from posts.scheduling import _draft
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.UTC)
IMAGE = ["https://example.com/image.jpg"]
VIDEO = ["https://example.com/clip.mp4"]
BOARDS = [{"id": "b1", "name": "Recipes"}, {"id": "b2", "name": "Travel"}]


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def create(api, account, options=..., media=(), **body):
    payload = {"social_account_id": account.pk, "content": "Hello", "media_urls": list(media), **body}
    if options is not ...:
        payload["network_options"] = options
    return api.post("/api/v1/posts", payload, format="json")


def option_errors(response) -> dict:
    assert response.status_code == 400, response.json()
    return response.json()["errors"]["network_options"]


@pytest.fixture
def network(owner):
    def make(platform, **fields):
        return SocialAccountFactory(owner=owner, platform=platform, **fields)

    return make


class TestInstagram:
    def test_no_options_is_fine_and_defaults_are_sent(self, api, network):
        account = network("instagram")
        response = create(api, account, media=IMAGE)
        assert response.status_code == 201, response.json()
        assert response.json()["network_options"] == {}
        post = Post.objects.get(pk=response.json()["id"])
        draft = _draft(post=post, content=post.content, media_urls=post.media_urls, scheduled_time=None)
        assert draft.service == "instagram"
        assert draft.network_options == {"type": "post", "share_to_feed": True}

    def test_all_options(self, api, network):
        options = {"type": "reel", "share_to_feed": False, "first_comment": "#tags"}
        response = create(api, network("instagram"), options, media=VIDEO)
        assert response.status_code == 201, response.json()
        assert response.json()["network_options"] == options

    def test_bad_values(self, api, network):
        errors = option_errors(create(api, network("instagram"), {"type": "carousel", "share_to_feed": "yes"}, IMAGE))
        assert errors == {"type": ["Must be one of: post, story, reel."], "share_to_feed": ["Must be true or false."]}

    def test_another_networks_key_is_named(self, api, network):
        response = create(api, network("instagram"), {"board_id": "b1", "colour": "red"}, IMAGE)
        errors = option_errors(response)
        assert "pinterest" in errors["board_id"][0] and "unknown option" in errors["colour"][0]
        assert response.json()["detail"].startswith("network_options.board_id: Not an option of instagram")


class TestPinterest:
    def test_board_required_without_a_default(self, api, network):
        errors = option_errors(create(api, network("pinterest"), media=IMAGE))
        assert errors == {"board_id": ["Pinterest needs a board: give board_id or set the account's default board."]}

    def test_default_board_is_used(self, api, network):
        account = network("pinterest", pinterest_boards=BOARDS, default_pinterest_board_id="b2")
        response = create(api, account, media=IMAGE)
        assert response.status_code == 201, response.json()
        post = Post.objects.get(pk=response.json()["id"])
        assert resolve_network_options(account=account, options=post.network_options) == {"board_id": "b2"}

    def test_board_must_be_one_of_the_accounts(self, api, network):
        account = network("pinterest", pinterest_boards=BOARDS)
        assert option_errors(create(api, account, {"board_id": "zz"}, IMAGE)) == {
            "board_id": ["Not one of the account's boards: b1, b2."]
        }
        response = create(api, account, {"board_id": "b1", "title": "Soup"}, IMAGE)
        assert response.status_code == 201, response.json()

    def test_any_board_while_none_are_synced(self, api, network):
        assert create(api, network("pinterest"), {"board_id": "123"}, IMAGE).status_code == 201


class TestYouTube:
    def test_title_required(self, api, network):
        errors = option_errors(create(api, network("youtube"), media=VIDEO))
        assert errors == {"title": ["YouTube needs a title (at most 100 characters)."]}

    def test_title_at_most_100(self, api, network):
        account = network("youtube")
        assert "At most 100" in option_errors(create(api, account, {"title": "x" * 101}, VIDEO))["title"][0]
        response = create(api, account, {"title": "x" * 100}, VIDEO)
        assert response.status_code == 201, response.json()
        post = Post.objects.get(pk=response.json()["id"])
        assert resolve_network_options(account=account, options=post.network_options) == {
            "title": "x" * 100,
            "category_id": "22",
            "privacy": "public",
        }

    def test_privacy_choice(self, api, network):
        errors = option_errors(create(api, network("youtube"), {"title": "T", "privacy": "secret"}, VIDEO))
        assert errors == {"privacy": ["Must be one of: public, unlisted, private."]}


class TestOthers:
    def test_google_type(self, api, network):
        account = network("googlebusiness")
        assert create(api, account, {"type": "offer"}).status_code == 201
        assert option_errors(create(api, account, {"type": "reel"})) == {
            "type": ["Must be one of: whats_new, offer, event."]
        }

    @pytest.mark.parametrize("platform", ["facebook", "linkedin"])
    def test_first_comment(self, api, network, platform):
        account = network(platform)
        assert create(api, account, {"first_comment": "More below"}).status_code == 201
        assert "thread" in option_errors(create(api, account, {"thread": ["x"]}))

    @pytest.mark.parametrize(("platform", "limit"), [("twitter", 280), ("threads", 500), ("bluesky", 300)])
    def test_thread_parts_follow_the_length_rule(self, api, network, platform, limit):
        account = network(platform)
        assert create(api, account, {"thread": ["Two", "Three"]}).status_code == 201
        errors = option_errors(create(api, account, {"thread": ["ok", "x" * (limit + 1)]}))
        assert errors == {"thread": [f"Part 2: too long, {limit + 1} characters, the limit is {limit}."]}
        assert option_errors(create(api, account, {"thread": "not a list"})) == {
            "thread": ["Must be a list of texts (the follow-up posts of the thread)."]
        }

    def test_mastodon_takes_no_options(self, api, network):
        errors = option_errors(create(api, network("mastodon"), {"first_comment": "x"}))
        assert errors["first_comment"][0].endswith("mastodon takes: none.")

    def test_not_an_object(self, api, network):
        response = create(api, network("twitter"), ["thread"])
        assert response.status_code == 400
        assert "network_options" in response.json()["errors"]


class TestTikTok:
    def test_account_stored_but_post_refused(self, api, network):
        response = create(api, network("tiktok"), media=VIDEO)
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "social_account_id": ["Buffer's API cannot publish to TikTok: post there from Buffer's own app."]
        }

    def test_moving_a_post_to_tiktok_is_refused(self, api, owner, network):
        post = PostFactory(owner=owner, social_account=network("twitter"))
        response = api.patch(f"/api/v1/posts/{post.pk}", {"social_account_id": network("tiktok").pk}, format="json")
        assert response.status_code == 400 and "TikTok" in response.json()["detail"]


class TestUpdateAndBulk:
    def test_patch_validates_and_stores(self, api, owner, network):
        account = network("youtube")
        post = PostFactory(owner=owner, social_account=account, platform="youtube", media_urls=VIDEO)
        post.network_options = {"title": "Old"}
        post.save()
        response = api.patch(f"/api/v1/posts/{post.pk}", {"network_options": {"title": ""}}, format="json")
        assert option_errors(response) == {"title": ["Must not be blank."]}
        response = api.patch(f"/api/v1/posts/{post.pk}", {"network_options": {"title": " New "}}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["network_options"] == {"title": "New"}

    def test_bulk_errors_per_item(self, api, network):
        good, bad = network("pinterest", pinterest_boards=BOARDS), network("youtube")
        items = [
            {"social_account_id": good.pk, "content": "a", "media_urls": IMAGE, "network_options": {"board_id": "b1"}},
            {"social_account_id": bad.pk, "content": "b", "media_urls": VIDEO},
        ]
        response = api.post("/api/v1/posts/bulk", {"posts": items}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "1": {"network_options": {"title": ["YouTube needs a title (at most 100 characters)."]}}
        }
        items[1]["network_options"] = {"title": "Clip"}
        response = api.post("/api/v1/posts/bulk", {"posts": items}, format="json")
        assert response.status_code == 201, response.json()
        assert [p["network_options"] for p in response.json()["posts"]] == [{"board_id": "b1"}, {"title": "Clip"}]

    def test_list_returns_the_options(self, api, owner, network):
        PostFactory(
            owner=owner, social_account=network("bluesky"), platform="bluesky", network_options={"thread": ["2"]}
        )
        assert [p["network_options"] for p in api.get("/api/v1/posts").json()] == [{"thread": ["2"]}]
