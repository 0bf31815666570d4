"""The composer's per-network option fields: shown per network, sent through the services, errors in place."""

from __future__ import annotations

import re

import pytest

from accounts.tests.factories import SocialAccountFactory
from posts.models import Post
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
WHEN = "2030-03-14T10:30"
BOARDS = [{"id": "b1", "name": "Recipes"}, {"id": "b2", "name": "Travel"}]


def form(accounts, **fields) -> dict:
    data = {"accounts": [a.pk for a in accounts], "content": "Hello", "media_urls": "", "scheduled_time": WHEN}
    return {**data, "action": "draft", "instagram_type": "post", "youtube_privacy": "public", **fields}


def field_errors(html: str, field: str) -> list[str]:
    return re.findall(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', html)


def test_the_page_has_the_option_fields_with_the_synced_boards(web, owner):
    SocialAccountFactory(owner=owner, platform="pinterest", account_name="Pins", pinterest_boards=BOARDS)
    html = web.get("/posts/new/").content.decode()
    assert 'data-networks="pinterest"' in html and 'data-networks="bluesky threads twitter"' in html
    assert '<option value="b2">Travel (Pins)</option>' in html
    assert 'name="youtube_title"' in html and 'name="first_comment"' in html


def test_one_post_per_account_with_its_networks_options(web, owner):
    pins = SocialAccountFactory(owner=owner, platform="pinterest", pinterest_boards=BOARDS)
    tube = SocialAccountFactory(owner=owner, platform="youtube")
    sky = SocialAccountFactory(owner=owner, platform="bluesky")
    data = form(
        [pins, tube, sky],
        media_urls="https://example.com/a.jpg",
        pinterest_board="b1",
        youtube_title="My clip",
        thread="Second\n---\nThird",
    )
    response = web.post("/posts/new/", {**data, "accounts": [pins.pk, sky.pk]})
    assert response.status_code == 302, response.content.decode()
    assert Post.objects.get(social_account=pins).network_options == {"board_id": "b1"}
    assert Post.objects.get(social_account=sky).network_options == {"thread": ["Second", "Third"]}


def test_the_services_errors_show_next_to_the_option_fields(web, owner):
    tube = SocialAccountFactory(owner=owner, platform="youtube")
    sky = SocialAccountFactory(owner=owner, platform="bluesky")
    response = web.post("/posts/new/", form([tube, sky], youtube_title="", thread="ok\n---\n" + "x" * 301))
    assert response.status_code == 400
    html = response.content.decode()
    assert field_errors(html, "youtube_title") == [
        f"{tube.account_name}: YouTube needs a title (at most 100 characters)."
    ]
    assert field_errors(html, "thread") == [f"{sky.account_name}: Part 2: too long, 301 characters, the limit is 300."]
    assert not Post.objects.exists()


def test_tiktok_is_refused(web, owner):
    tok = SocialAccountFactory(owner=owner, platform="tiktok")
    response = web.post("/posts/new/", form([tok]))
    assert response.status_code == 400 and "cannot publish to TikTok" in response.content.decode()


def test_edit_shows_and_saves_the_options(web, owner):
    tube = SocialAccountFactory(owner=owner, platform="youtube")
    post = PostFactory(
        owner=owner,
        social_account=tube,
        platform="youtube",
        media_urls=["https://example.com/a.mp4"],
        network_options={"title": "Old"},
    )
    html = web.get(f"/posts/{post.pk}/edit/").content.decode()
    assert 'value="Old"' in html
    data = {
        "social_account": tube.pk,
        "content": "Hello",
        "media_urls": "https://example.com/a.mp4",
        "scheduled_time": WHEN,
        "action": "draft",
        "youtube_title": "New title",
        "youtube_privacy": "unlisted",
        "instagram_type": "post",
    }
    response = web.post(f"/posts/{post.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    post.refresh_from_db()
    assert post.network_options == {"title": "New title", "privacy": "unlisted"}
