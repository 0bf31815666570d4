"""Edit, delete, cancel and reschedule posts not handed to Buffer (seed endpoints 11, 12, 16, 17)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.tests.factories import SocialAccountFactory
from campaigns.tests.factories import CampaignFactory
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.UTC)
LATER = NOW + dt.timedelta(days=2)
S = PostStatus


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def post(account, campaign):
    return PostFactory(social_account=account, campaign=campaign, content="original", scheduled_time=LATER)


def url(post, suffix=""):
    return f"/api/v1/posts/{post.pk}{suffix}"


class TestUpdate:
    def test_put_keeps_what_it_omits(self, api, post, campaign):
        response = api.put(url(post), {"content": "edited", "scheduled_time": "2025-12-10T09:00"}, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["content"] == "edited" and body["scheduled_time"] == "2025-12-10T09:00:00+01:00"
        assert body["campaign_id"] == campaign.pk and body["status"] == "scheduled"
        post.refresh_from_db()
        assert post.content == "edited" and post.updated_at == NOW

    def test_patch_media_and_campaign(self, api, post):
        response = api.patch(url(post), {"media_urls": ["https://x.io/a.png"], "campaign_id": None}, format="json")
        assert response.status_code == 200
        assert response.json()["media_urls"] == ["https://x.io/a.png"] and response.json()["campaign_id"] is None

    def test_move_to_another_own_account_takes_its_platform(self, api, owner, post):
        other = SocialAccountFactory(owner=owner, platform="linkedin")
        response = api.patch(url(post), {"social_account_id": other.pk}, format="json")
        assert response.json()["platform"] == "linkedin" and response.json()["social_account_id"] == other.pk

    @pytest.mark.parametrize(
        "body, field",
        [
            ({"content": "x" * 281}, "content"),
            ({"content": ""}, "content"),
            ({"scheduled_time": "2025-11-30T10:00"}, "scheduled_time"),
            ({"scheduled_time": None}, "scheduled_time"),  # a scheduled post keeps a time
            ({"platform": "facebook"}, "platform"),
            ({"status": "published"}, "status"),
            ({"status": "draft"}, "status"),  # status changes go through the actions
            ({"media_urls": ["https://x.io/a.exe"]}, "media_urls"),
        ],
    )
    def test_invalid_edits_are_400_and_change_nothing(self, api, post, body, field):
        response = api.patch(url(post), body, format="json")
        assert response.status_code == 400
        assert field in response.json()["errors"]
        post.refresh_from_db()
        assert post.content == "original" and post.scheduled_time == LATER and post.status == S.SCHEDULED

    def test_other_users_account_or_campaign_is_400(self, api, outsider, post):
        response = api.patch(url(post), {"social_account_id": SocialAccountFactory(owner=outsider).pk}, format="json")
        assert "social_account_id" in response.json()["errors"]
        response = api.patch(url(post), {"campaign_id": CampaignFactory(owner=outsider).pk}, format="json")
        assert "campaign_id" in response.json()["errors"]

    def test_output_only_fields_are_ignored(self, api, post):
        body = {"content": "ok", "published_at": "2025-12-01T00:00:00Z", "attempts": 9, "buffer_update_id": "x"}
        assert api.patch(url(post), body, format="json").status_code == 200
        post.refresh_from_db()
        assert (post.published_at, post.attempts, post.buffer_update_id) == (None, 0, "")

    def test_same_status_is_accepted(self, api, post):
        assert api.patch(url(post), {"status": "scheduled", "content": "ok"}, format="json").status_code == 200

    def test_overdue_time_left_unchanged_does_not_block_an_edit(self, api, post):
        Post.objects.filter(pk=post.pk).update(scheduled_time=NOW - dt.timedelta(minutes=5))
        assert api.patch(url(post), {"content": "typo fixed"}, format="json").status_code == 200

    def test_draft_may_keep_a_past_time(self, api, account):
        draft = PostFactory(social_account=account, status=S.DRAFT, scheduled_time=None)
        assert api.patch(url(draft), {"scheduled_time": "2025-11-01T10:00"}, format="json").status_code == 200

    @pytest.mark.parametrize("status", [S.PUBLISHED, S.PUBLISHING])
    def test_published_or_publishing_is_409(self, api, post, status):
        Post.objects.filter(pk=post.pk).update(status=status)
        response = api.put(url(post), {"content": "too late"}, format="json")
        assert response.status_code == 409
        assert (
            response.json()["detail"] == f"Post {post.pk} is {status}: published or publishing posts cannot be changed."
        )
        post.refresh_from_db()
        assert post.content == "original"


class TestDelete:
    @pytest.mark.parametrize("status", [S.DRAFT, S.SCHEDULED, S.FAILED, S.CANCELLED, S.PUBLISHED])
    def test_delete(self, api, post, status):
        Post.objects.filter(pk=post.pk).update(status=status)
        assert api.delete(url(post)).status_code == 204
        assert not Post.objects.filter(pk=post.pk).exists()

    def test_publishing_is_409(self, api, post):
        Post.objects.filter(pk=post.pk).update(status=S.PUBLISHING)
        response = api.delete(url(post))
        assert response.status_code == 409 and "being published" in response.json()["detail"]
        assert Post.objects.filter(pk=post.pk).exists()

    def test_reconciling_is_409_so_nothing_is_orphaned_at_buffer(self, api, post):
        Post.objects.filter(pk=post.pk).update(status=S.RECONCILING)
        response = api.delete(url(post))
        assert response.status_code == 409 and "checked with Buffer" in response.json()["detail"]
        assert Post.objects.filter(pk=post.pk).exists()


class TestCancel:
    @pytest.mark.parametrize("status", [S.DRAFT, S.SCHEDULED, S.FAILED, S.CANCELLED])
    def test_cancel(self, api, post, status):
        Post.objects.filter(pk=post.pk).update(status=status)
        response = api.post(url(post, "/cancel"))
        assert response.status_code == 200
        assert response.json()["status"] == "cancelled"

    @pytest.mark.parametrize("status", [S.PUBLISHED, S.PUBLISHING])
    def test_published_is_409(self, api, post, status):
        Post.objects.filter(pk=post.pk).update(status=status)
        response = api.post(url(post, "/cancel"))
        assert response.status_code == 409
        assert response.json()["detail"] == f"Post {post.pk} is {status}: it can no longer be cancelled."


class TestReschedule:
    @pytest.mark.parametrize("status", [S.DRAFT, S.SCHEDULED, S.FAILED, S.CANCELLED])
    def test_reschedule(self, api, post, status):
        Post.objects.filter(pk=post.pk).update(status=status, attempts=3, last_error="boom")
        response = api.post(url(post, "/reschedule"), {"scheduled_time": "2025-12-20T18:00"}, format="json")
        assert response.status_code == 200, response.json()
        body = response.json()
        assert body["status"] == "scheduled" and body["scheduled_time"] == "2025-12-20T18:00:00+01:00"
        assert body["attempts"] == 0 and body["last_error"] == ""

    @pytest.mark.parametrize(
        "body, field",
        [
            ({}, "scheduled_time"),
            ({"scheduled_time": "2025-12-01T12:00"}, "scheduled_time"),
            ({"scheduled_time": 5}, "scheduled_time"),
        ],
    )
    def test_bad_time_is_400(self, api, post, body, field):
        response = api.post(url(post, "/reschedule"), body, format="json")
        assert response.status_code == 400 and field in response.json()["errors"]

    def test_outside_the_campaign_is_400(self, api, owner, post):
        campaign = CampaignFactory(
            owner=owner, name="Week", start_date=dt.date(2025, 12, 1), end_date=dt.date(2025, 12, 7)
        )
        Post.objects.filter(pk=post.pk).update(campaign=campaign)
        response = api.post(url(post, "/reschedule"), {"scheduled_time": "2025-12-08T00:30"}, format="json")
        assert response.status_code == 400 and "outside campaign 'Week'" in response.json()["detail"]

    @pytest.mark.parametrize("status", [S.PUBLISHED, S.PUBLISHING])
    def test_published_is_409(self, api, post, status):
        Post.objects.filter(pk=post.pk).update(status=status)
        response = api.post(url(post, "/reschedule"), {"scheduled_time": "2025-12-20T18:00"}, format="json")
        assert response.status_code == 409


@pytest.mark.parametrize(
    "method, suffix, body",
    [
        ("get", "", None),
        ("put", "", {"content": "mine now"}),
        ("patch", "", {"content": "mine now"}),
        ("delete", "", None),
        ("post", "/schedule", None),
        ("post", "/cancel", None),
        ("post", "/reschedule", {"scheduled_time": "2025-12-20T18:00"}),
    ],
)
def test_other_users_post_is_404_on_every_route(outsider_api, post, method, suffix, body):
    response = getattr(outsider_api, method)(url(post, suffix), body, format="json")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    post.refresh_from_db()
    assert (post.content, post.status, post.scheduled_time) == ("original", S.SCHEDULED, LATER)
