"""GET /posts/calendar (seed endpoint 15): local days, empty days, counts per status, DST, limits."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.tests.factories import SocialAccountFactory
from posts.models import PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

UTC = dt.UTC
CALENDAR = "/api/v1/posts/calendar"


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=UTC)


def calendar(api, start, end, **params):
    query = "&".join([f"start_date={start}", f"end_date={end}", *(f"{k}={v}" for k, v in params.items())])
    return api.get(f"{CALENDAR}?{query}")


def by_date(response) -> dict[str, dict]:
    assert response.status_code == 200, response.json()
    return {day["date"]: day for day in response.json()["days"]}


def test_every_day_with_counts_and_compact_posts(api, account, campaign):
    late = PostFactory(social_account=account, scheduled_time=at(2025, 12, 3, 17), campaign=campaign, content="b")
    early = PostFactory(social_account=account, scheduled_time=at(2025, 12, 3, 8), status=PostStatus.DRAFT)
    done = PostFactory(social_account=account, scheduled_time=at(2025, 12, 1, 8), status=PostStatus.PUBLISHED)
    PostFactory(social_account=account, scheduled_time=None, status=PostStatus.DRAFT)  # on no day
    response = calendar(api, "2025-12-01", "2025-12-03")
    body = response.json()
    assert (body["start_date"], body["end_date"], body["timezone"], body["total"]) == (
        "2025-12-01",
        "2025-12-03",
        "Europe/Berlin",
        3,
    )
    days = by_date(response)
    assert list(days) == ["2025-12-01", "2025-12-02", "2025-12-03"]
    assert days["2025-12-02"] == {
        "date": "2025-12-02",
        "total": 0,
        "counts": dict.fromkeys(PostStatus.values, 0),
        "posts": [],
    }
    assert days["2025-12-01"]["posts"][0]["id"] == done.pk and days["2025-12-01"]["counts"]["published"] == 1
    third = days["2025-12-03"]
    assert third["total"] == 2 and third["counts"]["draft"] == 1 and third["counts"]["scheduled"] == 1
    assert [p["id"] for p in third["posts"]] == [early.pk, late.pk]
    assert third["posts"][1] == {
        "id": late.pk,
        "content": "b",
        "status": "scheduled",
        "in_buffer_queue": False,
        "rejected": False,
        "platform": "twitter",
        "scheduled_time": "2025-12-03T18:00:00+01:00",
        "social_account_id": account.pk,
        "campaign_id": campaign.pk,
        "network_options": {},
    }


def test_days_are_the_users_or_the_requested_timezone(api, account):
    post = PostFactory(social_account=account, scheduled_time=at(2025, 12, 1, 23, 30))  # Dec 2 in Berlin
    assert [p["id"] for p in by_date(calendar(api, "2025-12-01", "2025-12-02"))["2025-12-02"]["posts"]] == [post.pk]
    in_utc = calendar(api, "2025-12-01", "2025-12-02", tz="UTC")
    assert by_date(in_utc)["2025-12-01"]["posts"][0]["scheduled_time"] == "2025-12-01T23:30:00+00:00"
    in_tokyo = by_date(calendar(api, "2025-12-01", "2025-12-02", tz="Asia/Tokyo"))
    assert in_tokyo["2025-12-02"]["posts"][0]["scheduled_time"] == "2025-12-02T08:30:00+09:00"


def test_range_crossing_dst_groups_by_local_day(api, account):
    """Berlin springs forward on 2025-03-30: that day has 23 hours (22:00Z on the 29th to 22:00Z on the 30th)."""
    times = {
        "first-of-30th": at(2025, 3, 29, 23, 0),  # 00:00 CET
        "last-of-30th": at(2025, 3, 30, 21, 59),  # 23:59 CEST
        "first-of-31st": at(2025, 3, 30, 22, 0),  # 00:00 CEST
        "before-range": at(2025, 3, 28, 22, 59),  # 23:59 CET on the 28th
        "after-range": at(2025, 3, 31, 22, 0),  # 00:00 on April 1st
    }
    posts = {name: PostFactory(social_account=account, scheduled_time=when) for name, when in times.items()}
    days = by_date(calendar(api, "2025-03-29", "2025-03-31"))
    assert [p["id"] for p in days["2025-03-30"]["posts"]] == [posts["first-of-30th"].pk, posts["last-of-30th"].pk]
    assert [p["id"] for p in days["2025-03-31"]["posts"]] == [posts["first-of-31st"].pk]
    assert days["2025-03-29"]["posts"] == []
    assert days["2025-03-30"]["posts"][1]["scheduled_time"] == "2025-03-30T23:59:00+02:00"
    assert days["2025-03-30"]["posts"][0]["scheduled_time"] == "2025-03-30T00:00:00+01:00"


def test_only_own_posts_and_filters_apply(api, outsider_api, owner, outsider, account, campaign):
    mine = PostFactory(social_account=account, scheduled_time=at(2025, 12, 1, 10), campaign=campaign)
    PostFactory(
        social_account=SocialAccountFactory(owner=owner, platform="facebook"), scheduled_time=at(2025, 12, 1, 11)
    )
    PostFactory(social_account=SocialAccountFactory(owner=outsider), scheduled_time=at(2025, 12, 1, 9))
    assert by_date(calendar(api, "2025-12-01", "2025-12-01"))["2025-12-01"]["total"] == 2
    filtered = by_date(calendar(api, "2025-12-01", "2025-12-01", campaign_id=campaign.pk, platform="twitter"))
    assert [p["id"] for p in filtered["2025-12-01"]["posts"]] == [mine.pk]
    theirs = calendar(outsider_api, "2025-12-01", "2025-12-01", campaign_id=campaign.pk)
    assert by_date(theirs)["2025-12-01"]["total"] == 0


def test_366_days_is_the_limit(api):
    assert len(calendar(api, "2024-01-01", "2024-12-31").json()["days"]) == 366
    response = calendar(api, "2024-01-01", "2025-01-01")
    assert response.status_code == 400
    assert response.json()["errors"] == {"end_date": ["At most 366 days per request."]}


@pytest.mark.parametrize(
    "query, field",
    [
        ("start_date=2025-12-02&end_date=2025-12-01", "end_date"),
        ("start_date=2025-13-01&end_date=2025-12-31", "start_date"),
        ("start_date=01.12.2025&end_date=2025-12-31", "start_date"),
        ("end_date=2025-12-31", "start_date"),
        ("start_date=2025-12-01", "end_date"),
        ("start_date=2025-12-01&end_date=2025-12-31&tz=Mars/Olympus", "tz"),
        ("start_date=2025-12-01&end_date=2025-12-31&status=sent", "status"),
        # Days whose local midnight is outside what datetimes can hold used to be a 500.
        ("start_date=0001-01-01&end_date=0001-01-31", "start_date"),
        ("start_date=9999-12-01&end_date=9999-12-31", "start_date"),
        ("start_date=2999-12-01&end_date=9999-12-31", "end_date"),
    ],
)
def test_bad_parameters_are_400(api, query, field):
    response = api.get(f"{CALENDAR}?{query}")
    assert response.status_code == 400
    assert field in response.json()["errors"], response.json()


@pytest.mark.parametrize("count", [1, 40])
def test_two_queries_whatever_the_number_of_posts(api, account, django_assert_num_queries, count):
    for n in range(count):
        PostFactory(social_account=account, scheduled_time=at(2025, 12, 1 + n % 28, 10))
    with django_assert_num_queries(3):  # user (JWT) + membership + posts
        assert calendar(api, "2025-12-01", "2025-12-31").json()["total"] == count
