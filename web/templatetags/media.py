"""The media picker's data: the page workspace's newest library items, and what an upload may send."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from media_library.models import MediaItem
from media_library.storage import public_url
from web.common import page_workspace

register = template.Library()
PICKER_ITEMS = 100


@register.simple_tag(takes_context=True)
def media_picker(context: dict[str, Any]) -> dict[str, Any]:
    """Library items for the picker (thumbnails and names), the workspace the uploads go to, and the sizes:
    up to `single_max` bytes in one request, larger files in chunks of `chunk_bytes`."""
    workspace = page_workspace(context["request"])
    items = MediaItem.objects.in_workspace(workspace)[:PICKER_ITEMS]
    return {
        "workspace_id": workspace.pk,
        "single_max": settings.MEDIA_MAX_UPLOAD_BYTES,
        "chunk_bytes": settings.MEDIA_CHUNK_BYTES,
        "items": [
            {
                "id": item.pk,
                "name": item.name,
                "kind": item.kind,
                "thumb": public_url(item.thumbnail.name) if item.thumbnail else "",
                "alt": item.alt_text,
            }
            for item in items
        ],
    }
