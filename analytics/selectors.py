"""Reads on analytics snapshots."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from analytics.models import AnalyticsSyncJob, PostAnalytics, SyncJobStatus


def analytics_latest_snapshots() -> QuerySet[PostAnalytics]:
    """Each post's latest snapshot only (ties on `recorded_at` go to the newest row).

    A correlated subquery rather than a window function or DISTINCT ON, so it runs the same on
    SQLite and PostgreSQL and can still be filtered, grouped and aggregated like any queryset.
    """
    latest_id = PostAnalytics.objects.filter(post=OuterRef("post")).order_by("-recorded_at", "-id").values("id")[:1]
    return PostAnalytics.objects.filter(id=Subquery(latest_id))


def analytics_sync_job_in_progress(*, workspace) -> AnalyticsSyncJob | None:
    return (
        AnalyticsSyncJob.objects.in_workspace(workspace)
        .filter(status__in=[SyncJobStatus.PENDING, SyncJobStatus.RUNNING])
        .order_by("-created_at", "-id")
        .first()
    )
