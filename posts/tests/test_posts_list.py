"""GET /posts (seed endpoint 10): filters, ordering, pagination, isolation and a constant query count."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.tests.factories import SocialAccountFactory
from campaigns.tests.factories import CampaignFactory
from posts.models import PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [post["id"] for post in response.json()]


@pytest.fixture
def posts(owner, account, campaign):
    """Four posts of the owner on two accounts, one campaign; times in UTC."""
    other_account = SocialAccountFactory(owner=owner, platform="facebook")
    with time_machine.travel(dt.datetime(2025, 11, 1, tzinfo=UTC), tick=False) as clock:
        made = {}
        for name, acc, status, when, text in [
            ("a", account, PostStatus.SCHEDULED, dt.datetime(2025, 12, 3, 9, tzinfo=UTC), "Winter SALE starts"),
            ("b", account, PostStatus.DRAFT, None, "draft idea"),
            ("c", other_account, PostStatus.PUBLISHED, dt.datetime(2025, 12, 1, 9, tzinfo=UTC), "we shipped"),
            ("d", other_account, PostStatus.SCHEDULED, dt.datetime(2025, 12, 2, 23, 30, tzinfo=UTC), "sale, day 2"),
        ]:
            clock.shift(60)
            made[name] = PostFactory(
                social_account=acc,
                status=status,
                scheduled_time=when,
                content=text,
                campaign=campaign if name in "ad" else None,
            )
    return made


class TestFilters:
    @pytest.mark.parametrize(
        "query, expected",
        [
            ("", ["c", "d", "a", "b"]),  # scheduled_time, unscheduled last
            ("status=scheduled", ["d", "a"]),
            ("status=scheduled&status=draft", ["d", "a", "b"]),
            ("platform=facebook", ["c", "d"]),
            ("q=sale", ["d", "a"]),
            ("q=SALE%20starts", ["a"]),
            ("scheduled_from=2025-12-02T00:00:00Z", ["d", "a"]),
            ("scheduled_to=2025-12-02T23:59:59Z", ["c", "d"]),
            # Naive bounds are the owner's (Berlin) time: 2025-12-03T00:00 local is 2025-12-02T23:00Z.
            ("scheduled_from=2025-12-03T00:00:00", ["d", "a"]),
            ("ordering=-scheduled_time", ["a", "d", "c", "b"]),  # unscheduled last either way
            ("ordering=created_at", ["a", "b", "c", "d"]),
            ("ordering=-created_at", ["d", "c", "b", "a"]),
            ("status=scheduled&platform=twitter&q=winter", ["a"]),
        ],
    )
    def test_filter(self, api, posts, query, expected):
        assert ids(api.get(f"/api/v1/posts?{query}")) == [posts[name].pk for name in expected]

    def test_campaign_and_account_filters(self, api, posts, account, campaign):
        assert ids(api.get(f"/api/v1/posts?campaign_id={campaign.pk}")) == [posts["d"].pk, posts["a"].pk]
        assert ids(api.get(f"/api/v1/posts?social_account_id={account.pk}")) == [posts["a"].pk, posts["b"].pk]

    @pytest.mark.parametrize(
        "query, field",
        [
            ("status=sent", "status"),
            ("platform=myspace", "platform"),
            ("campaign_id=abc", "campaign_id"),
            ("scheduled_from=soon", "scheduled_from"),
            ("scheduled_from=2025-12-03", "scheduled_from"),  # a date alone is not read as midnight
            ("scheduled_from=2026-03-29T02:30:00", "scheduled_from"),  # skipped by DST in Berlin
            ("scheduled_from=2025-12-03T00:00:00%2B16:00", "scheduled_from"),  # beyond PostgreSQL's ±15:59
            ("scheduled_to=0001-01-01T00:00:00%2B01:00", "scheduled_to"),
            ("campaign_id=99999999999999999999999", "campaign_id"),
            ("social_account_id=9223372036854775808", "social_account_id"),
            ("skip=99999999999999999999", "skip"),
            ("ordering=content", "ordering"),
            ("limit=101", "limit"),
        ],
    )
    def test_bad_filter_values_are_400(self, api, posts, query, field):
        response = api.get(f"/api/v1/posts?{query}")
        assert response.status_code == 400
        assert field in response.json()["errors"]
        assert response.json()["detail"].startswith(f"{field}: ")


class TestIsolation:
    def test_only_own_posts_whatever_the_filter(self, outsider_api, outsider, posts, account, campaign):
        mine = PostFactory(social_account=SocialAccountFactory(owner=outsider, platform="twitter"))
        assert ids(outsider_api.get("/api/v1/posts")) == [mine.pk]
        for query in (f"campaign_id={campaign.pk}", f"social_account_id={account.pk}", "q=sale", "status=draft"):
            assert ids(outsider_api.get(f"/api/v1/posts?{query}")) == []

    def test_total_count_header(self, api, posts):
        response = api.get("/api/v1/posts?limit=2&skip=1")
        assert ids(response) == [posts["d"].pk, posts["a"].pk]
        assert response["X-Total-Count"] == "4"
        assert 'rel="next"' in response["Link"] and 'rel="prev"' in response["Link"]


class TestQueryCount:
    @pytest.mark.parametrize("size", [1, 10, 60])
    def test_constant_whatever_the_page_size(self, api, owner, django_assert_num_queries, size):
        for index in range(size):
            account = SocialAccountFactory(owner=owner)
            PostFactory(social_account=account, campaign=CampaignFactory(owner=owner) if index % 2 else None)
        # user (JWT) + count + page (accounts and campaigns joined in) + the page's library items (media_ids)
        with django_assert_num_queries(5):  # + the caller's membership, once per request
            assert len(ids(api.get("/api/v1/posts?limit=100"))) == size
