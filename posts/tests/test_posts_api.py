"""Create and read posts over the API (seed endpoints 8, 9): every field's validation and isolation."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.tests.factories import SocialAccountFactory
from campaigns.models import CampaignStatus
from campaigns.tests.factories import CampaignFactory
from posts.models import Post
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def create(api, account, **overrides):
    body = {
        "social_account_id": account.pk,
        "content": "Post content #hashtag",
        "scheduled_time": "2025-12-25T10:00:00",
    }
    body.update(overrides)
    return api.post("/api/v1/posts", {k: v for k, v in body.items() if v is not ...}, format="json")


class TestCreate:
    def test_seed_example(self, api, owner, account, campaign):
        response = create(
            api, account, campaign_id=campaign.pk, platform="twitter", media_urls=["https://example.com/image.jpg"]
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["status"] == "scheduled" and body["platform"] == "twitter"
        assert body["social_account_id"] == account.pk and body["campaign_id"] == campaign.pk
        assert body["media_urls"] == ["https://example.com/image.jpg"]
        # Naive input is the owner's local time (Berlin, UTC+1 in December); output carries the offset.
        assert body["scheduled_time"] == "2025-12-25T10:00:00+01:00"
        assert body["buffer_update_id"] == "" and body["attempts"] == 0 and body["published_at"] is None
        post = Post.objects.get(pk=body["id"])
        assert post.owner == owner
        assert post.scheduled_time == dt.datetime(2025, 12, 25, 9, 0, tzinfo=dt.UTC)

    def test_offset_in_input_is_respected(self, api, account):
        response = create(api, account, scheduled_time="2025-12-25T10:00:00Z")
        assert response.json()["scheduled_time"] == "2025-12-25T11:00:00+01:00"

    def test_platform_defaults_to_the_accounts(self, api, owner):
        account = SocialAccountFactory(owner=owner, platform="mastodon")
        assert create(api, account).json()["platform"] == "mastodon"

    def test_platform_must_match_the_account(self, api, account):
        response = create(api, account, platform="facebook")
        assert response.status_code == 400
        assert response.json()["errors"] == {"platform": ["Must be the account's platform (twitter), or left out."]}

    @pytest.mark.parametrize(
        "overrides, status",
        [({"scheduled_time": ...}, "draft"), ({"scheduled_time": None}, "draft"), ({"status": "draft"}, "draft")],
    )
    def test_status_draft(self, api, account, overrides, status):
        response = create(api, account, **overrides)
        assert response.status_code == 201
        assert response.json()["status"] == status

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"status": "published"}, "status"),
            ({"status": "cancelled"}, "status"),
            ({"status": "nonsense"}, "status"),
            ({"status": "scheduled", "scheduled_time": None}, "scheduled_time"),
            ({"scheduled_time": "2025-12-01T12:59:00"}, "scheduled_time"),  # 11:59 UTC: the past
            ({"scheduled_time": "tomorrow"}, "scheduled_time"),
            ({"content": ""}, "content"),
            ({"content": ...}, "content"),
            ({"content": "x" * 281}, "content"),
            ({"content": "好" * 141}, "content"),
            ({"social_account_id": ...}, "social_account_id"),
            ({"social_account_id": "abc"}, "social_account_id"),
            ({"social_account_id": 999_999}, "social_account_id"),
            ({"campaign_id": 999_999}, "campaign_id"),
            ({"platform": "myspace"}, "platform"),
            ({"media_urls": "https://x.io/a.jpg"}, "media_urls"),
            ({"media_urls": ["ftp://x.io/a.jpg"]}, "media_urls"),
            ({"media_urls": ["https://x.io/a.pdf"]}, "media_urls"),
            ({"media_urls": [f"https://x.io/{i}.jpg" for i in range(5)]}, "media_urls"),
            ({"media_urls": ["https://x.io/a.jpg", "https://x.io/a.mp4"]}, "media_urls"),
        ],
    )
    def test_invalid_fields_are_400_naming_the_field(self, api, account, overrides, field):
        response = create(api, account, **overrides)
        assert response.status_code == 400
        assert field in response.json()["errors"], response.json()
        assert response.json()["detail"].startswith(field)
        assert Post.objects.count() == 0

    def test_bluesky_counts_graphemes(self, api, owner):
        account = SocialAccountFactory(owner=owner, platform="bluesky")
        assert create(api, account, content="🇩🇪" * 300).status_code == 201
        assert create(api, account, content="🇩🇪" * 301).json()["errors"]["content"]

    def test_instagram_requires_media(self, api, owner):
        account = SocialAccountFactory(owner=owner, platform="instagram")
        assert "media_urls" in create(api, account).json()["errors"]
        assert create(api, account, media_urls=["https://x.io/a.jpg"]).status_code == 201

    def test_other_users_account_and_campaign_are_400(self, api, account, outsider):
        foreign_account = SocialAccountFactory(owner=outsider)
        foreign_campaign = CampaignFactory(owner=outsider)
        response = create(api, foreign_account)
        assert response.status_code == 400
        assert response.json()["errors"] == {"social_account_id": [f"You have no social account {foreign_account.pk}."]}
        response = create(api, account, campaign_id=foreign_campaign.pk)
        assert response.json()["errors"] == {"campaign_id": [f"You have no campaign {foreign_campaign.pk}."]}

    def test_completed_campaign_is_rejected(self, api, owner, account):
        campaign = CampaignFactory(owner=owner, name="Summer", status=CampaignStatus.COMPLETED)
        response = create(api, account, campaign_id=campaign.pk)
        assert response.status_code == 400
        assert response.json()["detail"] == "campaign_id: Campaign 'Summer' is completed: it takes no more posts."

    def test_campaign_dates_are_the_owners_days(self, api, owner, account):
        campaign = CampaignFactory(
            owner=owner, name="December", start_date=dt.date(2025, 12, 2), end_date=dt.date(2025, 12, 31)
        )
        late_evening = create(api, account, campaign_id=campaign.pk, scheduled_time="2025-12-31T23:30:00")
        assert late_evening.status_code == 201
        # 23:30 UTC on the 31st is already January 1st in Berlin.
        response = create(api, account, campaign_id=campaign.pk, scheduled_time="2025-12-31T23:30:00Z")
        assert response.status_code == 400
        assert response.json()["detail"] == (
            "scheduled_time: 2026-01-01 is outside campaign 'December' (2025-12-02 to 2025-12-31, in Europe/Berlin)."
        )
        assert create(api, account, campaign_id=campaign.pk, scheduled_time="2025-12-01T23:00:00").status_code == 400
        # A draft without a time is not yet on a day.
        assert create(api, account, campaign_id=campaign.pk, scheduled_time=None).status_code == 201

    def test_output_only_fields_are_ignored(self, api, account, outsider):
        response = create(
            api,
            account,
            id=12345,
            owner=outsider.pk,
            published_at="2025-12-01T00:00:00Z",
            buffer_update_id="forged",
            handed_to_buffer_at="2025-12-01T00:00:00Z",
            service_link="https://evil.example.com",
            attempts=7,
            last_error="forged",
        )
        assert response.status_code == 201
        post = Post.objects.get()
        assert post.pk != 12345 and post.owner_id == account.owner_id
        assert (post.published_at, post.buffer_update_id, post.handed_to_buffer_at) == (None, "", None)
        assert (post.service_link, post.attempts, post.last_error) == ("", 0, "")


class TestRead:
    def test_get_own_post(self, api, account):
        post = PostFactory(social_account=account, content="hello")
        response = api.get(f"/api/v1/posts/{post.pk}")
        assert response.status_code == 200
        assert response.json()["content"] == "hello" and response.json()["id"] == post.pk

    def test_unknown_and_other_users_posts_are_404(self, api, outsider):
        foreign = PostFactory(social_account=SocialAccountFactory(owner=outsider))
        for pk in (foreign.pk, 999_999):
            response = api.get(f"/api/v1/posts/{pk}")
            assert response.status_code == 404
            assert response.json() == {"detail": "Not found."}

    def test_non_numeric_id_is_404(self, api):
        assert api.get("/api/v1/posts/abc").status_code == 404

    def test_requires_jwt(self, client):
        assert client.get("/api/v1/posts").status_code == 401
