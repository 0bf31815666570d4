"""The queue's API: add to queue, the account's queue, shuffle, move to top, bulk with "queue": true."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.models import Role
from accounts.tests.factories import MembershipFactory, SocialAccountFactory
from conftest import client_for
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory
from posts.tests.queue_helpers import account_with_slots, draft

NOW = dt.datetime(2027, 3, 26, 12, 0, tzinfo=dt.UTC)  # a Friday; Berlin springs forward on Sunday the 28th
WEEKEND = {"sat": ["09:00"], "sun": ["02:30", "09:00"], "mon": ["09:00"]}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def account(owner):
    return account_with_slots(owner=owner, days=WEEKEND, tz="Europe/Berlin")


def _instant(value: str) -> str:
    """A response's time (in the caller's timezone) as the UTC instant it names."""
    return dt.datetime.fromisoformat(value).astimezone(dt.UTC).isoformat().replace("+00:00", "Z")


def test_add_to_queue_and_list_the_queue_in_utc_and_local_time(api, account):
    first, second = draft(account), draft(account)
    response = api.post(f"/api/v1/posts/{first.pk}/queue")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "scheduled" and response.json()["queued"] is True
    api.post(f"/api/v1/posts/{second.pk}/queue")
    queue = api.get(f"/api/v1/social-accounts/{account.pk}/queue?count=4").json()
    assert queue["timezone"] == "Europe/Berlin"
    assert [(s["scheduled_time"], s["local_time"]) for s in queue["slots"]] == [
        ("2027-03-27T08:00:00Z", "2027-03-27T09:00:00+01:00"),
        ("2027-03-28T01:00:00Z", "2027-03-28T03:00:00+02:00"),  # 02:30 does not exist that night
        ("2027-03-28T07:00:00Z", "2027-03-28T09:00:00+02:00"),
        ("2027-03-29T07:00:00Z", "2027-03-29T09:00:00+02:00"),
    ]
    assert [s["post"]["id"] if s["post"] else None for s in queue["slots"]] == [first.pk, second.pk, None, None]


def test_queue_count_is_validated(api, account):
    for bad in ("0", "101", "x"):
        response = api.get(f"/api/v1/social-accounts/{account.pk}/queue?count={bad}")
        assert response.status_code == 400 and "count" in response.json()["errors"]


def test_an_account_without_slots_is_a_400_naming_the_schedule(api, owner):
    post = draft(SocialAccountFactory(owner=owner))
    response = api.post(f"/api/v1/posts/{post.pk}/queue")
    assert response.status_code == 400
    assert "no time slots" in response.json()["detail"] and "schedule" in response.json()["errors"]
    assert Post.objects.get(pk=post.pk).status == PostStatus.DRAFT


def test_shuffle_and_move_to_top(api, account):
    posts = [draft(account) for _ in range(3)]
    for post in posts:
        api.post(f"/api/v1/posts/{post.pk}/queue")
    top = api.post(f"/api/v1/posts/{posts[2].pk}/queue/top")
    assert top.status_code == 200 and _instant(top.json()["scheduled_time"]) == "2027-03-27T08:00:00Z"
    order = [s["post"]["id"] for s in api.get(f"/api/v1/social-accounts/{account.pk}/queue?count=3").json()["slots"]]
    assert order == [posts[2].pk, posts[0].pk, posts[1].pk]
    shuffled = api.post(f"/api/v1/social-accounts/{account.pk}/queue/shuffle")
    assert shuffled.status_code == 200 and shuffled.json()["count"] == 3
    assert sorted(p["id"] for p in shuffled.json()["posts"]) == sorted(p.pk for p in posts)
    not_queued = PostFactory(social_account=account)
    assert api.post(f"/api/v1/posts/{not_queued.pk}/queue/top").status_code == 409


def test_bulk_with_queue(api, account):
    body = {"posts": [{"social_account_id": account.pk, "content": f"Queued {n}", "queue": True} for n in range(2)]}
    response = api.post("/api/v1/posts/bulk", body, format="json")
    assert response.status_code == 201, response.json()
    assert [p["queued"] for p in response.json()["posts"]] == [True, True]
    times = [_instant(p["scheduled_time"]) for p in response.json()["posts"]]
    assert times == ["2027-03-27T08:00:00Z", "2027-03-28T01:00:00Z"]
    item = {"social_account_id": account.pk, "content": "x", "queue": True, "scheduled_time": "2027-04-01T10:00:00Z"}
    both = {"posts": [item]}
    refused = api.post("/api/v1/posts/bulk", both, format="json")
    assert refused.status_code == 400 and "queue" in refused.json()["errors"]["0"]


def test_another_workspaces_account_and_post_are_404(outsider_api, account):
    post = draft(account)
    assert outsider_api.post(f"/api/v1/posts/{post.pk}/queue").json() == {"detail": "Not found."}
    assert outsider_api.get(f"/api/v1/social-accounts/{account.pk}/queue").status_code == 404
    assert outsider_api.post(f"/api/v1/social-accounts/{account.pk}/queue/shuffle").status_code == 404
    assert outsider_api.post(f"/api/v1/posts/{post.pk}/queue/top").status_code == 404
    assert Post.objects.get(pk=post.pk).status == PostStatus.DRAFT


def test_a_viewer_reads_the_queue_but_may_not_change_it(account):
    viewer = MembershipFactory(workspace=account.workspace, role=Role.VIEWER).user
    client, header = client_for(viewer), {"HTTP_X_WORKSPACE": str(account.workspace_id)}
    assert client.get(f"/api/v1/social-accounts/{account.pk}/queue", **header).status_code == 200
    refused = client.post(f"/api/v1/posts/{draft(account).pk}/queue", **header)
    assert refused.status_code == 403 and "contributor" in refused.json()["detail"]
    assert client.post(f"/api/v1/social-accounts/{account.pk}/queue/shuffle", **header).status_code == 403
