"""POST /posts/bulk (seed endpoint 14): up to 1,000 posts, all or nothing, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
import math

import pytest
import time_machine
from django.db import connection

from accounts.models import AuditEvent
from accounts.tests.factories import SocialAccountFactory
from campaigns.tests.factories import CampaignFactory
from posts.models import Post

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2025, 12, 1, 12, 0, tzinfo=dt.UTC)
BULK = "/api/v1/posts/bulk"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def items(account, count, **extra):
    start = dt.datetime(2025, 12, 2, 8, 0)
    return [
        {
            "social_account_id": account.pk,
            "content": f"Post {n}",
            "scheduled_time": (start + dt.timedelta(minutes=n)).isoformat(),
            **extra,
        }
        for n in range(count)
    ]


def insert_queries(count: int) -> int:
    """INSERT statements the backend needs for `count` posts (1 on PostgreSQL; SQLite caps variables)."""
    fields = [f for f in Post._meta.concrete_fields if not f.primary_key]
    return math.ceil(count / connection.ops.bulk_batch_size(fields, [Post()] * count))


def audit_insert_queries(count: int) -> int:
    """INSERT statements of the posts' audit events (`accounts.audit.record_created`: one bulk insert)."""
    fields = [f for f in AuditEvent._meta.concrete_fields if not f.primary_key]
    return math.ceil(count / connection.ops.bulk_batch_size(fields, [AuditEvent()] * count))


def test_seed_example(api, account):
    body = {"posts": [{"social_account_id": account.pk, "content": "Post 1", "scheduled_time": "2025-12-25T10:00:00"}]}
    response = api.post(BULK, body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["count"] == 1
    created = response.json()["posts"][0]
    assert created["status"] == "scheduled" and created["scheduled_time"] == "2025-12-25T10:00:00+01:00"
    assert created["id"] == Post.objects.get().pk


def test_thousand_posts_in_a_handful_of_queries(api, account, campaign, django_assert_max_num_queries):
    payload = {"posts": items(account, 1000, campaign_id=campaign.pk)}
    # user (JWT) + accounts + campaigns + the Buffer config and the days' posts (day capacity)
    # + savepoint/release + the INSERTs, of the posts and of their audit events + the caller's membership
    # (does the role need approval?)
    with django_assert_max_num_queries(8 + insert_queries(1000) + audit_insert_queries(1000)):
        response = api.post(BULK, payload, format="json")
    assert response.status_code == 201
    assert response.json()["count"] == 1000 and len(response.json()["posts"]) == 1000
    assert Post.objects.filter(owner=account.owner, campaign=campaign, status="scheduled").count() == 1000
    assert len({post["id"] for post in response.json()["posts"]}) == 1000


def test_many_accounts_and_campaigns_cost_no_extra_queries(api, owner, django_assert_max_num_queries):
    payload = []
    for _ in range(20):
        account = SocialAccountFactory(owner=owner)
        payload += items(account, 5, campaign_id=CampaignFactory(owner=owner).pk)
    with django_assert_max_num_queries(8 + insert_queries(100) + audit_insert_queries(100)):  # as above
        assert api.post(BULK, {"posts": payload}, format="json").status_code == 201


def test_invalid_items_are_reported_by_index_and_nothing_is_written(api, account, outsider):
    payload = items(account, 1000)
    payload[3]["content"] = "x" * 281
    payload[998]["social_account_id"] = SocialAccountFactory(owner=outsider).pk
    payload[999]["scheduled_time"] = "2025-11-30T10:00:00"
    response = api.post(BULK, {"posts": payload}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"3", "998", "999"}
    assert list(errors["3"]) == ["content"]
    assert list(errors["998"]) == ["social_account_id"] and list(errors["999"]) == ["scheduled_time"]
    assert response.json()["detail"].startswith("Nothing was created (3 invalid item(s)); item 3.content: Too long")
    assert Post.objects.count() == 0


def test_shape_errors_are_reported_by_index(api, account):
    payload = items(account, 3)
    del payload[1]["content"]
    payload[2]["media_urls"] = "not a list"
    response = api.post(BULK, {"posts": payload}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {
        "1": {"content": ["This field is required."]},
        "2": {"media_urls": ['Expected a list of items but got type "str".']},
    }
    assert response.json()["detail"] == "Nothing was created; item 1.content: This field is required."
    assert Post.objects.count() == 0


@pytest.mark.parametrize(
    "body",
    [{}, {"posts": []}, {"posts": "many"}, {"posts": [{"content": "x"}] * 1001}],
    ids=["missing", "empty", "not-a-list", "too-many"],
)
def test_bad_envelope_is_400(api, body):
    response = api.post(BULK, body, format="json")
    assert response.status_code == 400
    assert "posts" in response.json()["errors"]
    assert response.json()["detail"].startswith("Nothing was created: posts")


def test_draft_items_and_campaign_rules(api, owner, account):
    done = CampaignFactory(owner=owner, status="completed")
    payload = [
        {"social_account_id": account.pk, "content": "idea"},
        {"social_account_id": account.pk, "content": "in done", "campaign_id": done.pk},
    ]
    response = api.post(BULK, {"posts": payload}, format="json")
    assert response.json()["errors"] == {
        "1": {"campaign_id": [f"Campaign '{done.name}' is completed: it takes no more posts."]}
    }
    response = api.post(BULK, {"posts": payload[:1]}, format="json")
    assert response.json()["posts"][0]["status"] == "draft"
