"""The callback outbox: every status change and comment event is a row, sent in order per post and stream.

Rows are written in the same transaction as the change they report, so nothing is reported that
did not happen and nothing that happened is lost. Each row keeps its `webhook_id` across retries
(receivers de-duplicate on it); every try is a `CallbackAttempt`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from kernel.models import TimestampedModel


class CallbackStream(models.TextChoices):
    STATUS = "status", "Post status"
    COMMENT = "comment", "Comments"


class CallbackState(models.TextChoices):
    PENDING = "pending", "Pending"
    DELIVERED = "delivered", "Delivered"
    FAILED = "failed", "Gave up"


class CallbackDeliveryQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> CallbackDeliveryQuerySet:
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(workspace=workspace)


class CallbackDelivery(TimestampedModel):
    # Who created it (kept for the record); the workspace owns it and is the only scope.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="publisher_callbacks")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="publisher_callbacks")
    publisher_post = models.ForeignKey("publisher.PublisherPost", on_delete=models.CASCADE, related_name="callbacks")
    stream = models.CharField(max_length=10, choices=CallbackStream.choices)
    # Order within (publisher_post, stream): the sender only sends a row once every earlier one is settled.
    sequence = models.PositiveIntegerField()
    event = models.CharField(max_length=40)  # "status.PROCESSED", "comment.created", ...
    method = models.CharField(max_length=6)
    url = models.URLField(max_length=2000)
    webhook_id = models.CharField(max_length=64, unique=True)
    # The exact bytes signed and sent, identical on every retry.
    body = models.TextField()
    state = models.CharField(max_length=10, choices=CallbackState.choices, default=CallbackState.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = CallbackDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "callback deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["publisher_post", "stream", "sequence"], name="unique_callback_sequence_per_stream"
            )
        ]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="callback_due"),
            models.Index(fields=["workspace", "created_at"], name="callback_workspace_created"),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.event} #{self.sequence} ({self.state})"


class CallbackAttempt(models.Model):
    callback = models.ForeignKey(CallbackDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    is_replay = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    # The start of the receiver's answer, to debug a failing endpoint; never our secrets.
    response_excerpt = models.CharField(max_length=500, blank=True, default="")

    class Meta:
        ordering = ["started_at", "id"]

    def __str__(self) -> str:
        return f"Attempt {self.number} of callback {self.callback_id}: {self.status_code or self.error}"

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class ReportedComment(TimestampedModel):
    """What the comment receiver has been told about one comment: the base of the next diff."""

    delivery = models.ForeignKey("publisher.Delivery", on_delete=models.CASCADE, related_name="reported_comments")
    comment_id = models.CharField(max_length=128)
    fingerprint = models.CharField(max_length=64)
    snapshot = models.JSONField(default=dict)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "comment_id"], name="unique_reported_comment_per_delivery")
        ]

    def __str__(self) -> str:
        return f"Comment {self.comment_id} of delivery {self.delivery_id}"
