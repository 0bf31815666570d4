from __future__ import annotations

from django.conf import settings
from django.db import models

from socialhub.models import TimestampedModel


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHING = "publishing", "Publishing"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"


class PostQuerySet(models.QuerySet):
    def owned_by(self, user) -> PostQuerySet:
        return self.filter(owner=user)

    def with_relations(self) -> PostQuerySet:
        return self.select_related("social_account", "campaign")


class Post(TimestampedModel):
    """One piece of content for one social account. Status changes only through `posts.transitions`."""

    # Denormalised from the account so every list is scoped and indexed by owner without a join.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    social_account = models.ForeignKey("accounts.SocialAccount", on_delete=models.CASCADE, related_name="posts")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    platform = models.CharField(max_length=20)
    content = models.TextField()
    media_urls = models.JSONField(default=list, blank=True)
    scheduled_time = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=12, choices=PostStatus.choices, default=PostStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set when the post was handed to Buffer ("schedule via Buffer" or published through it).
    buffer_update_id = models.CharField(max_length=64, blank=True, default="")
    handed_to_buffer_at = models.DateTimeField(null=True, blank=True)
    service_link = models.URLField(max_length=500, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_time", "id"]
        indexes = [
            models.Index(fields=["owner", "scheduled_time"], name="post_owner_scheduled"),
            models.Index(fields=["owner", "status"], name="post_owner_status"),
            models.Index(fields=["owner", "created_at"], name="post_owner_created"),
            # The dispatcher's query: due scheduled posts, oldest first.
            models.Index(fields=["status", "scheduled_time"], name="post_status_scheduled"),
            models.Index(fields=["campaign", "status"], name="post_campaign_status"),
        ]

    def __str__(self) -> str:
        return f"Post #{self.pk} ({self.platform}, {self.status})"

    @property
    def is_handed_to_buffer(self) -> bool:
        return bool(self.buffer_update_id)
