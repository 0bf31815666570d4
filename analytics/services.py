"""Writes on analytics snapshots, and the sync that reads post statistics from Buffer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby
from operator import attrgetter
from typing import Any, TypedDict, Unpack

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User, Workspace
from analytics.buffer_metrics import metrics_from_buffer_statistics
from analytics.engagement import engagement_rate, is_consistent
from analytics.models import AnalyticsSource, AnalyticsSyncJob, PostAnalytics, SyncJobStatus
from analytics.selectors import analytics_latest_snapshots, analytics_sync_job_in_progress
from buffer_integration.backends import ensure_supported
from buffer_integration.budget import Priority
from buffer_integration.exceptions import (
    BufferAuthError,
    BufferBudgetExhausted,
    BufferError,
    BufferUnavailable,
    BufferUnsupported,
)
from buffer_integration.services import active_buffer_config, backend_for_account, backend_for_config
from kernel.errors import InvalidInput
from kernel.periodic import run_isolated
from posts.models import Post, PostStatus

# Clock skew we tolerate; a snapshot further in the future would shadow every real one as "latest".
FUTURE_TOLERANCE = dt.timedelta(minutes=5)
# A job still pending/running after this long was lost (broker or worker died): start a new one instead.
SYNC_STALE_AFTER = dt.timedelta(minutes=10)
SYNC_ALL_LOOP = "analytics.sync_all_workspaces"
_METRIC_FIELDS = ("views", "likes", "shares", "comments", "clicks")


class AnalyticsChanges(TypedDict, total=False):
    """What `analytics_update` may change; a key left out keeps the snapshot's value."""

    post: Post
    views: int
    likes: int
    shares: int
    comments: int
    clicks: int | None
    engagement_rate: float | Decimal | None
    source: str
    recorded_at: dt.datetime


_EDITABLE_FIELDS = AnalyticsChanges.__optional_keys__


def _checked_rate(*, views: int, likes: int, shares: int, comments: int, given: float | Decimal | None) -> Decimal:
    computed = engagement_rate(views=views, likes=likes, shares=shares, comments=comments)
    if given is not None and not is_consistent(Decimal(str(given)), computed):
        message = (
            f"engagement_rate {given} does not match the counts: "
            f"(likes + shares + comments) / views x 100 = {computed}."
        )
        raise InvalidInput(message, errors={"engagement_rate": [message]})
    return computed


def _check_recorded_at(recorded_at: dt.datetime) -> None:
    if recorded_at > timezone.now() + FUTURE_TOLERANCE:
        message = "recorded_at cannot be in the future."
        raise InvalidInput(message, errors={"recorded_at": [message]})


def _check_published(post: Post) -> None:
    """Numbers exist only for what went out: a draft's or a scheduled post's would be invented."""
    if post.status != PostStatus.PUBLISHED:
        message = f"Analytics are recorded for published posts only; post {post.pk} is {post.status}."
        raise InvalidInput(message, errors={"post_id": [message]})


def analytics_record(
    *,
    post: Post,
    views: int,
    likes: int,
    shares: int,
    comments: int,
    clicks: int | None = None,
    engagement_rate: float | Decimal | None = None,
    source: str = AnalyticsSource.MANUAL,
    recorded_at: dt.datetime | None = None,
) -> PostAnalytics:
    _check_published(post)
    recorded_at = recorded_at or timezone.now()
    _check_recorded_at(recorded_at)
    rate = _checked_rate(views=views, likes=likes, shares=shares, comments=comments, given=engagement_rate)
    return PostAnalytics.objects.create(
        post=post,
        views=views,
        likes=likes,
        shares=shares,
        comments=comments,
        clicks=clicks,
        engagement_rate=rate,
        source=source,
        recorded_at=recorded_at,
    )


def analytics_update(*, snapshot: PostAnalytics, **fields: Unpack[AnalyticsChanges]) -> PostAnalytics:
    """The rate is always recomputed from the resulting counts; a given one must agree with them."""
    unknown = set(fields) - _EDITABLE_FIELDS
    if unknown:
        raise InvalidInput(f"These fields cannot be changed: {', '.join(sorted(unknown))}.")
    given_rate = fields.pop("engagement_rate", None)
    for name, value in fields.items():
        setattr(snapshot, name, value)
    if "post" in fields:
        _check_published(snapshot.post)
    if "recorded_at" in fields:
        _check_recorded_at(snapshot.recorded_at)
    snapshot.engagement_rate = _checked_rate(
        views=snapshot.views,
        likes=snapshot.likes,
        shares=snapshot.shares,
        comments=snapshot.comments,
        given=given_rate,
    )
    snapshot.save()
    return snapshot


def analytics_delete(*, snapshot: PostAnalytics) -> None:
    snapshot.delete()


