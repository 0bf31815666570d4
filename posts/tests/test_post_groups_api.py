"""Post groups over the API: one write, one ordinary post per account, variants, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.models import Role
from accounts.tests.factories import SocialAccountFactory
from conftest import client_for
from posts.models import Post, PostGroup, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.UTC)
WHEN = "2025-12-25T10:00:00Z"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def accounts(owner):
    return {
        network: SocialAccountFactory(owner=owner, platform=network, account_name=f"@{network}")
        for network in ("twitter", "linkedin", "mastodon")
    }


def create(api, accounts, **overrides):
    body = {
        "social_account_ids": [account.pk for account in accounts.values()],
        "content": "Launch day!",
        "scheduled_time": WHEN,
    }
    body.update(overrides)
    return api.post("/api/v1/post-groups", body, format="json")


class TestCreate:
    def test_one_post_per_account_with_one_customised_variant(self, api, accounts):
        linkedin = accounts["linkedin"]
        response = create(
            api,
            accounts,
            variants={
                str(linkedin.pk): {
                    "content": "A longer note for LinkedIn.",
                    "network_options": {"first_comment": "More"},
                }
            },
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        group = PostGroup.objects.get(pk=body["id"])
        assert body["content"] == group.content == "Launch day!"
        posts = {post.platform: post for post in group.posts.all()}
        assert set(posts) == {"twitter", "linkedin", "mastodon"}
        assert posts["twitter"].content == posts["mastodon"].content == "Launch day!"
        assert posts["linkedin"].content == "A longer note for LinkedIn."
        assert posts["linkedin"].network_options == {"first_comment": "More"}
        assert all(post.status == PostStatus.SCHEDULED for post in posts.values())
        assert [post["social_account_id"] for post in body["posts"]] == [a.pk for a in accounts.values()]
        assert {post["group_id"] for post in body["posts"]} == {group.pk}

    def test_network_options_are_keyed_by_network(self, api, accounts):
        response = create(api, accounts, network_options={"linkedin": {"first_comment": "Link in comments"}})
        assert response.status_code == 201, response.json()
        by_platform = {post["platform"]: post["network_options"] for post in response.json()["posts"]}
        assert by_platform == {"twitter": {}, "linkedin": {"first_comment": "Link in comments"}, "mastodon": {}}

    def test_a_shared_text_one_network_refuses_creates_nothing(self, api, accounts):
        response = create(api, accounts, content="x" * 300)  # over X's 280, fine elsewhere
        assert response.status_code == 400
        body = response.json()
        assert list(body["errors"]) == ["deliveries"]
        assert list(body["errors"]["deliveries"]) == [str(accounts["twitter"].pk)]
        assert body["detail"].startswith(f"Nothing was created: deliveries.{accounts['twitter'].pk}.content: ")
        assert not Post.objects.exists() and not PostGroup.objects.exists()

    def test_a_variant_that_breaks_a_rule_is_named_at_its_path(self, api, accounts):
        twitter = accounts["twitter"]
        response = create(api, accounts, variants={str(twitter.pk): {"content": "y" * 281}})
        assert response.status_code == 400
        assert list(response.json()["errors"]["variants"][str(twitter.pk)]) == ["content"]
        assert not Post.objects.exists() and not PostGroup.objects.exists()

    def test_another_workspaces_account_is_refused_without_saying_it_exists(self, api, accounts, outsider):
        theirs = SocialAccountFactory(owner=outsider)
        ids = [accounts["twitter"].pk, theirs.pk]
        response = create(api, accounts, social_account_ids=ids)
        assert response.status_code == 400
        assert response.json()["errors"] == {"social_account_ids": {"1": [f"You have no social account {theirs.pk}."]}}
        assert not Post.objects.exists()

    def test_duplicates_and_variants_for_accounts_not_ticked(self, api, accounts):
        twitter = accounts["twitter"]
        other = accounts["mastodon"]
        response = create(
            api, accounts, social_account_ids=[twitter.pk, twitter.pk], variants={str(other.pk): {"content": "Hi"}}
        )
        assert response.status_code == 400
        errors = response.json()["errors"]
        assert errors["social_account_ids"] == {"1": [f"Account {twitter.pk} is ticked twice."]}
        assert errors["variants"] == {str(other.pk): ["A variant is for one of social_account_ids."]}

    @pytest.mark.parametrize(
        "field, value, path",
        [
            ("variants", {"abc": {"content": "x"}}, ["variants", "abc"]),
            ("variants", {"1": {"colour": "red"}}, ["variants", "1", "colour"]),
            ("network_options", {"myspace": {}}, ["network_options", "myspace"]),
            ("social_account_ids", [], ["social_account_ids"]),
        ],
    )
    def test_bad_shapes_are_400s(self, api, accounts, field, value, path):
        response = create(api, accounts, **{field: value})
        assert response.status_code == 400, response.json()
        node = response.json()["errors"]
        for key in path:
            node = node[key]
        assert node
        assert not Post.objects.exists()

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"social_account_ids": ["1"]}, "social_account_ids"),
            ({"content": 7}, "content"),
            ({"variants": {"1": {"content": 7}}}, "variants"),
            ({"variants": []}, "variants"),
            ({"network_options": {"twitter": []}}, "network_options"),
        ],
    )
    def test_json_types_are_taken_at_their_word(self, api, accounts, overrides, field):
        response = create(api, accounts, **overrides)
        assert response.status_code == 400 and field in response.json()["errors"]
        assert not Post.objects.exists()

    def test_options_for_a_network_nobody_ticked(self, api, accounts):
        response = create(api, accounts, network_options={"pinterest": {"title": "x"}})
        assert response.status_code == 400
        assert response.json()["errors"] == {
            "network_options": {"pinterest": ["No ticked account is on this network."]}
        }

    def test_each_delivery_waits_for_approval_as_a_single_post_would(self, members, team):
        contributor = members[Role.CONTRIBUTOR]
        ids = [SocialAccountFactory(owner=contributor, workspace=team, platform=p).pk for p in ("twitter", "linkedin")]
        client = client_for(contributor)
        response = client.post(
            "/api/v1/post-groups",
            {"social_account_ids": ids, "content": "For review", "scheduled_time": WHEN},
            format="json",
            HTTP_X_WORKSPACE=str(team.pk),
        )
        assert response.status_code == 201, response.json()
        assert [p["status"] for p in response.json()["posts"]] == ["pending_approval", "pending_approval"]
        assert all(p["approval_required"] for p in response.json()["posts"])

    def test_a_viewer_may_not(self, members, team):
        response = client_for(members[Role.VIEWER]).post(
            "/api/v1/post-groups", {}, format="json", HTTP_X_WORKSPACE=str(team.pk)
        )
        assert response.status_code == 403


def a_group(api, accounts, **overrides) -> dict:
    response = create(api, accounts, **overrides)
    assert response.status_code == 201, response.json()
    return response.json()


class TestRead:
    def test_get_with_its_posts_in_constant_queries(self, api, accounts, django_assert_num_queries):
        group = a_group(api, accounts)
        # Auth and workspace (2 queries, as on every route), the group, its deliveries with their relations,
        # their library items.
        with django_assert_num_queries(5):
            response = api.get(f"/api/v1/post-groups/{group['id']}")
        assert response.status_code == 200
        assert [p["id"] for p in response.json()["posts"]] == [p["id"] for p in group["posts"]]

    @pytest.mark.parametrize("count", [1, 6])
    def test_list_in_constant_queries(self, api, accounts, count, django_assert_num_queries):
        for _ in range(count):
            a_group(api, accounts)
        # Auth and workspace, the count, the page of groups, all their deliveries with their relations, and
        # their library items.
        with django_assert_num_queries(6):
            response = api.get("/api/v1/post-groups?limit=100")
        assert response.status_code == 200
        assert len(response.json()) == count and response["X-Total-Count"] == str(count)
        assert all(len(group["posts"]) == 3 for group in response.json())

    def test_list_pages_newest_first(self, api, accounts):
        ids = [a_group(api, accounts)["id"] for _ in range(3)]
        response = api.get("/api/v1/post-groups?skip=1&limit=1")
        assert [group["id"] for group in response.json()] == [ids[1]] and response["X-Total-Count"] == "3"

    def test_another_workspaces_group_is_404(self, api, accounts, outsider_api):
        group = a_group(api, accounts)
        assert outsider_api.get(f"/api/v1/post-groups/{group['id']}").status_code == 404
        assert outsider_api.get("/api/v1/post-groups").json() == []
        assert outsider_api.delete(f"/api/v1/post-groups/{group['id']}").status_code == 404

    def test_posts_list_filters_by_group(self, api, accounts):
        group = a_group(api, accounts)
        PostFactory(social_account=accounts["twitter"])
        listed = api.get(f"/api/v1/posts?group_id={group['id']}").json()
        assert sorted(p["id"] for p in listed) == sorted(p["id"] for p in group["posts"])
        assert api.get("/api/v1/posts?group_id=abc").status_code == 400


class TestUpdate:
    def test_shared_text_goes_to_deliveries_not_customised(self, api, accounts):
        linkedin = accounts["linkedin"]
        group = a_group(api, accounts, variants={str(linkedin.pk): {"content": "Own text"}})
        response = api.patch(
            f"/api/v1/post-groups/{group['id']}",
            {"content": "New shared text", "scheduled_time": "2025-12-26T10:00:00Z"},
            format="json",
        )
        assert response.status_code == 200, response.json()
        posts = {p["platform"]: p for p in response.json()["posts"]}
        assert response.json()["content"] == "New shared text"
        assert posts["twitter"]["content"] == posts["mastodon"]["content"] == "New shared text"
        assert posts["linkedin"]["content"] == "Own text"
        stored = Post.objects.filter(group_id=group["id"])
        assert {post.scheduled_time for post in stored} == {dt.datetime(2025, 12, 26, 10, tzinfo=dt.UTC)}

    def test_published_deliveries_are_left_alone(self, api, accounts):
        group = a_group(api, accounts)
        published = Post.objects.filter(group_id=group["id"], platform="twitter")
        published.update(status=PostStatus.PUBLISHED, published_at=NOW)
        response = api.patch(f"/api/v1/post-groups/{group['id']}", {"content": "Later text"}, format="json")
        assert response.status_code == 200
        assert published.get().content == "Launch day!"
        assert Post.objects.filter(group_id=group["id"], content="Later text").count() == 2

    def test_a_refused_edit_changes_nothing(self, api, accounts):
        group = a_group(api, accounts)
        response = api.patch(f"/api/v1/post-groups/{group['id']}", {"content": "z" * 300}, format="json")
        assert response.status_code == 400
        assert list(response.json()["errors"]["deliveries"]) == [str(accounts["twitter"].pk)]
        assert set(Post.objects.filter(group_id=group["id"]).values_list("content", flat=True)) == {"Launch day!"}
        assert PostGroup.objects.get(pk=group["id"]).content == "Launch day!"


class TestDelete:
    def test_unpublished_deliveries_go_published_ones_stay_unlinked(self, api, accounts):
        group = a_group(api, accounts)
        sent = Post.objects.get(group_id=group["id"], platform="mastodon")
        Post.objects.filter(pk=sent.pk).update(status=PostStatus.PUBLISHED, published_at=NOW)
        response = api.delete(f"/api/v1/post-groups/{group['id']}")
        assert response.status_code == 204
        assert not PostGroup.objects.filter(pk=group["id"]).exists()
        assert list(Post.objects.values_list("pk", "group_id")) == [(sent.pk, None)]

    def test_refused_while_a_delivery_is_publishing(self, api, accounts):
        group = a_group(api, accounts)
        Post.objects.filter(group_id=group["id"], platform="twitter").update(status=PostStatus.PUBLISHING)
        response = api.delete(f"/api/v1/post-groups/{group['id']}")
        assert response.status_code == 409
        assert Post.objects.filter(group_id=group["id"]).count() == 3
