"""POST /analytics/sync and GET /analytics/sync/{job_id}, against the Buffer sandbox over HTTP.

Celery runs eagerly in tests, but the task is enqueued with `transaction.on_commit`, which the
test transaction never reaches: requests that start a sync run inside
`django_capture_on_commit_callbacks(execute=True)`, which runs the task when the block ends.
"""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from analytics import services
from analytics.buffer_metrics import metrics_from_buffer_statistics
from analytics.models import AnalyticsSyncJob, PostAnalytics
from buffer_integration.backends import get_backend
from buffer_integration.backends.base import UpdateDraft
from buffer_integration.models import BufferConfig
from buffer_integration.tests.factories import BufferConfigFactory
from conftest import Sandbox
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

TOKEN = "sync-owner-token"


def _account(owner, service="twitter", token=TOKEN):
    """An account on `token`'s sandbox profile; `token` becomes its owner's (v1) Buffer config if none is active."""
    if not BufferConfig.objects.in_workspace(workspace_personal_for(owner)).active().exists():
        BufferConfigFactory(owner=owner, access_token=token)
    return SocialAccountFactory(owner=owner, platform=service, buffer_profile_id=Sandbox.profile_id(token, service))


def _sent_post(account, token=TOKEN, now=True):
    """A post Buffer has sent (its statistics are deterministic in the sandbox)."""
    update = get_backend(token).create_update(UpdateDraft(profile_id=account.buffer_profile_id, text="Hi", now=now))
    return PostFactory(social_account=account, status="published", buffer_update_id=update.id)


def _sync(api, django_capture_on_commit_callbacks) -> dict:
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/analytics/sync")
    assert response.status_code == 202
    job_id = response.json()["job_id"]
    assert response["Location"].endswith(f"/api/v1/analytics/sync/{job_id}")
    job = api.get(f"/api/v1/analytics/sync/{job_id}")
    assert job.status_code == 200
    return job.json()


def test_sync_writes_a_buffer_snapshot_per_sent_post(api, owner, sandbox, django_capture_on_commit_callbacks):
    tweet = _sent_post(_account(owner, "twitter"))
    page_post = _sent_post(_account(owner, "facebook"))
    PostFactory(social_account=tweet.social_account, status="scheduled")  # not sent: not asked
    PostFactory(social_account=tweet.social_account, status="published")  # not through Buffer

    job = _sync(api, django_capture_on_commit_callbacks)

    assert job["status"] == "succeeded" and job["error"] == ""
    assert (job["posts_checked"], job["snapshots_created"], job["posts_failed"]) == (2, 2, 0)
    assert job["started_at"] and job["finished_at"]
    for post in (tweet, page_post):
        snapshot = PostAnalytics.objects.get(post=post)
        statistics = get_backend(TOKEN).get_update(post.buffer_update_id).statistics
        expected = metrics_from_buffer_statistics(statistics)
        assert snapshot.source == "buffer"
        assert (snapshot.views, snapshot.likes, snapshot.shares, snapshot.comments, snapshot.clicks) == (
            expected.views,
            expected.likes,
            expected.shares,
            expected.comments,
            expected.clicks,
        )
        assert snapshot.views > 0


def test_unchanged_numbers_write_nothing_changed_ones_do(api, owner, sandbox, django_capture_on_commit_callbacks):
    post = _sent_post(_account(owner))
    assert _sync(api, django_capture_on_commit_callbacks)["snapshots_created"] == 1

    again = _sync(api, django_capture_on_commit_callbacks)
    assert (again["status"], again["posts_checked"], again["snapshots_created"]) == ("succeeded", 1, 0)
    assert PostAnalytics.objects.filter(post=post).count() == 1

    # Someone recorded other numbers since: Buffer's now differ from the latest snapshot.
    api.post("/api/v1/analytics", {"post_id": post.pk, "views": 1, "likes": 0, "shares": 0, "comments": 0})
    assert _sync(api, django_capture_on_commit_callbacks)["snapshots_created"] == 1
    assert PostAnalytics.objects.filter(post=post, source="buffer").count() == 2


def test_buffer_down_fails_the_job_naming_buffer(api, owner, sandbox, django_capture_on_commit_callbacks):
    _sent_post(_account(owner))
    sandbox.faults(down=True)
    job = _sync(api, django_capture_on_commit_callbacks)
    assert job["status"] == "failed"
    assert "Buffer" in job["error"]
    assert not PostAnalytics.objects.exists()