def analytics_sync_start(*, workspace: Workspace, actor: User | None) -> AnalyticsSyncJob:
    """Queue a sync of the workspace's statistics from Buffer; the task runs once the job row is committed.

    `actor` is who asked (None: the periodic sync).

    A job already in progress is returned instead of queueing a second one reading the same numbers.
    """
    from analytics.tasks import sync_analytics_job

    current = analytics_sync_job_in_progress(workspace=workspace)
    # A job deferred for the Buffer key's budget is alive until a while after its retry_at.
    if current is not None:
        alive_since = max(current.created_at, current.retry_at or current.created_at)
        if alive_since > timezone.now() - SYNC_STALE_AFTER:
            return current
    job = AnalyticsSyncJob.objects.create(workspace=workspace, owner=actor)
    transaction.on_commit(lambda: sync_analytics_job.delay(job.id))
    return job


def analytics_sync_all_workspaces() -> list[int]:
    """Start a sync for every workspace with posts Buffer has sent; the ids of their jobs.

    Meant for a periodic task. Each workspace gets its own transaction so each job is enqueued on its commit.
    """
    job_ids: list[int] = []
    workspaces = Workspace.objects.filter(pk__in=_posts_buffer_sent().values("workspace_id")).order_by("pk")
    # One workspace's failure is logged and counted for /health; the others still get their job.
    run_isolated(
        workspaces,
        lambda workspace: job_ids.append(analytics_sync_start(workspace=workspace, actor=None).pk),
        name=SYNC_ALL_LOOP,
    )
    return job_ids


def _posts_buffer_sent() -> models.QuerySet[Post]:
    """Posts Buffer published for us: the only ones Buffer has statistics for."""
    return Post.objects.filter(status=PostStatus.PUBLISHED).exclude(buffer_update_id="")


@dataclass
class _SyncCounts:
    checked: int = 0
    created: int = 0
    failed: int = 0
    unsupported: str = ""  # the config's Buffer API has no statistics at all: nothing could be asked
    reasons: list[str] = field(default_factory=list)  # why posts could not be synced, each reason once

    def fail(self, posts: int, reason: str) -> None:
        self.failed += posts
        if reason not in self.reasons:
            self.reasons.append(reason)


def _changed_snapshot(post: Post, statistics: dict[str, Any], latest: PostAnalytics | None) -> PostAnalytics | None:
    """A new buffer snapshot of the post, or None when Buffer's numbers equal the latest snapshot's."""
    metrics = metrics_from_buffer_statistics(statistics)
    numbers = tuple(getattr(metrics, name) for name in _METRIC_FIELDS)
    if latest is not None and numbers == tuple(getattr(latest, name) for name in _METRIC_FIELDS):
        return None
    counts = {"views": metrics.views, "likes": metrics.likes, "shares": metrics.shares, "comments": metrics.comments}
    return PostAnalytics(
        post=post,
        **counts,
        clicks=metrics.clicks,
        engagement_rate=engagement_rate(**counts),
        source=AnalyticsSource.BUFFER,
        recorded_at=timezone.now(),
    )


def _sync_account_posts(posts: list[Post], latest: dict[int, PostAnalytics], counts: _SyncCounts) -> None:
    """One account's posts through one backend. BufferUnavailable propagates: Buffer is down for everyone;
    so does BufferBudgetExhausted: the key has no room for analytics until its retry_at."""
    try:
        backend = backend_for_account(account=posts[0].social_account, priority=Priority.ANALYTICS)
        # A Buffer API without per-post statistics says so rather than record zeros.
        ensure_supported(backend, "statistics")
    except InvalidInput as exc:  # no Buffer config: nothing to ask Buffer with
        counts.checked += len(posts)
        counts.fail(len(posts), exc.message)
        return
    except BufferUnsupported as exc:
        counts.checked += len(posts)
        counts.failed += len(posts)
        counts.unsupported = exc.message
        return
    new: list[PostAnalytics] = []
    try:
        for index, post in enumerate(posts):
            counts.checked += 1
            try:
                update = backend.get_update(post.buffer_update_id)
            except (BufferUnavailable, BufferBudgetExhausted):
                raise
            except BufferAuthError as exc:  # the token is refused: every remaining post of the account would be too
                counts.checked += len(posts) - index - 1
                counts.fail(len(posts) - index, f"Buffer rejected the access token: {exc.message}")
                return
            except BufferError as exc:  # this update is gone or refused; the others may be fine
                counts.fail(1, f"Buffer could not return an update: {exc.message}")
                continue
            if update.status == "sent" and (
                snapshot := _changed_snapshot(post, update.statistics, latest.get(post.pk))
            ):
                new.append(snapshot)
    finally:
        # Numbers already read are real: keep them even when Buffer fails halfway through.
        PostAnalytics.objects.bulk_create(new)
        counts.created += len(new)


def _outcome(counts: _SyncCounts) -> tuple[SyncJobStatus, str]:
    """A job is `succeeded` only when every post was read; otherwise it says how much was done, and why not."""
    if counts.unsupported:
        return SyncJobStatus.UNSUPPORTED, counts.unsupported
    if not counts.failed:
        return SyncJobStatus.SUCCEEDED, ""
    reasons = " ".join(counts.reasons)
    if counts.failed < counts.checked:
        return SyncJobStatus.PARTIAL, f"{counts.failed} of {counts.checked} posts could not be synced. {reasons}"
    return SyncJobStatus.FAILED, f"No post could be synced. {reasons}"


