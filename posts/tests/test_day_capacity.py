"""The day-capacity rule: one Buffer key's daily request budget limits the posts of one day (API 400, UI warning)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from buffer_integration.tests.factories import BufferConfigFactory
from posts.models import Post

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_key(owner, settings):
    """A GraphQL key whose day carries 2 posts: floor(3 requests / 1.2 per post)."""
    settings.BUFFER_PLAN_LIMITS = {"free": {"15m": 100, "24h": 3, "30d": 3000}}
    return BufferConfigFactory(owner=owner, api="graphql", plan="free")


def at(days: int, hour: int = 10) -> str:
    local = timezone.localtime(timezone.now(), dt.UTC).replace(hour=hour, minute=0, second=0, microsecond=0)
    return (local + dt.timedelta(days=days)).isoformat()


def create(api, account, when: str):
    return api.post("/api/v1/posts", {"social_account_id": account.pk, "content": "Hi", "scheduled_time": when})


def test_a_day_takes_what_the_key_can_publish_then_says_why_not(api, account, small_key):
    assert create(api, account, at(2, 9)).status_code == 201
    assert create(api, account, at(2, 11)).status_code == 201
    refused = create(api, account, at(2, 15))
    assert refused.status_code == 400
    body = refused.json()
    assert "more than the 2 a day your Buffer key" in body["detail"] and body["errors"]["scheduled_time"]
    assert create(api, account, at(3, 9)).status_code == 201  # another day has room


def test_drafts_do_not_count_and_a_team_plan_carries_more(api, account, small_key, settings):
    for _ in range(3):
        assert api.post("/api/v1/posts", {"social_account_id": account.pk, "content": "Draft"}).status_code == 201
    assert create(api, account, at(2)).status_code == 201
    assert create(api, account, at(2)).status_code == 201
    assert create(api, account, at(2)).status_code == 400
    settings.BUFFER_PLAN_LIMITS = {"team": {"15m": 100, "24h": 6, "30d": 3000}}
    assert api.patch(f"/api/v1/buffer/config/{small_key.pk}", {"plan": "team"}).status_code == 200
    assert create(api, account, at(2)).status_code == 201


def test_bulk_is_all_or_nothing_over_capacity(api, account, small_key):
    items = [{"social_account_id": account.pk, "content": f"Post {i}", "scheduled_time": at(4)} for i in range(3)]
    refused = api.post("/api/v1/posts/bulk", {"posts": items}, format="json")
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"2"} and "scheduled_time" in refused.json()["errors"]["2"]
    assert not Post.objects.exists()
    assert api.post("/api/v1/posts/bulk", {"posts": items[:2]}, format="json").status_code == 201


def test_reschedule_and_edit_onto_a_full_day_are_refused_moving_within_it_is_not(api, account, small_key):
    first, second = (create(api, account, at(5, hour)).json()["id"] for hour in (9, 10))
    other = create(api, account, at(6)).json()["id"]
    moved = api.post(f"/api/v1/posts/{other}/reschedule", {"scheduled_time": at(5, 12)})
    assert moved.status_code == 400 and "scheduled_time" in moved.json()["errors"]
    edited = api.patch(f"/api/v1/posts/{other}", {"scheduled_time": at(5, 13)})
    assert edited.status_code == 400 and "scheduled_time" in edited.json()["errors"]
    assert api.post(f"/api/v1/posts/{first}/reschedule", {"scheduled_time": at(5, 14)}).status_code == 200
    assert api.patch(f"/api/v1/posts/{second}", {"scheduled_time": at(5, 15)}).status_code == 200


def test_v1_keys_have_no_daily_limit(api, account, owner, settings):
    settings.BUFFER_RATE_LIMIT_PER_MINUTE = 1
    BufferConfigFactory(owner=owner, api="v1")
    for _ in range(4):
        assert create(api, account, at(2)).status_code == 201


def test_calendar_and_composer_warn_about_full_days(web, api, account, small_key):
    day = timezone.localtime(dt.datetime.fromisoformat(at(2)), account.owner.tzinfo).date()
    create(api, account, at(2, 9))
    create(api, account, at(2, 10))
    calendar = web.get(f"/?date={day}")
    assert calendar.status_code == 200
    assert b'id="capacity-warning"' in calendar.content and b"at most 2 posts a day" in calendar.content
    assert b"full" in calendar.content
    composer = web.get("/posts/new/")
    assert composer.status_code == 200 and b'id="capacity-warning"' in composer.content