def test_an_unknown_update_counts_as_failed_and_the_job_as_partial(
    api, owner, sandbox, django_capture_on_commit_callbacks
):
    good = _sent_post(_account(owner))
    for update_id in ("e" * 24, "f" * 24):
        PostFactory(social_account=good.social_account, status="published", buffer_update_id=update_id)

    job = _sync(api, django_capture_on_commit_callbacks)

    assert job["status"] == "partial"
    assert (job["posts_checked"], job["snapshots_created"], job["posts_failed"]) == (3, 1, 2)
    assert job["error"].startswith("2 of 3 posts could not be synced. Buffer could not return an update")
    assert list(PostAnalytics.objects.values_list("post_id", flat=True)) == [good.pk]


def test_a_refused_token_fails_every_post_of_the_user(api, owner, sandbox, django_capture_on_commit_callbacks):
    BufferConfigFactory(owner=owner, access_token="invalid-token")
    tweets, pins = _account(owner, "twitter"), _account(owner, "pinterest")
    for account, update_id in ((tweets, "a" * 24), (pins, "b" * 24), (pins, "c" * 24)):
        PostFactory(social_account=account, status="published", buffer_update_id=update_id)

    job = _sync(api, django_capture_on_commit_callbacks)

    assert job["status"] == "failed"
    assert (job["posts_checked"], job["snapshots_created"], job["posts_failed"]) == (3, 0, 3)
    assert job["error"].startswith("No post could be synced. Buffer rejected the access token")


def test_without_a_buffer_config_the_job_fails_saying_so(api, owner, sandbox, django_capture_on_commit_callbacks):
    account = SocialAccountFactory(owner=owner, buffer_profile_id="a" * 24, access_token="network-token")
    PostFactory(social_account=account, status="published", buffer_update_id="d" * 24)
    job = _sync(api, django_capture_on_commit_callbacks)
    assert (job["status"], job["posts_failed"]) == ("failed", 1)
    assert "Configure Buffer first" in job["error"]


def test_update_not_yet_sent_is_checked_without_snapshot(api, owner, sandbox, django_capture_on_commit_callbacks):
    _sent_post(_account(owner), now=False)
    job = _sync(api, django_capture_on_commit_callbacks)
    assert (job["status"], job["posts_checked"], job["snapshots_created"]) == ("succeeded", 1, 0)


def test_other_users_posts_are_untouched(api, owner, outsider, sandbox, django_capture_on_commit_callbacks):
    _sent_post(_account(owner))
    foreign = _sent_post(_account(outsider, token="outsider-token"), token="outsider-token")
    job = _sync(api, django_capture_on_commit_callbacks)
    assert job["posts_checked"] == 1
    assert not PostAnalytics.objects.filter(post=foreign).exists()


def test_the_task_is_enqueued_only_on_commit(api, owner, sandbox, django_capture_on_commit_callbacks):
    _sent_post(_account(owner))
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post("/api/v1/analytics/sync")
    assert response.json()["status"] == "pending" and len(callbacks) == 1
    assert AnalyticsSyncJob.objects.get().status == "pending"
    callbacks[0]()
    assert AnalyticsSyncJob.objects.get().status == "succeeded"


def test_a_sync_in_progress_is_returned_instead_of_a_second(api, owner, django_capture_on_commit_callbacks):
    running = AnalyticsSyncJob.objects.create(workspace=workspace_personal_for(owner), owner=owner, status="running")
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post("/api/v1/analytics/sync")
    assert response.status_code == 202 and response.json() == {"job_id": running.pk, "status": "running"}
    assert callbacks == [] and AnalyticsSyncJob.objects.count() == 1


def test_other_users_and_unknown_jobs_are_404(api, outsider):
    job = AnalyticsSyncJob.objects.create(workspace=workspace_personal_for(outsider), owner=outsider)
    for job_id in (job.pk, job.pk + 100):
        response = api.get(f"/api/v1/analytics/sync/{job_id}")
        assert response.status_code == 404 and response.json() == {"detail": "Not found."}
    assert api.get("/api/v1/analytics/sync").status_code == 405