def analytics_statistics_unavailable(*, workspace: Workspace) -> str:
    """Why Buffer cannot give statistics for the workspace's posts ("" when it can): pages must not promise them."""
    config = active_buffer_config(workspace=workspace)
    if config is None or not config.has_access_token:
        return ""  # nothing is published without Buffer; once it is connected, its API decides
    try:
        ensure_supported(backend_for_config(config=config, priority=Priority.ANALYTICS), "statistics")
    except BufferUnsupported as exc:
        return f"{exc.message} Numbers recorded by hand show here."
    return ""


def analytics_statistics_note(*, workspace: Workspace) -> str:
    """How fresh Buffer's numbers are for the workspace's config ("" when nothing to say): GraphQL's `Post.metrics`
    are refreshed daily by Buffer (developers.buffer.com/types/Post.md, `metricsUpdatedAt`)."""
    config = active_buffer_config(workspace=workspace)
    if config is None or not config.has_access_token:
        return ""
    backend = backend_for_config(config=config, priority=Priority.ANALYTICS)
    note: str = getattr(backend, "statistics_note", "")  # an attribute: no request is sent
    return note


def _finish(job: AnalyticsSyncJob, counts: _SyncCounts, *, status: str, error: str = "") -> None:
    job.status = status
    job.error = error
    job.posts_checked = counts.checked
    job.snapshots_created = counts.created
    job.posts_failed = counts.failed
    job.finished_at = timezone.now()
    job.save(
        update_fields=[
            "status",
            "error",
            "posts_checked",
            "snapshots_created",
            "posts_failed",
            "finished_at",
            "updated_at",
        ]
    )


def _defer(job: AnalyticsSyncJob, counts: _SyncCounts, exc: BufferBudgetExhausted) -> None:
    """The key's budget has no room for analytics (it keeps a reserve for publishing): the job goes back
    to pending with `retry_at` (it cannot be claimed before), and its task is queued for then.
    Snapshots already read are kept and a rerun only adds changed numbers. Should the queued task be
    lost, the job goes stale SYNC_STALE_AFTER past retry_at and the next periodic run (or the user)
    starts a fresh one."""
    from analytics.tasks import sync_analytics_job

    job.status = SyncJobStatus.PENDING
    job.started_at = None
    job.retry_at = exc.retry_at
    job.posts_checked, job.snapshots_created, job.posts_failed = counts.checked, counts.created, counts.failed
    job.error = f"Waiting for the Buffer key's request budget: {exc.message}"
    job.save(
        update_fields=[
            "status",
            "started_at",
            "retry_at",
            "posts_checked",
            "snapshots_created",
            "posts_failed",
            "error",
        ]
    )
    transaction.on_commit(lambda: sync_analytics_job.apply_async((job.pk,), eta=exc.retry_at))


def analytics_sync_run(*, job_id: int) -> AnalyticsSyncJob | None:
    """Run a sync job: a snapshot for each of its workspace's sent posts whose numbers changed at Buffer.

    Returns None when the job is not claimable (unknown, finished, or being run by another worker).
    A running job older than the task time limit was abandoned by a dead worker and may be reclaimed.
    """
    now = timezone.now()
    abandoned_before = now - dt.timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    due = Q(retry_at__isnull=True) | Q(retry_at__lte=now)  # a deferred job waits for the key's budget
    claimable = Q(due, status=SyncJobStatus.PENDING) | Q(status=SyncJobStatus.RUNNING, started_at__lt=abandoned_before)
    claimed = AnalyticsSyncJob.objects.filter(claimable, pk=job_id).update(
        status=SyncJobStatus.RUNNING, started_at=now, retry_at=None, updated_at=now
    )
    if not claimed:
        return None
    job = AnalyticsSyncJob.objects.get(pk=job_id)
    posts = _posts_buffer_sent().filter(workspace_id=job.workspace_id)
    latest = {s.post_id: s for s in analytics_latest_snapshots().filter(post__in=posts)}
    counts = _SyncCounts()
    try:
        ordered = posts.select_related("social_account").order_by("social_account_id", "pk")
        for _, group in groupby(ordered, key=attrgetter("social_account_id")):
            _sync_account_posts(list(group), latest, counts)
    except BufferBudgetExhausted as exc:
        _defer(job, counts, exc)
    except BufferUnavailable as exc:
        status = SyncJobStatus.PARTIAL if counts.created else SyncJobStatus.FAILED
        _finish(job, counts, status=status, error=f"Buffer is unavailable: {exc.message}")
    except Exception:
        # Never leave the job "running" forever; the task's caller still sees (and logs) the error.
        _finish(job, counts, status=SyncJobStatus.FAILED, error="Internal error; the problem has been logged.")
        raise
    else:
        status, error = _outcome(counts)
        _finish(job, counts, status=status, error=error)
    return job
