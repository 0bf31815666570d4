"""A workspace's uploaded images and videos. The files live in Django's storage (local `var/media` or an
S3-compatible store); a row is written only once its file has been checked and stored."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models

from kernel.models import TimestampedModel


class MediaKind(models.TextChoices):
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"


def media_file_path(item: MediaItem, filename: str) -> str:
    """A random name per file under its workspace: the uploader's filename is kept in `name`, never in a path.

    Names are relative to the storage: `var/media/<workspace>/...` locally, `<MEDIA_S3_PREFIX>/<workspace>/...`
    in a bucket."""
    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"{item.workspace_id}/{uuid.uuid4().hex}{suffix}"


def thumbnail_file_path(item: MediaItem, filename: str) -> str:
    return f"{item.workspace_id}/thumbs/{uuid.uuid4().hex}.jpg"


class MediaItemQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> MediaItemQuerySet:
        return self.filter(workspace=workspace)

    def with_usage(self) -> MediaItemQuerySet:
        """The posts each item is in (for `used_in`): two queries for any number of items."""
        return self.prefetch_related("post_links__post")


class MediaItem(TimestampedModel):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="media_items")
    # Who uploaded it; the workspace owns it, so a member leaving (or a deleted user) keeps the library whole.
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="media_uploads"
    )
    name = models.CharField(max_length=255)  # the uploader's filename, for search
    kind = models.CharField(max_length=10, choices=MediaKind.choices)
    content_type = models.CharField(max_length=100)
    file = models.FileField(upload_to=media_file_path, max_length=500)
    thumbnail = models.FileField(upload_to=thumbnail_file_path, max_length=500, blank=True)
    size_bytes = models.PositiveBigIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True)
    alt_text = models.TextField(blank=True, default="")
    sha256 = models.CharField(max_length=64)

    objects = MediaItemQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "created_at"], name="media_workspace_created"),
            models.Index(fields=["workspace", "name"], name="media_workspace_name"),
            models.Index(fields=["workspace", "sha256"], name="media_workspace_sha256"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})"


class MediaUploadQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> MediaUploadQuerySet:
        return self.filter(workspace=workspace)


class MediaUpload(models.Model):
    """A chunked upload in progress: its bytes are appended to a temporary file (`temp_path`, under
    MEDIA_UPLOAD_TEMP_DIR) one `Content-Range` chunk at a time, until `complete` checks the whole file and
    turns it into a MediaItem. The id is random: it is also what a client needs to send more bytes."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="media_uploads")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="media_chunked_uploads"
    )
    filename = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size_bytes = models.PositiveBigIntegerField()
    received_bytes = models.PositiveBigIntegerField(default=0)
    alt_text = models.TextField(blank=True, default="")
    targets = models.JSONField(default=list, blank=True)  # platform names the file is meant for
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()

    objects = MediaUploadQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["expires_at"], name="media_upload_expires")]

    def __str__(self) -> str:
        return f"Upload {self.id} ({self.received_bytes}/{self.size_bytes})"
