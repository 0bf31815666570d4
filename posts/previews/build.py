"""The preview of one post on one network, as a plain structure (JSON as it is, and what the templates read).

`build_preview` is pure: the account's synced profile, the text, the media list and the options in, the
structure out. The media list is the seam for the media library: `media_from_urls` makes it from a post's
`media_urls` today; library items (`Post.media_items`) give the same keys (url, kind, alt_text, width, height).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from accounts.models import Platform
from buffer_integration.counting import URL_RE, counting_for, weighted_length
from buffer_integration.platforms import NETWORK_OPTIONS, option_defaults
from posts.previews.networks import GOOGLE_TYPE_LABELS, INSTAGRAM_TYPE_LABELS, facts_for
from posts.previews.text import cut, fold_point, segments
from posts.text import media_kind

MediaItem = Mapping[str, Any]  # {"url", "kind": "image" | "video", "alt_text", "width", "height"}


def media_from_urls(urls: Sequence[str]) -> list[dict[str, Any]]:
    """The media list of a post given as URLs: the kind by extension (as the validator tells it), no sizes."""
    return [
        {"url": url, "kind": media_kind(url) or "other", "alt_text": "", "width": None, "height": None} for url in urls
    ]


def initials(name: str) -> str:
    """What stands in for a missing avatar: the first letters of up to two words of the name."""
    words = [word for word in name.replace("@", " ").replace("_", " ").replace(".", " ").split() if word]
    return "".join(word[0] for word in words[:2]).upper() or "?"


def profile(*, account_id: int | None, name: str, username: str, avatar_url: str) -> dict[str, Any]:
    """The synced profile as a preview shows it: `username` is the network handle (none before a sync)."""
    return {
        "id": account_id,
        "name": name,
        "username": f"@{username.removeprefix('@')}" if username else "",
        "avatar_url": avatar_url,
        "initials": "" if avatar_url else initials(name or username),
    }


def _text(content: str, see_more: int | None) -> dict[str, Any]:
    parts = segments(content)
    at = fold_point(content, see_more)
    return {
        "segments": [part.as_dict() for part in parts],
        "visible": [part.as_dict() for part in cut(parts, at)],
        "truncated": at is not None,
        "see_more_at": at,
    }


def _media(platform: str, media: Sequence[MediaItem], post_type: str) -> dict[str, Any]:
    facts = facts_for(platform)
    items = [dict(item) for item in media]
    total = len(items)
    if not items:
        return {"layout": "none", "items": [], "shown": [], "more": 0, "total": 0}
    if any(item.get("kind") == "video" for item in items):
        layout, shown = "video", [next(item for item in items if item.get("kind") == "video")]
    elif post_type in ("story", "reel"):
        layout, shown = post_type, items[:1]
    elif facts.layout == "grid" and total > 1:
        layout, shown = "grid", items[: facts.grid_max]
    elif facts.layout == "carousel" and total > 1:
        layout, shown = "carousel", items[:1]
    else:
        layout, shown = "single", items[:1]
    more = 0 if layout == "carousel" else total - len(shown)
    return {"layout": layout, "items": items, "shown": shown, "more": more, "total": total}


def _link_card(platform: str, content: str, media: Sequence[MediaItem]) -> dict[str, str] | None:
    """The card a network makes of a link: host and URL only (the page is never fetched)."""
    which = facts_for(platform).link_card
    links = URL_RE.findall(content)
    if which is None or media or not links:
        return None
    url = links[0] if which == "first" else links[-1]
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return {"url": url, "host": host}


def _length(text: str, platform: str, service_type: str) -> dict[str, Any]:
    counting = counting_for(platform, service_type)
    count = weighted_length(text, platform, service_type)
    return {
        "count": count,
        "limit": counting.limit,
        "counting": counting.way,
        "over": counting.limit is not None and count > counting.limit,
    }


def _option(options: Mapping[str, Any], platform: str, name: str) -> Any:
    if name not in NETWORK_OPTIONS.get(platform, ()):
        return None
    return options.get(name, option_defaults(platform).get(name))


def _post_type(platform: str, options: Mapping[str, Any]) -> tuple[str, str]:
    value = _option(options, platform, "type") or ""
    labels = INSTAGRAM_TYPE_LABELS if platform == "instagram" else GOOGLE_TYPE_LABELS
    return value, labels.get(value, "")


def build_preview(
    *,
    platform: str,
    account: Mapping[str, Any],
    content: str,
    media: Sequence[MediaItem],
    network_options: Mapping[str, Any] | None,
    service_type: str = "profile",
    warnings: Sequence[str] = (),
) -> dict[str, Any]:
    """How `content` with `media` will look on `platform`, for `account` (`profile(...)`)."""
    options = network_options or {}
    facts = facts_for(platform)
    post_type, post_type_label = _post_type(platform, options)
    thread = _option(options, platform, "thread")
    thread = thread if isinstance(thread, list) else []  # a malformed value is the validator's warning
    first_comment = _option(options, platform, "first_comment")
    first_comment = first_comment if isinstance(first_comment, str) else ""
    parts = [
        {"segments": [s.as_dict() for s in segments(part)], **_length(part, platform, service_type)}
        for part in thread
        if isinstance(part, str)
    ]
    return {
        "platform": platform,
        "network": Platform(platform).label,
        "family": facts.family,
        "account": dict(account),
        "text": _text(content, facts.see_more),
        "see_more_label": facts.see_more_label,
        "length": _length(content, platform, service_type),
        "media": _media(platform, media, post_type),
        "link_card": _link_card(platform, content, media),
        "thread": parts,
        "first_comment": {"segments": [s.as_dict() for s in segments(first_comment)]} if first_comment else None,
        "title": str(_option(options, platform, "title") or ""),
        "post_type": post_type,
        "post_type_label": post_type_label,
        "warnings": list(warnings),
    }
