"""Operators see every workspace's library: file facts are read-only (a file is checked once, at upload);
the name and alt text may be corrected; deleting goes through the same service as the API."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.html import format_html

from kernel.errors import DomainError
from media_library import services
from media_library.models import MediaItem, MediaUpload
from media_library.storage import public_url


@admin.register(MediaItem)
class MediaItemAdmin(admin.ModelAdmin[MediaItem]):
    list_display = ("name", "kind", "content_type", "size_bytes", "width", "height", "workspace", "created_at")
    list_filter = ("kind", "content_type")
    search_fields = ("name", "sha256")
    list_select_related = ("workspace",)
    fields = (
        "preview",
        "name",
        "alt_text",
        "workspace",
        "uploaded_by",
        "kind",
        "content_type",
        "file_link",
        "size_bytes",
        "width",
        "height",
        "duration_seconds",
        "sha256",
        "created_at",
    )
    readonly_fields = tuple(f for f in fields if f not in ("name", "alt_text"))

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # files come in through the upload checks (API or pages), never as a bare row

    @admin.display(description="Preview")
    def preview(self, item: MediaItem) -> str:
        if not item.thumbnail:
            return "—"
        return format_html(
            '<img src="{}" alt="{}" style="max-width:240px">', public_url(item.thumbnail.name), item.alt_text
        )

    @admin.display(description="File")
    def file_link(self, item: MediaItem) -> str:
        url = public_url(item.file.name)
        return format_html('<a href="{}">{}</a>', url, item.file.name) if url else "—"

    def delete_model(self, request, obj: MediaItem) -> None:
        try:
            services.media_delete(item=obj)
        except DomainError as exc:
            self.message_user(request, exc.detail, messages.ERROR)

    def delete_queryset(self, request, queryset) -> None:
        for item in queryset:
            self.delete_model(request, item)


@admin.register(MediaUpload)
class MediaUploadAdmin(admin.ModelAdmin[MediaUpload]):
    list_display = ("id", "filename", "size_bytes", "received_bytes", "workspace", "expires_at")
    readonly_fields = (
        "id",
        "workspace",
        "uploaded_by",
        "filename",
        "content_type",
        "size_bytes",
        "received_bytes",
        "alt_text",
        "targets",
        "created_at",
        "expires_at",
    )

    def has_add_permission(self, request, obj=None) -> bool:
        return False
