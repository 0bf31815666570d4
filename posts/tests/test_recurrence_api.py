"""Recurring posts over the API: `recurrence` on create, occurrences, `scope` on edit, ending a series."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from conftest import client_for
from posts.models import Post, PostSeries
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def berlin_account(account):
    account.profile_timezone = "Europe/Berlin"
    account.save(update_fields=["profile_timezone"])
    return account


def create(api, account, **overrides):
    body = {
        "social_account_id": account.pk,
        "content": "Daily tip #socialhub",
        "scheduled_time": "2026-03-21T02:30:00",  # the owner's (and the account's) Berlin time
        "recurrence": "FREQ=DAILY;COUNT=10",
    }
    body.update(overrides)
    return api.post("/api/v1/posts", {k: v for k, v in body.items() if v is not ...}, format="json")


def test_create_with_recurrence_answers_the_first_post_and_makes_the_window(api, berlin_account):
    response = create(api, berlin_account)
    assert response.status_code == 201, response.json()
    body = response.json()
    series = PostSeries.objects.get()
    assert (body["series_id"], body["recurrence"]) == (series.pk, "FREQ=DAILY;COUNT=10")
    assert body["scheduled_time"] == "2026-03-21T02:30:00+01:00" and body["series_detached"] is False
    assert series.posts.count() == 10  # COUNT=10 all fall inside the 30-day window
    listed = api.get(f"/api/v1/posts/{body['id']}").json()
    assert listed["recurrence"] == "FREQ=DAILY;COUNT=10"
    one_off = create(api, berlin_account, recurrence=...).json()
    assert (one_off["series_id"], one_off["recurrence"]) == (None, None)


@pytest.mark.parametrize(
    ("overrides", "field", "problem"),
    [
        ({"recurrence": "FREQ=MINUTELY"}, "recurrence", "may repeat at most hourly"),
        ({"recurrence": "FREQ=SOMETIMES"}, "recurrence", "Not a valid RFC 5545 rule"),
        ({"recurrence": "FREQ=DAILY;COUNT=5000"}, "recurrence", "At most 1000 occurrences"),
        ({"recurrence": "x" * 501}, "recurrence", "no more than 500 characters"),
        ({"scheduled_time": None}, "scheduled_time", "needs a scheduled_time"),
        ({"content": "x" * 300}, "content", ""),
        ({"campaign_id": 999_999}, "campaign_id", "You have no campaign 999999."),
    ],
)
def test_invalid_series_are_refused_with_a_400_naming_the_problem(api, berlin_account, overrides, field, problem):
    response = create(api, berlin_account, **overrides)
    assert response.status_code == 400
    body = response.json()
    assert field in body["errors"] and problem in body["detail"]
    assert not Post.objects.exists() and not PostSeries.objects.exists()


def test_a_bulk_refuses_recurrence(api, berlin_account):
    item = {"social_account_id": berlin_account.pk, "content": "Hi", "recurrence": "FREQ=DAILY"}
    response = api.post("/api/v1/posts/bulk", {"posts": [item]}, format="json")
    assert response.status_code == 400 and "0" in response.json()["errors"]
    assert not Post.objects.exists()


def test_occurrences_list_utc_and_local_times_dst_notes_and_posts(api, berlin_account, django_assert_num_queries):
    first = create(api, berlin_account).json()
    response = api.get(f"/api/v1/posts/{first['id']}/occurrences?count=12")
    assert response.status_code == 200
    body = response.json()
    assert (body["series_id"], body["timezone"]) == (first["series_id"], "Europe/Berlin")
    rows = body["occurrences"]
    assert len(rows) == 10  # COUNT=10
    spring = next(row for row in rows if row["local_time"].startswith("2026-03-29"))
    assert (spring["local_time"], spring["scheduled_time"]) == ("2026-03-29T03:00:00+02:00", "2026-03-29T01:00:00Z")
    assert spring["note"] == "02:30 does not exist on 2026-03-29 (clocks go forward): moved to 03:00."
    assert all(row["state"] == "materialised" and row["post_id"] for row in rows)
    assert rows[0]["post_id"] == first["id"] and rows[0]["status"] == "scheduled"
    # The user, the membership, the post with its series (and its library items: the viewset's queryset), its posts.
    with django_assert_num_queries(5):
        api.get(f"/api/v1/posts/{first['id']}/occurrences?count=3")
    with django_assert_num_queries(5):
        api.get(f"/api/v1/posts/{first['id']}/occurrences?count=100")


def test_occurrences_beyond_the_window_are_planned(api, berlin_account):
    first = create(api, berlin_account, recurrence="FREQ=WEEKLY").json()
    rows = api.get(f"/api/v1/posts/{first['id']}/occurrences?count=8").json()["occurrences"]
    assert [row["state"] for row in rows] == ["materialised"] * 5 + ["planned"] * 3
    assert rows[-1]["post_id"] is None


def test_occurrences_of_a_one_off_post_are_empty_and_count_is_bounded(api, berlin_account):
    post = PostFactory(social_account=berlin_account)
    body = api.get(f"/api/v1/posts/{post.pk}/occurrences").json()
    assert body == {"series_id": None, "recurrence": None, "timezone": None, "ended_at": None, "occurrences": []}
    for bad in ("0", "101", "x"):
        assert api.get(f"/api/v1/posts/{post.pk}/occurrences?count={bad}").status_code == 400


def test_another_workspaces_series_is_a_404(api, outsider, berlin_account):
    first = create(api, berlin_account).json()
    other = client_for(outsider)
    assert other.get(f"/api/v1/posts/{first['id']}/occurrences").status_code == 404
    assert other.post(f"/api/v1/posts/{first['id']}/series/end").status_code == 404
    assert PostSeries.objects.get().ended_at is None


def test_patch_this_occurrence_detaches_it(api, berlin_account):
    first = create(api, berlin_account).json()
    response = api.patch(f"/api/v1/posts/{first['id']}", {"content": "Only today", "scope": "this"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["series_detached"] is True and response.json()["series_id"] == first["series_id"]
    assert Post.objects.filter(content="Daily tip #socialhub").count() == 9


def test_patch_following_splits_and_answers_the_new_series_first_post(api, berlin_account):
    create(api, berlin_account)
    fourth = Post.objects.order_by("scheduled_time")[3]
    body = {"content": "New tip", "scope": "following", "recurrence": "FREQ=DAILY;INTERVAL=2;COUNT=3"}
    response = api.patch(f"/api/v1/posts/{fourth.pk}", body, format="json")
    assert response.status_code == 200, response.json()
    new = response.json()
    assert new["id"] != fourth.pk and new["series_id"] != fourth.series_id and new["content"] == "New tip"
    assert new["recurrence"] == "FREQ=DAILY;INTERVAL=2;COUNT=3"
    assert Post.objects.filter(series_id=fourth.series_id).count() == 3
    assert Post.objects.filter(series_id=new["series_id"]).count() == 3


def test_patch_recurrence_needs_scope_following_and_a_one_off_has_no_following(api, berlin_account):
    first = create(api, berlin_account).json()
    response = api.patch(f"/api/v1/posts/{first['id']}", {"recurrence": "FREQ=WEEKLY"}, format="json")
    assert response.status_code == 400 and "scope=following" in response.json()["detail"]
    post = PostFactory(social_account=berlin_account)
    response = api.patch(f"/api/v1/posts/{post.pk}", {"scope": "following"}, format="json")
    assert response.status_code == 409 and "not part of a recurring series" in response.json()["detail"]
    assert api.patch(f"/api/v1/posts/{post.pk}", {"scope": "always"}, format="json").status_code == 400


def test_ending_a_series_deletes_its_future_posts(api, berlin_account):
    first = create(api, berlin_account).json()
    response = api.post(f"/api/v1/posts/{first['id']}/series/end")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["series_id"] == first["series_id"] and len(body["deleted"]) == 10
    assert not Post.objects.exists() and PostSeries.objects.get().ended_at == NOW
    post = PostFactory(social_account=berlin_account)
    assert api.post(f"/api/v1/posts/{post.pk}/series/end").status_code == 409
