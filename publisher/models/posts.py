"""Publisher posts (what an integrator sent) and their deliveries (one per resolved post type).

A delivery becomes one ordinary `posts.Post`, so the calendar, analytics and the publishing
engine treat it like any other post; the publisher post's status is derived from those Posts.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from kernel.models import TimestampedModel


def new_post_id() -> str:
    """32 URL-safe characters (192 random bits): ids cannot be guessed or enumerated."""
    return secrets.token_urlsafe(24)


class PublisherStatus(models.TextChoices):
    QUEUED = "QUEUED", "Queued"
    SCHEDULED = "SCHEDULED", "Scheduled"
    PROCESSED = "PROCESSED", "Processed"
    FINISHED = "FINISHED", "Finished"
    ERROR = "ERROR", "Error"


FINAL_STATUSES = frozenset({PublisherStatus.FINISHED, PublisherStatus.ERROR})
# Statuses only move forward along this order; FINISHED and ERROR are both final.
STATUS_RANK: dict[str, int] = {
    PublisherStatus.QUEUED: 0,
    PublisherStatus.SCHEDULED: 1,
    PublisherStatus.PROCESSED: 2,
    PublisherStatus.FINISHED: 3,
    PublisherStatus.ERROR: 3,
}


class FailOn(models.TextChoices):
    WARNING = "warning", "Fail on warnings"
    ERROR = "error", "Fail on errors only"


QUARANTINE_AFTER = 5


class PublisherPostQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> PublisherPostQuerySet:
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(workspace=workspace)

    def unsettled(self) -> PublisherPostQuerySet:
        return self.exclude(status__in=FINAL_STATUSES)

    def not_quarantined(self) -> PublisherPostQuerySet:
        return self.filter(task_failures__lt=QUARANTINE_AFTER)


class PublisherPost(TimestampedModel):
    public_id = models.CharField(max_length=32, unique=True, default=new_post_id, editable=False)
    # Who created it (kept for the record); the workspace owns it and is the only scope.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="publisher_posts")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="publisher_posts")
    # The integrator app that signed the request; empty when it came with a JWT.
    app = models.ForeignKey(
        "publisher.IntegratorApp", on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    status = models.CharField(max_length=10, choices=PublisherStatus.choices, default=PublisherStatus.QUEUED)
    payload = models.JSONField(null=True, blank=True)
    # The filters as the integrator sent them (`channels`, `posttypes`, `networktargets`).
    filters = models.JSONField(default=dict, blank=True)
    content_source_link = models.URLField(max_length=2000, blank=True, default="")
    status_callback_url = models.URLField(max_length=2000, blank=True, default="")
    comment_callback_url = models.URLField(max_length=2000, blank=True, default="")
    scheduled_at = models.DateTimeField(null=True, blank=True)
    strict = models.BooleanField(default=False)
    fail_on = models.CharField(max_length=10, choices=FailOn.choices, default=FailOn.ERROR)
    # Set once when the deliveries were validated (and, if valid, their Posts created): the claim.
    processed_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    # Background work that failed on this row (the exception class, never its message); after
    # QUARANTINE_AFTER failures the periodic passes leave the row alone.
    task_error = models.CharField(max_length=200, blank=True, default="")
    task_failures = models.PositiveSmallIntegerField(default=0)

    objects = PublisherPostQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "created_at"], name="pubpost_workspace_created"),
            models.Index(fields=["status"], name="pubpost_status"),
        ]

    def __str__(self) -> str:
        return f"Publisher post {self.public_id} ({self.status})"


class Delivery(TimestampedModel):
    """One resolved post type of a publisher post: what was rendered for it and the Post it became."""

    publisher_post = models.ForeignKey(PublisherPost, on_delete=models.CASCADE, related_name="deliveries")
    # SET_NULL: deleting a post type or an account must not rewrite an integrator's history.
    post_type = models.ForeignKey(
        "publisher.PostType", on_delete=models.SET_NULL, null=True, blank=True, related_name="deliveries"
    )
    network_target = models.ForeignKey(
        "accounts.SocialAccount", on_delete=models.SET_NULL, null=True, blank=True, related_name="publisher_deliveries"
    )
    requested_kind = models.CharField(max_length=10)
    # What was actually rendered (an IMAGE without image falls back to LINK, ...).
    kind = models.CharField(max_length=10, blank=True, default="")
    content = models.TextField(blank=True, default="")
    media_urls = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    errors = models.JSONField(default=list, blank=True)
    post = models.OneToOneField(
        "posts.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="publisher_delivery"
    )

    class Meta:
        ordering = ["id"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"Delivery #{self.pk} of {self.publisher_post_id}"

    @property
    def status(self) -> str:
        """For humans: `pending` before validation, `rejected` when it failed, then its Post's status."""
        if self.errors:
            return "rejected"
        if self.post is not None:
            return self.post.status
        if self.publisher_post.processed_at is None:
            return "pending"
        # Another delivery failed validation, so none was published; or its Post was deleted since.
        return "skipped" if self.publisher_post.error else "withdrawn"
