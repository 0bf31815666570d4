"""GET /campaigns/{id}/analytics (seed endpoint 29): aggregates of each post's latest snapshot."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.tests.factories import SocialAccountFactory
from analytics.tests.factories import PostAnalyticsFactory
from campaigns.tests.factories import CampaignFactory
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2025, 6, day, hour, minute, tzinfo=UTC)


def _published(account, campaign, when: dt.datetime):
    return PostFactory(social_account=account, campaign=campaign, status="published", published_at=when)


def _snapshot(post, views, likes, shares, comments, recorded_at=None, **extra):
    return PostAnalyticsFactory(
        post=post,
        views=views,
        likes=likes,
        shares=shares,
        comments=comments,
        recorded_at=recorded_at or _at(20, 12),
        **extra,
    )


@pytest.fixture
def campaign(owner, outsider):
    """Two published posts with numbers (one with an older snapshot too), one scheduled, one draft."""
    owner.timezone = "Europe/Berlin"
    owner.save()
    campaign = CampaignFactory(owner=owner)
    twitter = SocialAccountFactory(owner=owner, platform="twitter")
    facebook = SocialAccountFactory(owner=owner, platform="facebook")

    tweet = _published(twitter, campaign, _at(1, 10))
    _snapshot(tweet, 10, 1, 0, 0, recorded_at=_at(2, 9), clicks=1)  # superseded: must not count
    _snapshot(tweet, 1000, 50, 10, 5, clicks=7)
    # 23:30 UTC is already June 2nd in Berlin.
    _snapshot(_published(facebook, campaign, _at(1, 23, 30)), 500, 20, 3, 2)
    PostFactory(social_account=twitter, campaign=campaign, status="scheduled")
    PostFactory(social_account=facebook, campaign=campaign, status="draft")

    _snapshot(_published(twitter, None, _at(1, 10)), 9999, 999, 99, 9)  # no campaign
    other = SocialAccountFactory(owner=outsider, platform="twitter")
    _snapshot(_published(other, campaign, _at(1, 10)), 7777, 777, 77, 7)  # stray post of another user
    _snapshot(_published(other, CampaignFactory(owner=outsider), _at(1, 10)), 8888, 888, 88, 8)
    return campaign


def test_totals_statuses_platforms_days_and_top_posts(api, campaign):
    response = api.get(f"/api/v1/campaigns/{campaign.pk}/analytics")
    assert response.status_code == 200
    body = response.json()
    assert body["campaign_id"] == campaign.pk
    assert body["totals"] == {
        "posts": 2,
        "views": 1500,
        "likes": 70,
        "shares": 13,
        "comments": 7,
        "clicks": 7,
        "engagement_rate": 6.0,  # 90 / 1500
    }
    assert body["post_count"] == 4
    assert body["posts_by_status"] == {
        "draft": 1,
        "scheduled": 1,
        "publishing": 0,
        "published": 2,
        "failed": 0,
        "cancelled": 0,
        "reconciling": 0,
        "pending_approval": 0,
    }
    assert body["by_platform"] == [
        {
            "platform": "facebook",
            "posts": 1,
            "views": 500,
            "likes": 20,
            "shares": 3,
            "comments": 2,
            "clicks": 0,
            "engagement_rate": 5.0,
        },
        {
            "platform": "twitter",
            "posts": 1,
            "views": 1000,
            "likes": 50,
            "shares": 10,
            "comments": 5,
            "clicks": 7,
            "engagement_rate": 6.5,
        },
    ]
    assert [(d["date"], d["posts"], d["views"], d["engagement_rate"]) for d in body["by_day"]] == [
        ("2025-06-01", 1, 1000, 6.5),
        ("2025-06-02", 1, 500, 5.0),
    ]
    assert [(p["platform"], p["engagements"], p["engagement_rate"]) for p in body["top_posts"]] == [
        ("twitter", 65, 6.5),
        ("facebook", 25, 5.0),
    ]


def test_days_follow_the_users_timezone(api, owner, campaign):
    owner.timezone = "UTC"
    owner.save()
    days = api.get(f"/api/v1/campaigns/{campaign.pk}/analytics").json()["by_day"]
    assert [(d["date"], d["views"]) for d in days] == [("2025-06-01", 1500)]


def test_unpublished_posts_count_on_their_scheduled_day(api, owner):
    campaign = CampaignFactory(owner=owner)
    post = PostFactory(social_account=SocialAccountFactory(owner=owner), campaign=campaign, scheduled_time=_at(3, 12))
    _snapshot(post, 100, 1, 0, 0)
    days = api.get(f"/api/v1/campaigns/{campaign.pk}/analytics").json()["by_day"]
    assert [d["date"] for d in days] == ["2025-06-03"]


def test_a_newer_snapshot_replaces_the_older_in_aggregates(api, owner):
    campaign = CampaignFactory(owner=owner)
    post = _published(SocialAccountFactory(owner=owner), campaign, _at(1, 10))
    _snapshot(post, 1000, 50, 10, 5, recorded_at=_at(5, 10))
    _snapshot(post, 2000, 100, 20, 10, recorded_at=_at(6, 10))
    _snapshot(post, 3000, 0, 0, 0, recorded_at=_at(4, 10))  # recorded later, but older numbers
    totals = api.get(f"/api/v1/campaigns/{campaign.pk}/analytics").json()["totals"]
    assert (totals["posts"], totals["views"], totals["likes"], totals["engagement_rate"]) == (1, 2000, 100, 6.5)


def test_top_posts_are_at_most_five_by_engagements(api, owner):
    campaign = CampaignFactory(owner=owner)
    account = SocialAccountFactory(owner=owner)
    for likes in range(7):
        _snapshot(_published(account, campaign, _at(1, 10)), 100, likes, 0, 0)
    top = api.get(f"/api/v1/campaigns/{campaign.pk}/analytics").json()["top_posts"]
    assert [p["likes"] for p in top] == [6, 5, 4, 3, 2]


def test_campaign_without_posts(api, owner):
    campaign = CampaignFactory(owner=owner)
    body = api.get(f"/api/v1/campaigns/{campaign.pk}/analytics").json()
    assert body["totals"]["views"] == 0 and body["totals"]["engagement_rate"] == 0
    assert body["by_platform"] == body["by_day"] == body["top_posts"] == []
    assert body["post_count"] == 0


@pytest.mark.parametrize("size", [1, 25])
def test_query_count_is_constant(api, owner, size, django_assert_num_queries):
    campaign = CampaignFactory(owner=owner)
    accounts = [SocialAccountFactory(owner=owner, platform=p) for p in ("twitter", "facebook", "linkedin")]
    for index in range(size):
        post = _published(accounts[index % 3], campaign, _at(1 + index % 5, 10))
        _snapshot(post, 100, index, 1, 1, recorded_at=_at(10, 10))
        _snapshot(post, 200, index, 1, 1, recorded_at=_at(11, 10))
    # user (JWT) + campaign + by platform + by day + by status + top posts
    with django_assert_num_queries(7):  # + the caller's membership, once per request
        body = api.get(f"/api/v1/campaigns/{campaign.pk}/analytics").json()
    assert body["totals"]["posts"] == size and body["totals"]["views"] == 200 * size
