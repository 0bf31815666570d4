"""The composer with several accounts: a post group, each ticked account's tab its variant; the post page's group."""

from __future__ import annotations

import re

import pytest

from accounts.tests.factories import SocialAccountFactory, UserFactory
from posts import groups
from posts.models import Post, PostGroup, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
WHEN = "2030-03-14T10:30"


@pytest.fixture
def accounts(owner):
    return {
        network: SocialAccountFactory(owner=owner, platform=network, account_name=f"@{network}")
        for network in ("twitter", "linkedin", "mastodon")
    }


def errors_of(html: str, field: str) -> list[str]:
    return re.findall(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', html)


@pytest.fixture
def group(owner, accounts):
    ids = [a.pk for a in accounts.values()]
    return groups.create_post_group(
        workspace=accounts["twitter"].workspace, actor=owner, social_account_ids=ids, content="Shared words"
    )


def form(accounts, **fields) -> dict:
    data = {"accounts": [a.pk for a in accounts], "content": "Shared words", "scheduled_time": WHEN}
    return {**data, "action": "schedule", **fields}


class TestComposer:
    def test_the_page_has_a_tab_per_account(self, web, accounts):
        html = web.get("/posts/new/").content.decode()
        assert re.findall(r'role="tab"[^>]*data-account="(\d+)"', html) == [str(a.pk) for a in accounts.values()]
        linkedin, twitter = accounts["linkedin"].pk, accounts["twitter"].pk
        assert f'name="variant-{linkedin}-first_comment"' in html and f'name="variant-{linkedin}-thread"' not in html
        assert f'name="variant-{twitter}-thread"' in html
        assert "js/composer_variants.js" in html

    def test_several_accounts_make_a_group_with_one_customised_variant(self, web, accounts):
        linkedin = accounts["linkedin"].pk
        data = form(
            accounts.values(),
            **{f"variant-{linkedin}-content": "Longer words for LinkedIn", f"variant-{linkedin}-first_comment": "Hi"},
        )
        response = web.post("/posts/new/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        group = PostGroup.objects.get()
        posts = {post.platform: post for post in group.posts.all()}
        assert group.content == posts["twitter"].content == posts["mastodon"].content == "Shared words"
        assert posts["linkedin"].content == "Longer words for LinkedIn"
        assert posts["linkedin"].network_options == {"first_comment": "Hi"}
        assert all(post.status == PostStatus.SCHEDULED for post in posts.values())

    def test_one_account_is_a_plain_post(self, web, accounts):
        assert web.post("/posts/new/", form([accounts["twitter"]])).status_code == 302
        assert Post.objects.get().group is None and not PostGroup.objects.exists()

    def test_a_variant_one_network_refuses_is_shown_in_its_tab_and_nothing_is_made(self, web, accounts):
        twitter = accounts["twitter"].pk
        response = web.post("/posts/new/", form(accounts.values(), **{f"variant-{twitter}-content": "x" * 300}))
        assert response.status_code == 400
        html = response.content.decode()
        assert errors_of(html, f"variant-{twitter}-content")
        assert "@twitter (its tab): " in html
        assert not Post.objects.exists() and not PostGroup.objects.exists()

    def test_a_shared_text_one_network_refuses_names_the_account(self, web, accounts):
        response = web.post("/posts/new/", form(accounts.values(), content="y" * 300))
        assert response.status_code == 400
        assert errors_of(response.content.decode(), "content")[0].startswith("@twitter: ")
        assert not Post.objects.exists()

    def test_editing_one_delivery_edits_only_it(self, web, group):
        post = group.posts.get(platform="twitter")
        assert "changes this post only" in web.get(f"/posts/{post.pk}/edit/").content.decode()
        data = {"social_account": post.social_account_id, "content": "Only X changes", "action": "draft"}
        assert web.post(f"/posts/{post.pk}/edit/", data).status_code == 302
        assert sorted(group.posts.values_list("content", flat=True)) == [
            "Only X changes",
            "Shared words",
            "Shared words",
        ]


class TestPostPage:
    def test_a_delivery_lists_its_siblings(self, web, group):
        post, *others = group.posts.order_by("pk")
        html = web.get(f"/posts/{post.pk}/").content.decode()
        section = html[html.index('<h2 id="group-h">Part of a group</h2>') :]
        section = section[: section.index("</section>")]
        assert re.findall(r'<a href="/posts/(\d+)/">', section) == [str(other.pk) for other in others]

    def test_a_post_outside_a_group_says_nothing(self, web, accounts):
        post = PostFactory(social_account=accounts["twitter"])
        assert b"Part of a group" not in web.get(f"/posts/{post.pk}/").content


def test_admin_shows_a_group_with_its_posts(client, owner, accounts):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    group = groups.create_post_group(
        workspace=accounts["twitter"].workspace, actor=owner, social_account_ids=[accounts["twitter"].pk], content="Hi"
    )
    assert client.get("/admin/posts/postgroup/").status_code == 200
    response = client.get(f"/admin/posts/postgroup/{group.pk}/change/")
    assert response.status_code == 200 and b"@twitter" in response.content
