"""From an integrator's payload to the text and media of one post type on one network: pure functions.

`extract_content` reads the usual keys; `render_delivery` builds the post for a post type and
adapts it to the network (shorten at a word boundary keeping the link, drop media the network
cannot take, fall back IMAGE → LINK → STATUS when something is missing). Each adaptation is a
warning; with `strict` each one is an error instead and nothing is changed. Lengths and media
rules come from `posts.text`, the same rules every other post is checked with.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.html import strip_tags

from buffer_integration.counting import weighted_length
from buffer_integration.platforms import network_limits
from posts import network_options as options
from posts.text import media_kind, validate_post_content
from publisher.models import PostKind

MESSAGE_KEYS = ("message", "text", "body", "title")
LINK_KEYS = ("link", "url")
IMAGE_KEYS = ("field-image", "image", "images")
VIDEO_KEYS = ("video",)
# Payload keys that fill network options (README: "Publisher API"), over the post type's defaults.
OPTION_KEYS = {
    "title": {"youtube": "title", "pinterest": "title"},
    "first_comment": {"instagram": "first_comment", "facebook": "first_comment", "linkedin": "first_comment"},
    "pinterest_board": {"pinterest": "board_id"},
    "thread": {"twitter": "thread", "threads": "thread", "bluesky": "thread"},
}
TITLE_LIMITS = {"youtube": options.YOUTUBE_TITLE_MAX, "pinterest": options.PINTEREST_TITLE_MAX}
ELLIPSIS = "…"
LINK_SEPARATOR = "\n\n"
_WORD_BOUNDARY = re.compile(r"\s+")
_is_url = URLValidator(schemes=["http", "https"])


@dataclass(frozen=True)
class PayloadContent:
    message: str = ""
    link: str = ""
    images: tuple[str, ...] = ()
    videos: tuple[str, ...] = ()
    # Values under known keys that were not usable (e.g. an image that is not a URL).
    ignored: tuple[str, ...] = ()


@dataclass(frozen=True)
class Rendering:
    kind: str
    text: str
    media_urls: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def text_of(value: Any) -> str:
    if not isinstance(value, str):
        return ""
    if "<" in value and ">" in value:  # CMS bodies arrive as HTML; networks want plain text
        value = html.unescape(strip_tags(value))
    return value.strip()


def _urls_of(value: Any, key: str, ignored: list[str]) -> list[str]:
    urls = []
    for item in value if isinstance(value, list) else [value]:
        url = item.get("url") or item.get("src") if isinstance(item, dict) else item
        if url is None:
            continue
        try:
            _is_url(url)
        except (ValidationError, TypeError):
            ignored.append(f"Ignored {key} {str(url)[:100]!r}: not an http(s) URL.")
            continue
        urls.append(url)
    return urls


def extract_content(payload: Any, *, content_source_link: str = "") -> PayloadContent:
    """The message, link, images and video of a payload; a string payload is the message itself."""
    if isinstance(payload, str):
        return PayloadContent(message=text_of(payload), link=content_source_link)
    if not isinstance(payload, dict):
        return PayloadContent(link=content_source_link)
    ignored: list[str] = []
    message = next((text for key in MESSAGE_KEYS if (text := text_of(payload.get(key)))), "")
    links = [url for key in LINK_KEYS if key in payload for url in _urls_of(payload[key], key, ignored)]
    images = [url for key in IMAGE_KEYS if key in payload for url in _urls_of(payload[key], key, ignored)]
    videos = [url for key in VIDEO_KEYS if key in payload for url in _urls_of(payload[key], key, ignored)]
    return PayloadContent(
        message=message,
        link=content_source_link or (links[0] if links else ""),
        images=tuple(dict.fromkeys(images)),
        videos=tuple(dict.fromkeys(videos)),
        ignored=tuple(ignored),
    )


def _compose(message: str, link: str) -> str:
    if not link or link in message:
        return message
    return f"{message}{LINK_SEPARATOR}{link}" if message else link


def _longest_fitting(message: str, cuts, fits) -> str | None:
    """The longest `message[:cut]` that fits; lengths grow with the cut, so binary search."""
    low, high, best = 0, len(cuts) - 1, None
    while low <= high:
        middle = (low + high) // 2
        prefix = message[: cuts[middle]].rstrip()
        if prefix and fits(prefix):
            best, low = prefix, middle + 1
        else:
            high = middle - 1
    return best


def shorten(message: str, link: str, *, limit: int, platform: str, service_type: str = "profile") -> str | None:
    """The message cut at a word boundary (else mid-word) plus an ellipsis, the link kept; None if impossible."""

    def fits(prefix: str) -> bool:
        return weighted_length(_compose(prefix + ELLIPSIS, link), platform, service_type) <= limit

    word_ends = [match.start() for match in _WORD_BOUNDARY.finditer(message)]
    prefix = _longest_fitting(message, word_ends, fits) or _longest_fitting(message, range(1, len(message)), fits)
    return _compose(prefix + ELLIPSIS, link) if prefix else None


def _take_media(urls: tuple[str, ...], kind: str, maximum: int, network: str) -> tuple[list[str], list[str]]:
    kept = [url for url in urls if media_kind(url) == kind]
    notes = [f"Dropped {url}: {network} takes no such {kind} file type." for url in urls if url not in kept]
    if len(kept) > maximum:
        allowed = "no" if maximum == 0 else f"at most {maximum}"
        notes.append(f"{network} takes {allowed} {kind}(s) per post: dropped {len(kept) - maximum}.")
        kept = kept[:maximum]
    return kept, notes


def render_delivery(
    content: PayloadContent, *, kind: str, platform: str, service_type: str = "profile", strict: bool = False
) -> Rendering:
    limits = network_limits(platform, service_type)
    network = limits.get("name", platform)
    changes = list(content.ignored)
    text_kind = PostKind.LINK if content.link else PostKind.STATUS
    effective = kind
    media: list[str] = []
    if effective == PostKind.VIDEO:
        media, notes = _take_media(content.videos, "video", limits["x_max_videos"], network)
        changes += notes
        if not media:
            has_images = limits["x_max_images"] > 0 and any(media_kind(url) == "image" for url in content.images)
            effective = PostKind.IMAGE if has_images else text_kind
            changes.append(f"No video {network} can take: posted as a {effective} post instead.")
    if effective == PostKind.IMAGE:
        media, notes = _take_media(content.images, "image", limits["x_max_images"], network)
        changes += notes
        if not media:
            effective = text_kind
            changes.append(f"No image {network} can take: posted as a {effective} post instead.")
    if effective == PostKind.LINK and not content.link:
        effective = PostKind.STATUS
        changes.append("No link in the payload: posted as a STATUS post instead.")

    link = content.link if effective != PostKind.STATUS else ""
    text = _compose(content.message, link)
    errors: list[str] = []
    limit = limits.get("character_limit")
    length = weighted_length(text, platform, service_type)
    if limit is not None and length > limit:
        shortened = shorten(content.message, link, limit=limit, platform=platform, service_type=service_type)
        if shortened is None:
            errors.append(f"Too long for {network} ({length} characters, limit {limit}) and cannot be shortened.")
        else:
            changes.append(f"Text shortened at a word boundary to {network}'s limit of {limit} (was {length}).")
            text = shortened

    if strict and changes:
        return Rendering(
            kind=kind,
            text=_compose(content.message, content.link),
            errors=errors + [f"Not allowed with strict: {change}" for change in changes],
        )
    if not text.strip():
        errors.append("Nothing to post: the payload has no message (message, text, body or title) and no link.")
    elif not errors:
        problems = validate_post_content(platform=platform, content=text, media_urls=media, service_type=service_type)
        errors += [message for messages in problems.values() for message in messages]
    return Rendering(kind=effective, text=text, media_urls=media, warnings=changes, errors=errors)


def payload_network_options(payload: Any, platform: str) -> dict:
    """The network options a payload's well-known keys give `platform` (a CMS title is cut to fit)."""
    found: dict = {}
    if not isinstance(payload, dict):
        return found
    for key, targets in OPTION_KEYS.items():
        option = targets.get(platform)
        if option is None or key not in payload:
            continue
        value = payload[key]
        if option == "thread":
            parts = [text_of(part) for part in value] if isinstance(value, list) else []
            if parts := [part for part in parts if part]:
                found[option] = parts
            continue
        text = (
            str(value).strip()
            if option == "board_id" and isinstance(value, int | str) and not isinstance(value, bool)
            else text_of(value)
        )
        limit = TITLE_LIMITS.get(platform) if option == "title" else None
        if limit is not None and len(text) > limit:
            text = text[: limit - 1].rstrip() + ELLIPSIS
        if text:
            found[option] = text
    return found
