"""The composer: create one post per chosen account, its four actions, edits and validation shown by field."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from campaigns.tests.factories import CampaignFactory
from posts.models import Post, PostStatus
from posts.scheduling import PUBLISH_NOW_LEAD
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
WHEN = "2030-03-14T10:30"


def form(accounts, **fields) -> dict:
    data = {"accounts": [a.pk for a in accounts], "content": "Hello world", "media_urls": "", "scheduled_time": WHEN}
    return {**data, **fields}


def field_errors(html: str, field: str) -> list[str]:
    return re.findall(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', html)


class TestPage:
    def test_needs_login(self, client):
        assert client.get("/posts/new/")["Location"].startswith("/login/")

    def test_lists_only_the_users_active_accounts_and_campaigns(self, web, owner, account, outsider):
        SocialAccountFactory(owner=outsider, account_name="@not-mine")
        SocialAccountFactory(owner=owner, account_name="@dormant", is_active=False)
        CampaignFactory(owner=outsider, name="Their campaign")
        html = web.get("/posts/new/").content.decode()
        assert "@brand" in html and "@not-mine" not in html and "@dormant" not in html
        assert "Their campaign" not in html

    def test_counter_rules_come_from_the_limits_table(self, web, owner, account):
        SocialAccountFactory(owner=owner, platform="bluesky")
        html = web.get("/posts/new/").content.decode()
        rules = json.loads(re.search(r'<script id="counter-rules" type="application/json">(.*?)</script>', html)[1])
        by_platform = {rule["platform"]: rule for rule in rules["accounts"].values()}
        assert by_platform["twitter"] | {"name": ""} == {
            "name": "",
            "network": "Twitter",
            "platform": "twitter",
            "limit": 280,
            "counting": "twitter",
            "url_length": 23,
        }
        assert by_platform["bluesky"]["counting"] == "graphemes" and by_platform["bluesky"]["limit"] == 300
        assert rules["url_pattern"].startswith("https?://")

    def test_prefills_the_day_from_the_calendar(self, web):
        assert 'value="2030-03-14T09:00"' in web.get("/posts/new/?date=2030-03-14").content.decode()
        assert 'value="2030-03-14T15:00"' in web.get("/posts/new/?at=2030-03-14T15:00").content.decode()
        assert web.get("/posts/new/?date=garbage").status_code == 200

    def test_duplicate_prefills_another_post_of_the_user_only(self, web, account, outsider):
        mine = PostFactory(social_account=account, content="Copy me please")
        theirs = PostFactory(social_account=SocialAccountFactory(owner=outsider), content="Secret plans")
        assert "Copy me please" in web.get(f"/posts/new/?duplicate={mine.pk}").content.decode()
        assert "Secret plans" not in web.get(f"/posts/new/?duplicate={theirs.pk}").content.decode()


class TestCreate:
    def test_save_draft(self, web, owner, account):
        response = web.post("/posts/new/", form([account], action="draft", scheduled_time=""))
        post = Post.objects.get()
        assert response["Location"] == f"/posts/{post.pk}/"
        assert post.status == PostStatus.DRAFT and post.scheduled_time is None and post.owner == owner

    def test_schedule_one_post_per_account_in_the_users_timezone(self, web, owner, account, campaign):
        bluesky = SocialAccountFactory(owner=owner, platform="bluesky")
        response = web.post(
            "/posts/new/", form([account, bluesky], action="schedule", campaign=campaign.pk, media_urls="\n")
        )
        posts = list(Post.objects.order_by("platform"))
        assert response.status_code == 302 and response["Location"] == "/?date=2030-03-14"
        assert [p.platform for p in posts] == ["bluesky", "twitter"]
        expected = dt.datetime(2030, 3, 14, 10, 30, tzinfo=owner.tzinfo)
        assert all(p.status == "scheduled" and p.scheduled_time == expected and p.campaign == campaign for p in posts)

    def test_publish_now_schedules_at_once(self, web, account):
        now = timezone.now().replace(microsecond=0) + dt.timedelta(minutes=5)
        with time_machine.travel(now, tick=False):
            web.post("/posts/new/", form([account], action="publish", scheduled_time=""))
        post = Post.objects.get()
        assert post.status == PostStatus.SCHEDULED
        assert post.scheduled_time == now + PUBLISH_NOW_LEAD  # the same lead as the publisher API's

    def test_too_long_text_is_shown_next_to_the_content(self, web, account):
        response = web.post("/posts/new/", form([account], action="schedule", content="x" * 281))
        assert response.status_code == 400
        assert field_errors(response.content.decode(), "content") == [
            "Too long for Twitter: 281 characters (each link counts 23, CJK and emoji 2), the limit is 280."
        ]
        assert not Post.objects.exists()

    def test_a_time_beyond_the_horizon_is_refused_as_in_the_api(self, web, account):
        response = web.post("/posts/new/", form([account], action="schedule", scheduled_time="9999-12-31T23:59"))
        assert response.status_code == 400
        assert field_errors(response.content.decode(), "scheduled_time") == ["Must be at most 1826 days ahead."]
        assert not Post.objects.exists()

    def test_with_several_accounts_the_error_names_the_account(self, web, owner, account):
        bluesky = SocialAccountFactory(owner=owner, platform="bluesky", account_name="brand.bsky")
        response = web.post("/posts/new/", form([account, bluesky], action="draft", content="é" * 290))
        errors = field_errors(response.content.decode(), "content")
        assert len(errors) == 1 and errors[0].startswith("@brand: Too long for Twitter")
        assert not Post.objects.exists()  # all or nothing

    def test_schedule_needs_a_time_and_a_future_one(self, web, account):
        html = web.post("/posts/new/", form([account], action="schedule", scheduled_time="")).content.decode()
        assert field_errors(html, "scheduled_time") == ["A scheduled post needs a scheduled_time."]
        html = web.post("/posts/new/", form([account], action="schedule", scheduled_time="2001-01-01T10:00"))
        assert field_errors(html.content.decode(), "scheduled_time") == ["Must be in the future."]

    def test_bad_media_urls_are_shown_next_to_the_media(self, web, account):
        response = web.post("/posts/new/", form([account], action="draft", media_urls="ftp://x.example/a.png"))
        assert field_errors(response.content.decode(), "media_urls") == ["Item 0: only http(s) URLs are accepted."]

    def test_form_errors_need_no_service(self, web, account):
        response = web.post("/posts/new/", {"content": "", "action": "draft"})
        html = response.content.decode()
        assert response.status_code == 400
        assert field_errors(html, "accounts") == ["Choose at least one account."]
        assert field_errors(html, "content") == ["This field is required."]

    def test_another_users_account_is_not_a_choice(self, web, outsider):
        theirs = SocialAccountFactory(owner=outsider)
        response = web.post("/posts/new/", form([theirs], action="draft"))
        assert response.status_code == 400 and not Post.objects.exists()

    def test_schedule_via_buffer_hands_the_post_over(self, web, buffer_account, sandbox):
        response = web.post("/posts/new/", form([buffer_account], action="buffer"), follow=True)
        post = Post.objects.get()
        assert post.status == PostStatus.SCHEDULED and post.buffer_update_id
        assert "handed to Buffer" in response.content.decode()

    def test_schedule_via_buffer_when_buffer_is_down_says_so(self, web, buffer_account, sandbox):
        sandbox.faults(down=True)
        response = web.post("/posts/new/", form([buffer_account], action="buffer"), follow=True)
        post = Post.objects.get()
        assert post.status == PostStatus.SCHEDULED and not post.buffer_update_id
        assert "Buffer did not take it: Buffer is unavailable" in response.content.decode()


class TestEdit:
    def test_shows_the_post_in_the_form(self, web, owner, account):
        post = PostFactory(
            social_account=account, content="Edit me", scheduled_time=dt.datetime(2030, 3, 14, 9, tzinfo=dt.UTC)
        )
        html = web.get(f"/posts/{post.pk}/edit/").content.decode()
        assert "Edit me" in html and 'value="2030-03-14T10:00"' in html  # Berlin is UTC+1 in March

    def test_save_changes(self, web, owner, account):
        post = PostFactory(social_account=account, status=PostStatus.DRAFT, scheduled_time=None)
        data = {"social_account": account.pk, "content": "New text", "scheduled_time": "", "action": "draft"}
        assert web.post(f"/posts/{post.pk}/edit/", data)["Location"] == f"/posts/{post.pk}/"
        post.refresh_from_db()
        assert post.content == "New text" and post.status == PostStatus.DRAFT

    def test_schedule_a_draft(self, web, owner, account):
        post = PostFactory(social_account=account, status=PostStatus.DRAFT, scheduled_time=None)
        data = {"social_account": account.pk, "content": "Go", "scheduled_time": WHEN, "action": "schedule"}
        web.post(f"/posts/{post.pk}/edit/", data)
        post.refresh_from_db()
        assert post.status == PostStatus.SCHEDULED and post.scheduled_time.astimezone(owner.tzinfo).hour == 10

    def test_errors_are_shown_next_to_fields(self, web, account):
        post = PostFactory(social_account=account)
        data = {"social_account": account.pk, "content": "x" * 300, "scheduled_time": WHEN, "action": "draft"}
        response = web.post(f"/posts/{post.pk}/edit/", data)
        assert response.status_code == 400 and field_errors(response.content.decode(), "content")

    def test_published_posts_cannot_be_edited(self, web, account):
        post = PostFactory(social_account=account, status=PostStatus.PUBLISHED)
        response = web.get(f"/posts/{post.pk}/edit/", follow=True)
        assert response.redirect_chain[-1][0] == f"/posts/{post.pk}/"
        assert "can no longer be edited" in response.content.decode()

    def test_another_users_post_is_404(self, web, outsider):
        theirs = PostFactory(social_account=SocialAccountFactory(owner=outsider))
        assert web.get(f"/posts/{theirs.pk}/edit/").status_code == 404
        assert web.post(f"/posts/{theirs.pk}/edit/", {"content": "x"}).status_code == 404


class TestEditIsAllOrNothing:
    """Edit, schedule and hand over are one service call (posts.composing.edit_post): a refusal in the
    last step leaves the post as it was, not edited and rescheduled without reaching Buffer."""

    def _draft(self, account) -> Post:
        return PostFactory.create(
            social_account=account, status=PostStatus.DRAFT, content="Before", scheduled_time=None
        )

    def test_buffer_down_keeps_the_draft_as_it_was(self, web, buffer_account, sandbox):
        post = self._draft(buffer_account)
        sandbox.faults(down=True)
        data = {"social_account": buffer_account.pk, "content": "After", "scheduled_time": WHEN, "action": "buffer"}
        response = web.post(f"/posts/{post.pk}/edit/", data)
        assert response.status_code == 400 and "Buffer is unavailable" in response.content.decode()
        post.refresh_from_db()
        assert (post.content, post.status, post.scheduled_time, post.buffer_update_id) == (
            "Before",
            PostStatus.DRAFT,
            None,
            "",
        )
        assert sandbox.admin("GET", "updates").json() == []

    def test_buffer_up_edits_schedules_and_hands_over(self, web, buffer_account, sandbox):
        post = self._draft(buffer_account)
        data = {"social_account": buffer_account.pk, "content": "After", "scheduled_time": WHEN, "action": "buffer"}
        assert web.post(f"/posts/{post.pk}/edit/", data).status_code == 302
        post.refresh_from_db()
        assert post.content == "After" and post.status == PostStatus.SCHEDULED and post.buffer_update_id

    def test_a_post_already_at_buffer_is_refused_before_anything_is_written(self, web, buffer_account, sandbox):
        post = self._draft(buffer_account)
        handed = {"social_account": buffer_account.pk, "content": "First", "scheduled_time": WHEN, "action": "buffer"}
        web.post(f"/posts/{post.pk}/edit/", handed)
        post.refresh_from_db()
        update_id = post.buffer_update_id
        again = {**handed, "content": "Second"}
        response = web.post(f"/posts/{post.pk}/edit/", again)
        assert response.status_code == 400 and "already at Buffer" in response.content.decode()
        post.refresh_from_db()
        assert post.content == "First" and post.buffer_update_id == update_id
        assert [u["text"] for u in sandbox.admin("GET", "updates").json()] == ["First"]
