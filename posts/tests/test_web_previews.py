"""The composer's preview endpoint (POST /posts/preview/) and the post page's server-side preview."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from posts.models import Post
from posts.previews.service import post_preview, previews_for_accounts
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
URL = "/posts/preview/"


@pytest.fixture
def facebook(owner):
    return SocialAccountFactory(owner=owner, platform="facebook", account_name="Brand Page", service_username="brand")


def ask(web, **data):
    return web.post(URL, data, HTTP_ACCEPT="application/json")


def test_the_composer_form_gives_each_account_its_networks_options(web, owner, account, facebook):
    data = {"accounts": [account.pk, facebook.pk], "content": "Hello #spring", "first_comment": "More #tags"}
    response = ask(web, **data, thread="Second part", media_urls="")
    assert response.status_code == 200
    twitter, fb = response.json()["previews"]
    assert twitter["first_comment"] is None and twitter["warnings"] == []  # the comment is Facebook's option
    assert twitter["thread"][0]["segments"] == [{"kind": "text", "text": "Second part"}]
    assert fb["first_comment"]["segments"][1] == {"kind": "hashtag", "text": "#tags"} and fb["thread"] == []
    same = previews_for_accounts(
        workspace=account.workspace,
        account_ids=[account.pk, facebook.pk],
        content="Hello #spring",
        variants={
            str(account.pk): {"network_options": {"thread": ["Second part"]}},
            str(facebook.pk): {"network_options": {"first_comment": "More #tags"}},
        },
    )
    assert response.json()["previews"] == same


def test_a_tabs_own_text_and_options_are_that_accounts_preview(web, account, facebook):
    data = {
        "accounts": [account.pk, facebook.pk],
        "content": "Shared words",
        "media_urls": "",
        f"variant-{account.pk}-content": "",  # an untouched tab: the shared text
        f"variant-{facebook.pk}-content": "Words for Facebook only",
        f"variant-{facebook.pk}-first_comment": "A comment of its own",
    }
    twitter, fb = ask(web, **data).json()["previews"]
    assert "Shared words" in twitter["html"] and "Words for Facebook only" not in twitter["html"]
    assert "Words for Facebook only" in fb["html"] and "Shared words" not in fb["html"]
    assert fb["first_comment"]["segments"] == [{"kind": "text", "text": "A comment of its own"}]


def test_a_half_written_form_still_previews(web, account):
    response = ask(web, social_account=account.pk, content="", media_urls="https://cdn.example/a.jpg\nnot a url")
    assert response.status_code == 200
    (twitter,) = response.json()["previews"]
    assert twitter["media"]["total"] == 2 and any("only http(s) URLs" in w for w in twitter["warnings"])


def test_no_account_no_previews(web):
    assert ask(web, content="x").json() == {"ok": True, "previews": []}


def test_another_workspaces_account_is_a_404(web, outsider):
    theirs = SocialAccountFactory(owner=outsider)
    assert ask(web, accounts=[theirs.pk], content="x").status_code == 404


def test_nothing_is_written(web, account):
    ask(web, accounts=[account.pk], content="Not saved")
    assert not Post.objects.exists()


def test_anonymous_is_sent_to_log_in(client):
    response = client.post(URL, {"content": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_get_is_not_allowed(web):
    assert web.get(URL).status_code == 405


def test_the_composer_has_the_preview_panel(web):
    html = web.get("/posts/new/").content.decode()
    assert 'id="composer-preview"' in html and 'data-url="/posts/preview/"' in html
    assert "js/composer_preview.js" in html and "css/previews.css" in html


def test_the_post_page_shows_the_servers_preview(web, account):
    post = PostFactory(social_account=account, content="On the page #preview", media_urls=["https://cdn.example/a.jpg"])
    html = web.get(f"/posts/{post.pk}/").content.decode()
    expected = post_preview(post=Post.objects.with_relations().get(pk=post.pk))
    assert expected is not None and expected["html"] in html
    assert "Preview on X / Twitter" in html


def test_the_edit_page_has_the_preview_panel_too(web, account):
    post = PostFactory(social_account=account, status="draft")
    html = web.get(f"/posts/{post.pk}/edit/").content.decode()
    assert 'id="composer-preview"' in html
    response = ask(web, social_account=account.pk, content=post.content)
    assert [p["account"]["id"] for p in response.json()["previews"]] == [account.pk]
