"""Analytics never pretend, over real HTTP: a sync job that did nothing says so, and numbers exist only for
published posts."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from analytics.models import PostAnalytics
from analytics.tests.factories import PostAnalyticsFactory
from buffer_integration.backends import get_backend
from buffer_integration.backends.base import UpdateDraft
from buffer_integration.tests.factories import BufferConfigFactory
from conftest import Sandbox
from posts.tests.factories import PostFactory

TOKEN = "sandbox-honest-analytics"
COUNTS = {"views": 1000, "likes": 50, "shares": 10, "comments": 5}


def sent_post(owner, *, api: str):
    """A post Buffer has sent for `owner`, whose Buffer config is on `api`."""
    BufferConfigFactory(owner=owner, api=api, access_token=TOKEN)
    account = SocialAccountFactory(owner=owner, buffer_profile_id=Sandbox.profile_id(TOKEN, "twitter"))
    draft = UpdateDraft(profile_id=account.buffer_profile_id, text="Sent", now=True)
    update = get_backend(TOKEN, api=api).create_update(draft)
    return PostFactory(social_account=account, status="published", buffer_update_id=update.id)


def synced_job(live_api) -> dict:
    started = live_api.post("/analytics/sync")
    assert started.status_code == 202, started.text
    return live_api.get(f"/analytics/sync/{started.json()['job_id']}").json()


def test_analytics_appear_for_published_posts_on_a_graphql_config(live_api, owner, sandbox):
    post = sent_post(owner, api="graphql")
    job = synced_job(live_api)
    assert (job["status"], job["error"]) == ("succeeded", "")
    assert (job["posts_checked"], job["snapshots_created"], job["posts_failed"]) == (1, 1, 0)
    snapshot = PostAnalytics.objects.get(post=post)
    assert snapshot.source == "buffer" and snapshot.views > 0  # from Buffer's Post.metrics


def test_a_v1_config_sync_still_succeeds(live_api, owner, sandbox):
    sent_post(owner, api="v1")
    job = synced_job(live_api)
    assert (job["status"], job["error"], job["snapshots_created"]) == ("succeeded", "", 1)


def test_buffer_down_after_some_numbers_were_read_is_partial(live_api, owner, sandbox, monkeypatch):
    from buffer_integration.backends.v1 import V1Backend

    first = sent_post(owner, api="v1")
    second = PostFactory(social_account=first.social_account, status="published", buffer_update_id="a" * 24)
    real_get_update = V1Backend.get_update

    def buffer_goes_down_after_the_first(self, update_id):
        if update_id == second.buffer_update_id:
            sandbox.faults(down=True)
        return real_get_update(self, update_id)

    monkeypatch.setattr(V1Backend, "get_update", buffer_goes_down_after_the_first)
    job = synced_job(live_api)
    assert (job["status"], job["snapshots_created"]) == ("partial", 1)
    assert job["error"].startswith("Buffer is unavailable")


def test_the_post_page_says_buffer_refreshes_graphql_statistics_daily(web, owner, sandbox):
    post = sent_post(owner, api="graphql")
    html = web.get(f"/posts/{post.pk}/").content.decode()
    assert "refreshed daily by Buffer" in html


class TestOnlyPublishedPostsHaveAnalytics:
    @pytest.fixture
    def account(self, owner):
        return SocialAccountFactory(owner=owner)

    @pytest.mark.parametrize("status", ["draft", "scheduled", "failed", "cancelled"])
    def test_recording_for_an_unpublished_post_is_400(self, live_api, account, status):
        post = PostFactory(social_account=account, status=status)
        response = live_api.post("/analytics", {"post_id": post.pk, **COUNTS})
        assert response.status_code == 400
        assert response.json()["errors"]["post_id"] == [
            f"Analytics are recorded for published posts only; post {post.pk} is {status}."
        ]
        assert not PostAnalytics.objects.exists()

    def test_moving_a_snapshot_to_an_unpublished_post_is_400(self, live_api, account):
        snapshot = PostAnalyticsFactory(post=PostFactory(social_account=account, status="published"))
        draft = PostFactory(social_account=account, status="draft")
        response = live_api.put(f"/analytics/{snapshot.pk}", {"post_id": draft.pk, **COUNTS})
        assert response.status_code == 400 and "post_id" in response.json()["errors"]
        snapshot.refresh_from_db()
        assert snapshot.post_id != draft.pk

    def test_a_published_post_takes_them(self, live_api, account):
        post = PostFactory(social_account=account, status="published")
        response = live_api.post("/analytics", {"post_id": post.pk, **COUNTS})
        assert response.status_code == 201 and response.json()["engagement_rate"] == 6.5
