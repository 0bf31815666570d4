"""A post's media library items (`media_ids`): resolving them in the workspace, checking them against the
post's network, writing their order, and the one list of assets a post is sent to Buffer with."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.db.models import prefetch_related_objects

from accounts.models import Workspace
from buffer_integration.backends.base import DraftAsset
from kernel.errors import Conflict
from media_library.models import MediaItem
from media_library.rules import platform_media_errors
from media_library.storage import public_url
from posts.models import Post, PostMedia, PostStatus
from posts.text import media_kind

MAX_MEDIA_IDS = 50


def workspace_media(*, workspace: Workspace | int, ids: Iterable[int]) -> dict[int, MediaItem]:
    """The workspace's items among `ids` (one query); another workspace's are simply absent."""
    wanted = set(ids)
    if not wanted:
        return {}
    return {item.pk: item for item in MediaItem.objects.in_workspace(workspace).filter(pk__in=wanted)}


def media_ids_errors(*, media_ids: Sequence[int], items: dict[int, MediaItem], platform: str | None) -> list[str]:
    """Unknown ids (never saying whether another workspace has one), repeats, and items that do not suit the
    post's network (the same rule function as at upload: media_library.rules.platform_media_errors)."""
    errors: list[str] = []
    if len(media_ids) > MAX_MEDIA_IDS:
        return [f"At most {MAX_MEDIA_IDS} items."]
    if len(set(media_ids)) != len(media_ids):
        errors.append("Each item may appear once.")
    for media_id in media_ids:
        item = items.get(media_id)
        if item is None:
            errors.append(f"You have no media item {media_id}.")
        elif platform:
            errors.extend(
                f"Item {media_id} ({item.name}): {message}" for message in platform_media_errors(item, platform)
            )
    return errors


def library_kinds(media_ids: Sequence[int], items: dict[int, MediaItem]) -> list[str]:
    return [items[pk].kind for pk in media_ids if pk in items]


def post_media_items(post: Post) -> list[MediaItem]:
    """The post's library items in order (uses a prefetch of `media_links__media` when there is one)."""
    if post.pk is None:
        return []
    if "media_links" not in getattr(post, "_prefetched_objects_cache", {}):
        prefetch_related_objects([post], "media_links__media")  # kept on the post: the next call asks nothing
    return [link.media for link in sorted(post.media_links.all(), key=lambda link: link.position)]


def set_post_media(*, post_ids: Sequence[int], media_ids: Sequence[int]) -> None:
    """Replace each post's library items by `media_ids`, in that order (one delete, one insert)."""
    with transaction.atomic():
        PostMedia.objects.filter(post_id__in=post_ids).delete()
        PostMedia.objects.bulk_create(
            [
                PostMedia(post_id=post_id, media_id=media_id, position=position)
                for post_id in post_ids
                for position, media_id in enumerate(media_ids)
            ]
        )


def post_media_assets(*, media_items: Sequence[MediaItem], media_urls: Sequence[str]) -> list[DraftAsset]:
    """What a post is sent to Buffer with, in order: its library items (their public URLs, thumbnails and alt
    text), then its plain `media_urls`. Buffer downloads each file from its URL (MEDIA_PUBLIC_BASE_URL)."""
    assets = [
        DraftAsset(
            kind=item.kind,
            url=public_url(item.file.name),
            thumbnail_url=public_url(item.thumbnail.name),
            alt_text=item.alt_text,
        )
        for item in media_items
    ]
    for url in media_urls:
        kind = media_kind(url)
        if kind is not None:
            assets.append(DraftAsset(kind=kind, url=url))
    return assets


def media_in_use_guard(*, item: MediaItem) -> None:
    """Registered as the media library's delete guard (posts.apps): an item a post that has not gone out yet
    uses cannot be deleted (409 naming the posts); published posts let go of it (Buffer has the file)."""
    links = list(PostMedia.objects.filter(media=item).select_related("post").order_by("post_id"))
    waiting = [link.post for link in links if link.post.status != PostStatus.PUBLISHED]
    if waiting:
        names = ", ".join(f"{post.pk} ({post.get_status_display().lower()})" for post in waiting)
        raise Conflict(
            f"{item.name} is in post{'s' if len(waiting) > 1 else ''} {names}, not published yet: "
            "remove it from them first."
        )
    PostMedia.objects.filter(pk__in=[link.pk for link in links]).delete()


def media_summary(post: Post) -> list[dict[str, Any]]:
    """The post's library items for its API answer."""
    return [
        {
            "id": item.pk,
            "kind": item.kind,
            "url": public_url(item.file.name),
            "thumbnail_url": public_url(item.thumbnail.name) or None,
            "alt_text": item.alt_text,
        }
        for item in post_media_items(post)
    ]
