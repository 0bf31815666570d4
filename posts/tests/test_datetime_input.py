"""Date-times in the posts API and its filters: one reading, every malformed or impossible value a 400.

The owner lives in Europe/Berlin: on 2026-03-29 clocks jump from 02:00 to 03:00, on 2026-10-25 they
go back from 03:00 to 02:00.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from posts.models import Post
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def create(api, account, scheduled_time):
    body = {"social_account_id": account.pk, "content": "Hello", "scheduled_time": scheduled_time}
    return api.post("/api/v1/posts", body, format="json")


def assert_refused(response, message_part: str, field: str = "scheduled_time"):
    assert response.status_code == 400, response.content
    body = response.json()
    assert message_part in body["errors"][field][0], body
    assert body["detail"].startswith(f"{field}: ")


@pytest.mark.parametrize(
    "value, message",
    [
        ("2026-03-29T02:30:00", "does not exist in Europe/Berlin"),
        ("2026-03-29T02:00", "does not exist in Europe/Berlin"),
        ("2026-03-01", "A date alone is not a point in time"),
        ("2027-02-30T10:00:00", "2027-02-30 is not a day of the calendar"),
        ("2026-06-01T10:00:00+16:00", "between -15:59 and +15:59"),
        ("2026-06-01T10:00:00-23:59", "between -15:59 and +15:59"),
        ("9999-12-31T23:59:59-12:00", "Must be between 1900-01-01 and 2999-12-31"),
        ("tomorrow", "ISO 8601"),
    ],
)
def test_impossible_times_are_refused_with_a_reason(api, account, value, message):
    assert_refused(create(api, account, value), message)
    assert not Post.objects.exists()


def test_a_time_beyond_the_scheduling_horizon_is_refused(api, account, settings):
    settings.SCHEDULE_HORIZON_DAYS = 30
    assert create(api, account, "2025-12-31T12:00:00Z").status_code == 201
    assert_refused(create(api, account, "2025-12-31T12:00:01Z"), "at most 30 days ahead")


def test_the_default_horizon_is_five_years(api, account):
    assert create(api, account, "2030-11-30T12:00:00Z").status_code == 201
    assert_refused(create(api, account, "2030-12-02T12:00:00Z"), "at most 1826 days ahead")


def test_an_ambiguous_local_time_is_its_first_occurrence(api, account):
    """02:30 on 2026-10-25 happens twice in Berlin: the first time, still on summer time (+02:00)."""
    response = create(api, account, "2026-10-25T02:30:00")
    assert response.status_code == 201
    assert response.json()["scheduled_time"] == "2026-10-25T02:30:00+02:00"
    assert Post.objects.get().scheduled_time == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    # The second occurrence is reachable with its offset.
    later = create(api, account, "2026-10-25T02:30:00+01:00").json()["scheduled_time"]
    assert later == "2026-10-25T02:30:00+01:00"


def test_an_offset_is_respected_even_inside_a_local_gap(api, account):
    response = create(api, account, "2026-03-29T02:30:00+01:00")
    assert response.status_code == 201
    assert response.json()["scheduled_time"] == "2026-03-29T03:30:00+02:00"


def test_reschedule_and_bulk_read_times_the_same_way(api, account):
    post = PostFactory(social_account=account)
    response = api.post(f"/api/v1/posts/{post.pk}/reschedule", {"scheduled_time": "2026-03-29"}, format="json")
    assert_refused(response, "A date alone")
    response = api.post(
        f"/api/v1/posts/{post.pk}/reschedule", {"scheduled_time": "2099-01-01T10:00:00Z"}, format="json"
    )
    assert_refused(response, "days ahead")
    bulk = {"posts": [{"social_account_id": account.pk, "content": "x", "scheduled_time": "2026-03-29T02:15"}]}
    response = api.post("/api/v1/posts/bulk", bulk, format="json")
    assert response.status_code == 400
    assert "does not exist" in response.json()["errors"]["0"]["scheduled_time"][0]


@pytest.mark.parametrize("field", ["social_account_id", "campaign_id"])
def test_ids_beyond_bigint_are_400_not_500(api, account, field):
    body = {"social_account_id": account.pk, "content": "x", field: 2**64}
    response = api.post("/api/v1/posts", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
