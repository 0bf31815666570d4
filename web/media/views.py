"""The media library page: the workspace's uploads as a grid (search by name), alt text, where each is used,
delete, and drag-and-drop upload (static/js/media_upload.js, through the media API). Thin: `media_library.services`."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_POST

from accounts.roles import Capability
from media_library import services
from media_library.models import MediaItem
from media_library.storage import public_url
from web.common import page_workspace, requires, run_action

SHOWN = 200


def _get_item_for_user(request: HttpRequest, pk: int) -> MediaItem:
    return get_object_or_404(MediaItem.objects.in_workspace(page_workspace(request)), pk=pk)


@login_required
@require_GET
def media_library_view(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:100]
    items = MediaItem.objects.in_workspace(page_workspace(request)).with_usage()
    if query:
        items = items.filter(name__icontains=query)
    rows = [
        {
            "item": item,
            "url": public_url(item.file.name),
            "thumb": public_url(item.thumbnail.name) if item.thumbnail else "",
            "used_in": sorted({link.post_id for link in item.post_links.all()}),
        }
        for item in items[:SHOWN]
    ]
    context = {
        "rows": rows,
        "q": query,
        "workspace_id": page_workspace(request).pk,
        "single_max": settings.MEDIA_MAX_UPLOAD_BYTES,
        "chunk_bytes": settings.MEDIA_CHUNK_BYTES,
    }
    return render(request, "media/library.html", context)


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def media_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item_for_user(request, pk)
    alt_text = request.POST.get("alt_text", "")
    return run_action(
        request,
        lambda: services.media_update(item=item, alt_text=alt_text),
        success=f"Alt text of {item.name} saved.",
        default_next="media-library",
    )


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def media_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    item = _get_item_for_user(request, pk)
    return run_action(
        request, lambda: services.media_delete(item=item), success=f"{item.name} deleted.", default_next="media-library"
    )