class TestRunService:
    def test_a_job_runs_once(self, owner, sandbox):
        job = AnalyticsSyncJob.objects.create(workspace=workspace_personal_for(owner), owner=owner)
        assert services.analytics_sync_run(job_id=job.pk).status == "succeeded"
        assert services.analytics_sync_run(job_id=job.pk) is None
        assert services.analytics_sync_run(job_id=job.pk + 100) is None

    def test_an_abandoned_running_job_is_reclaimed(self, owner, sandbox, settings):
        import datetime as dt

        from django.utils import timezone

        started = timezone.now() - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
        job = AnalyticsSyncJob.objects.create(
            workspace=workspace_personal_for(owner), owner=owner, status="running", started_at=started
        )
        assert services.analytics_sync_run(job_id=job.pk).status == "succeeded"
        fresh = AnalyticsSyncJob.objects.create(
            workspace=workspace_personal_for(owner), owner=owner, status="running", started_at=timezone.now()
        )
        assert services.analytics_sync_run(job_id=fresh.pk) is None

    def test_an_unexpected_error_fails_the_job_and_propagates(self, owner, sandbox, monkeypatch):
        _sent_post(_account(owner))
        job = AnalyticsSyncJob.objects.create(workspace=workspace_personal_for(owner), owner=owner)

        def explode(**kwargs):
            raise RuntimeError("bug")

        monkeypatch.setattr(services, "backend_for_account", explode)
        with pytest.raises(RuntimeError):
            services.analytics_sync_run(job_id=job.pk)
        job.refresh_from_db()
        assert job.status == "failed" and job.error and job.finished_at

    def test_sync_all_workspaces_starts_one_job_per_workspace_with_sent_posts(
        self, owner, outsider, sandbox, django_capture_on_commit_callbacks
    ):
        _sent_post(_account(owner))
        PostFactory(social_account=_account(outsider), status="scheduled")
        with django_capture_on_commit_callbacks(execute=True):
            job_ids = services.analytics_sync_all_workspaces()
        jobs = [AnalyticsSyncJob.objects.get(pk=pk) for pk in job_ids]
        assert [(job.workspace, job.owner) for job in jobs] == [
            (workspace_personal_for(owner), None)
        ]  # the periodic run
        assert AnalyticsSyncJob.objects.get().status == "succeeded"


def test_graphql_config_syncs_post_metrics(api, owner, sandbox, django_capture_on_commit_callbacks):
    BufferConfigFactory(owner=owner, api="graphql", access_token=TOKEN)
    post = _sent_post(_account(owner))

    job = _sync(api, django_capture_on_commit_callbacks)

    assert (job["status"], job["posts_checked"], job["snapshots_created"], job["posts_failed"]) == (
        "succeeded",
        1,
        1,
        0,
    )
    statistics = get_backend(TOKEN, api="graphql").get_update(post.buffer_update_id).statistics
    snapshot = PostAnalytics.objects.get(post=post)
    assert snapshot.views == metrics_from_buffer_statistics(statistics).views > 0


def test_a_sync_out_of_budget_waits_for_the_key_and_keeps_what_it_read(
    api, owner, sandbox, settings, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from buffer_integration.budget import KeyBudget

    account = _account(owner)
    backend = get_backend(TOKEN)
    posts = [
        PostFactory(
            social_account=account,
            status="published",
            buffer_update_id=backend.create_update(
                UpdateDraft(profile_id=account.buffer_profile_id, text=f"Post {i}", now=True)
            ).id,
        )
        for i in range(3)
    ]
    cache.clear()  # the posts' creation is not what this test counts
    settings.BUFFER_RATE_LIMIT_PER_MINUTE = 4  # analytics leaves half to publishing: 2 requests
    job = _sync(api, django_capture_on_commit_callbacks)

    assert job["status"] == "pending" and job["retry_at"] is not None
    assert job["error"].startswith("Waiting for the Buffer key's request budget")
    assert job["snapshots_created"] == 2 and PostAnalytics.objects.filter(post__in=posts).count() == 2
    assert KeyBudget(TOKEN, api="v1").usage()[0].used == 2  # the third request was never sent
    # The task queued for retry_at ran at once (eager) and left the job alone: it is not due yet.
    assert AnalyticsSyncJob.objects.get(pk=job["job_id"]).status == "pending"
    # Asking again returns the deferred job rather than starting one that would be refused too.
    with django_capture_on_commit_callbacks(execute=True):
        again = api.post("/api/v1/analytics/sync")
    assert again.json()["job_id"] == job["job_id"]
