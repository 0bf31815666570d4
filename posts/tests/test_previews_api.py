"""POST /api/v1/posts/preview and GET /api/v1/posts/{id}/preview: success, refusals, scoping; nothing is written."""

from __future__ import annotations

import pytest

from accounts.models import Role, SocialAccount
from accounts.tests.factories import SocialAccountFactory, UserFactory
from conftest import client_for
from posts.models import Post, PostGroup
from posts.previews.service import post_preview
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/posts/preview"


@pytest.fixture
def facebook(owner):
    return SocialAccountFactory(owner=owner, platform="facebook", account_name="Brand Page", service_username="brand")


def preview(api, **body):
    return api.post(URL, body, format="json")


def test_two_accounts_each_get_their_networks_preview(api, account, facebook):
    text = "Big news https://example.com/launch #launch " + "x" * 500
    response = preview(api, social_account_ids=[account.pk, facebook.pk], content=text)
    assert response.status_code == 200, response.json()
    twitter, fb = response.json()["previews"]
    assert (twitter["platform"], fb["platform"]) == ("twitter", "facebook")
    profile = {"id": account.pk, "name": "@brand", "username": "", "avatar_url": "", "initials": "B"}
    assert twitter["account"] == profile
    assert twitter["length"]["over"] is True and any("Too long for Twitter" in w for w in twitter["warnings"])
    assert fb["text"]["truncated"] is True and fb["link_card"]["host"] == "example.com"
    assert fb["html"].startswith("<article") and 'data-platform="facebook"' in fb["html"]


def test_one_account_and_variants(api, account, facebook):
    response = preview(
        api,
        social_account_ids=[account.pk, facebook.pk],
        content="Shared",
        variants={str(facebook.pk): {"content": "For Facebook", "network_options": {"first_comment": "#more"}}},
    )
    twitter, fb = response.json()["previews"]
    assert twitter["text"]["segments"] == [{"kind": "text", "text": "Shared"}]
    assert fb["text"]["segments"] == [{"kind": "text", "text": "For Facebook"}]
    assert fb["first_comment"] and fb["warnings"] == []
    single = preview(api, social_account_id=account.pk, content="Solo").json()["previews"]
    assert [p["platform"] for p in single] == ["twitter"]


def test_option_of_another_network_is_a_warning_as_the_api_would_refuse(api, account):
    result = preview(api, social_account_id=account.pk, content="x", network_options={"first_comment": "y"})
    assert result.status_code == 200
    warnings = result.json()["previews"][0]["warnings"]
    assert any(w.startswith("First comment: Not an option of twitter") for w in warnings)


def test_nothing_is_written(api, account, django_assert_max_num_queries):
    def state():
        return Post.objects.count(), PostGroup.objects.count(), SocialAccount.objects.get(pk=account.pk).updated_at

    before = state()
    with django_assert_max_num_queries(6):  # membership, the accounts (one query for all), no writes
        assert preview(api, social_account_id=account.pk, content="Nothing saved").status_code == 200
    assert state() == before


@pytest.mark.parametrize(
    "body",
    [
        {"content": "no account"},
        {"social_account_id": 1, "social_account_ids": [1], "content": "both"},
        {"social_account_ids": [], "content": "empty list"},
        {"social_account_id": "one", "content": "x"},
        {"social_account_id": 1, "content": 5},
        {"social_account_id": 1, "media_urls": "https://x.example/a.jpg"},
        {"social_account_id": 1, "network_options": ["thread"]},
        {"social_account_id": 1, "variants": {"999": {"content": "not previewed"}}},
        {"social_account_id": 1, "variants": {"1": {"content": 3}}},
    ],
)
def test_invalid_body_is_a_400(api, account, body):
    body = {**body}
    for key in ("social_account_id",):
        if body.get(key) == 1:
            body[key] = account.pk
    if "variants" in body and "1" in body["variants"]:
        body["variants"] = {str(account.pk): body["variants"]["1"]}
    response = api.post(URL, body, format="json")
    assert response.status_code == 400, response.json()
    assert response.json()["detail"]


def test_unknown_account_is_a_404(api, account):
    response = preview(api, social_account_ids=[account.pk, 987654], content="x")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_another_workspaces_account_is_a_404(api, outsider):
    theirs = SocialAccountFactory(owner=outsider)
    response = preview(api, social_account_id=theirs.pk, content="x")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_a_network_buffer_cannot_publish_to_is_a_400(api, owner):
    tiktok = SocialAccountFactory(owner=owner, platform="tiktok")
    response = preview(api, social_account_id=tiktok.pk, content="x")
    assert response.status_code == 400 and "TikTok" in response.json()["detail"]


def test_a_viewer_may_preview(team, account):
    from accounts.tests.factories import MembershipFactory

    viewer = MembershipFactory(workspace=team, role=Role.VIEWER).user
    team_account = SocialAccountFactory(owner=UserFactory(), workspace=team, platform="bluesky")
    client = client_for(viewer)
    response = client.post(
        URL, {"social_account_id": team_account.pk, "content": "hi"}, format="json", HTTP_X_WORKSPACE=str(team.pk)
    )
    assert response.status_code == 200
    assert client.post(URL, {"social_account_id": account.pk, "content": "hi"}, format="json").status_code == 404


def test_anonymous_is_a_401(client):
    assert client.post(URL, {}, content_type="application/json").status_code == 401


class TestStoredPost:
    def test_a_posts_preview(self, api, account):
        post = PostFactory(
            social_account=account,
            content="Stored #post",
            media_urls=["https://cdn.example/a.jpg", "https://cdn.example/b.png"],
            network_options={"thread": ["and more"]},
        )
        response = api.get(f"/api/v1/posts/{post.pk}/preview")
        assert response.status_code == 200
        body = response.json()
        assert body["media"]["layout"] == "grid" and body["media"]["total"] == 2
        assert body["thread"][0]["segments"] == [{"kind": "text", "text": "and more"}]
        assert body["html"] == post_preview(post=Post.objects.with_relations().get(pk=post.pk))["html"]

    def test_same_structure_as_a_draft_preview_of_the_same_body(self, api, account):
        post = PostFactory(social_account=account, content="Same #text https://example.com")
        stored = api.get(f"/api/v1/posts/{post.pk}/preview").json()
        drafted = preview(api, social_account_id=account.pk, content=post.content).json()["previews"][0]
        assert stored == drafted

    def test_another_workspaces_post_is_a_404(self, api, outsider):
        post = PostFactory(social_account=SocialAccountFactory(owner=outsider))
        response = api.get(f"/api/v1/posts/{post.pk}/preview")
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("count", [1, 4])
def test_query_count_does_not_grow_with_accounts(api, owner, count, django_assert_num_queries):
    accounts = [SocialAccountFactory(owner=owner, platform="mastodon") for _ in range(count)]
    # The user (JWT), the caller's membership with its workspace, and the accounts in one query whatever their number.
    with django_assert_num_queries(3):
        response = preview(api, social_account_ids=[a.pk for a in accounts], content="Same for all")
    assert len(response.json()["previews"]) == count
