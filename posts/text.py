"""Whether a post's text and media fit its network: pure functions over the limits table.

Every number comes from `buffer_integration/data/configuration.json` (via `network_limits`); the
length is `buffer_integration.counting.weighted_length`, the one counting rule the sandbox and the
composer's counter use too.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from buffer_integration.counting import counting_for, weighted_length
from buffer_integration.platforms import network_configuration, network_limits


def media_kind(url: str) -> str | None:
    """ "image" or "video" by the file extension of the URL's path, None when neither."""
    path = urlsplit(url).path.lower()
    extension = path.rsplit(".", 1)[-1] if "." in path.rsplit("/", 1)[-1] else ""
    types = network_configuration()["media"]
    if extension in types["picture_filetypes"]:
        return "image"
    if extension in types["video_filetypes"]:
        return "video"
    return None


def _is_http_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)


def _media_errors(*, name: str, limits: dict, media_urls: list[str], library_kinds: Sequence[str] = ()) -> list[str]:
    errors: list[str] = []
    kinds: list[str] = list(library_kinds)  # the post's media library items (posts.media), counted with the URLs
    types = network_configuration()["media"]
    for index, url in enumerate(media_urls):
        if not _is_http_url(url):
            errors.append(f"Item {index}: only http(s) URLs are accepted.")
        elif (kind := media_kind(url)) is None:
            errors.append(
                f"Item {index}: unsupported file type; images: {', '.join(types['picture_filetypes'])}; "
                f"videos: {', '.join(types['video_filetypes'])}."
            )
        else:
            kinds.append(kind)
    if errors:
        return errors
    images, videos = kinds.count("image"), kinds.count("video")
    for count, kind, maximum in ((images, "image", limits["x_max_images"]), (videos, "video", limits["x_max_videos"])):
        if count > maximum:
            allowed = f"no {kind}s" if maximum == 0 else f"at most {maximum} {kind}(s)"
            errors.append(f"{name} accepts {allowed}.")
    if images and videos and not limits["x_mixed_media"]:
        errors.append(f"{name} does not accept images and videos in the same post.")
    if not kinds and limits["x_media_required"]:
        errors.append(f"{name} requires at least one image or video.")
    return errors


def validate_post_content(
    *,
    platform: str,
    content: str,
    media_urls: list[str],
    service_type: str = "profile",
    library_kinds: Sequence[str] = (),
) -> dict[str, list[str]]:
    """Problems with the text and media for `platform`, by field name; empty when the post fits.

    `library_kinds`: the kinds (image, video) of the post's library items, counted with `media_urls`."""
    limits = network_limits(platform, service_type)
    counting = counting_for(platform, service_type)
    name = counting.name
    errors: dict[str, list[str]] = {}
    limit = counting.limit
    length = weighted_length(content, platform, service_type)
    if limit is not None and length > limit:
        counted = {
            "twitter": f" (each link counts {counting.url_length or 23}, CJK and emoji 2)",
            "graphemes": " (graphemes)",
        }.get(counting.way, "")
        errors["content"] = [f"Too long for {name}: {length} characters{counted}, the limit is {limit}."]
    media_errors = _media_errors(name=name, limits=limits, media_urls=media_urls, library_kinds=library_kinds)
    if media_errors:
        errors["media_urls"] = media_errors
    return errors
