"""The JSON shapes of library items and chunked uploads."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import Platform
from kernel.api.filters import MAX_ID
from kernel.api.strict import StrictModelSerializer, StrictSerializer
from media_library.models import MediaItem, MediaUpload
from media_library.services import MAX_ALT_TEXT, MAX_NAME
from media_library.storage import public_url

# A post that has not gone out keeps its media: deleting an item it uses is a 409 (posts' delete guard).
TARGETS_HELP = (
    "What the file is meant for: it is checked against the strictest of these networks' limits "
    "(without any, only the general rules apply; attaching it to a post checks it against the post's network)."
)


class UsedInSerializer(serializers.Serializer):
    post_id = serializers.IntegerField()
    status = serializers.CharField()
    scheduled_time = serializers.DateTimeField(allow_null=True)


class MediaItemSerializer(StrictModelSerializer):
    url = serializers.SerializerMethodField(help_text="The public URL Buffer fetches the file from.")
    thumbnail_url = serializers.SerializerMethodField(help_text="A small JPEG; null for videos.")
    used_in = serializers.SerializerMethodField(help_text="The posts this item is in.")
    name = serializers.CharField(max_length=MAX_NAME, required=False)
    alt_text = serializers.CharField(max_length=MAX_ALT_TEXT, required=False, allow_blank=True)

    class Meta:
        model = MediaItem
        fields = [
            "id",
            "name",
            "kind",
            "content_type",
            "size_bytes",
            "width",
            "height",
            "duration_seconds",
            "alt_text",
            "url",
            "thumbnail_url",
            "used_in",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "kind",
            "content_type",
            "size_bytes",
            "width",
            "height",
            "duration_seconds",
            "created_at",
            "updated_at",
        ]

    def get_url(self, item: MediaItem) -> str:
        return public_url(item.file.name)

    @extend_schema_field({"type": "string", "nullable": True})
    def get_thumbnail_url(self, item: MediaItem) -> str | None:
        return public_url(item.thumbnail.name) or None

    @extend_schema_field(UsedInSerializer(many=True))
    def get_used_in(self, item: MediaItem) -> list[dict[str, Any]]:
        links = sorted(item.post_links.all(), key=lambda link: link.post_id)
        return [
            {"post_id": link.post_id, "status": link.post.status, "scheduled_time": link.post.scheduled_time}
            for link in links
        ]


class TargetsMixin(serializers.Serializer):
    social_account_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        max_length=50,
        help_text=TARGETS_HELP,
    )
    platforms = serializers.ListField(
        child=serializers.ChoiceField(choices=Platform.choices),
        required=False,
        max_length=20,
        help_text="Networks the file is meant for (as social_account_ids).",
    )


class MediaUploadFormSerializer(TargetsMixin, serializers.Serializer):
    """`POST /media` (multipart/form-data): form fields are strings, so repeated fields give the lists."""

    file = serializers.FileField(help_text="The image or video (JPG, PNG, GIF, HEIC; MP4, MOV).")
    name = serializers.CharField(max_length=MAX_NAME, required=False, allow_blank=True)
    alt_text = serializers.CharField(max_length=MAX_ALT_TEXT, required=False, allow_blank=True)


class MediaUpdateSerializer(StrictSerializer):
    name = serializers.CharField(max_length=MAX_NAME, required=False)
    alt_text = serializers.CharField(max_length=MAX_ALT_TEXT, required=False, allow_blank=True)


class UploadStartSerializer(TargetsMixin, StrictSerializer):
    filename = serializers.CharField(max_length=MAX_NAME)
    size = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The whole file's size in bytes.")
    content_type = serializers.CharField(max_length=100)
    alt_text = serializers.CharField(max_length=MAX_ALT_TEXT, required=False, allow_blank=True)


class UploadCompleteSerializer(StrictSerializer):
    name = serializers.CharField(max_length=MAX_NAME, required=False, allow_blank=True)


class MediaUploadSerializer(serializers.ModelSerializer):
    chunk_bytes = serializers.SerializerMethodField(help_text="The largest chunk one PUT may send.")

    class Meta:
        model = MediaUpload
        fields = ["id", "filename", "content_type", "size_bytes", "received_bytes", "chunk_bytes", "expires_at"]
        read_only_fields = fields

    def get_chunk_bytes(self, upload: MediaUpload) -> int:
        from django.conf import settings

        return int(settings.MEDIA_CHUNK_BYTES)
