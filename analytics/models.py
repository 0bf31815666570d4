from __future__ import annotations

from django.conf import settings
from django.db import models

from kernel.models import TimestampedModel


class AnalyticsSource(models.TextChoices):
    MANUAL = "manual", "Manual"
    BUFFER = "buffer", "Buffer"


class PostAnalyticsQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> PostAnalyticsQuerySet:
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(post__workspace=workspace)


class PostAnalytics(TimestampedModel):
    """A snapshot of a post's metrics at `recorded_at`; the latest snapshot of a post is its current numbers."""

    post = models.ForeignKey("posts.Post", on_delete=models.CASCADE, related_name="analytics")
    views = models.PositiveBigIntegerField(default=0)
    likes = models.PositiveBigIntegerField(default=0)
    shares = models.PositiveBigIntegerField(default=0)
    comments = models.PositiveBigIntegerField(default=0)
    clicks = models.PositiveBigIntegerField(null=True, blank=True)
    engagement_rate = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    source = models.CharField(max_length=10, choices=AnalyticsSource.choices, default=AnalyticsSource.MANUAL)
    recorded_at = models.DateTimeField()

    objects = PostAnalyticsQuerySet.as_manager()

    class Meta:
        ordering = ["-recorded_at", "-id"]
        verbose_name_plural = "post analytics"
        indexes = [models.Index(fields=["post", "-recorded_at"], name="analytics_post_latest")]

    def __str__(self) -> str:
        return f"Analytics of post {self.post_id} at {self.recorded_at:%Y-%m-%d %H:%M}"


class SyncJobStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"  # every post was read from Buffer
    PARTIAL = "partial", "Partly done"  # some posts were read, some not: `error` says why
    FAILED = "failed", "Failed"  # no post could be read: `error` says why
    UNSUPPORTED = "unsupported", "Not supported"  # the Buffer API of the user's config has no statistics


class AnalyticsSyncJobQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> AnalyticsSyncJobQuerySet:
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(workspace=workspace)


class AnalyticsSyncJob(TimestampedModel):
    """One run of "pull statistics from Buffer" for one workspace, reported through the API."""

    # Who started it (kept for the record; None: the periodic sync); the workspace owns it and is the only scope.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="analytics_sync_jobs"
    )
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="analytics_sync_jobs")
    status = models.CharField(max_length=12, choices=SyncJobStatus.choices, default=SyncJobStatus.PENDING)
    posts_checked = models.PositiveIntegerField(default=0)
    snapshots_created = models.PositiveIntegerField(default=0)
    posts_failed = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Pending, and not run before then: the Buffer key's request budget had no room for analytics.
    retry_at = models.DateTimeField(null=True, blank=True)

    objects = AnalyticsSyncJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
