"""How each network counts a post and which media it takes: pure functions over the limits table.

Every number comes from `buffer_integration/data/configuration.json` (via `network_limits`), so the
API, the worker and the web UI's JavaScript mirror of these rules agree on one table.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import urlsplit

import regex

from buffer_integration.platforms import network_configuration, network_limits

# An http(s) link up to whitespace, leaving trailing punctuation to the sentence (as twitter-text does).
URL_RE = regex.compile(r"""https?://\S+?(?=[.,:;!?'")\]]*(?:\s|$))""", regex.IGNORECASE)
GRAPHEME_RE = regex.compile(r"\X")
# A grapheme cluster shown as an emoji: pictographs, skin tones, ZWJ families, flags, keycaps, VS16.
EMOJI_CLUSTER_RE = regex.compile(r"[\p{Emoji_Presentation}\p{Regional_Indicator}\u20E3\uFE0F]")

# twitter-text v3: code points in these ranges weigh 1, every other one 2; an emoji weighs 2 in all.
TWITTER_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
TWITTER_EMOJI_WEIGHT = 2


def _code_point_weight(char: str) -> int:
    point = ord(char)
    return 1 if any(low <= point <= high for low, high in TWITTER_LIGHT_RANGES) else 2


def twitter_weight(text: str, *, url_length: int = 23) -> int:
    """Length as X/Twitter counts it (twitter-text v3): NFC, weighted code points, links as `url_length`."""
    text = unicodedata.normalize("NFC", text)
    urls = len(URL_RE.findall(text))
    total = urls * url_length
    for cluster in GRAPHEME_RE.findall(URL_RE.sub("", text)):
        if EMOJI_CLUSTER_RE.search(cluster):
            total += TWITTER_EMOJI_WEIGHT
        else:
            total += sum(_code_point_weight(char) for char in cluster)
    return total


def grapheme_count(text: str) -> int:
    """What a reader sees as one character each (Bluesky's unit): combining marks and flags count once."""
    return len(GRAPHEME_RE.findall(text))


def character_count(text: str, *, url_length: int | None = None) -> int:
    """Code points; with `url_length` every link counts that much (Mastodon)."""
    if url_length is None:
        return len(text)
    return len(URL_RE.sub("", text)) + url_length * len(URL_RE.findall(text))


def weighted_length(text: str, platform: str, service_type: str = "profile") -> int:
    """The length `platform` holds against its `character_limit`."""
    limits = network_limits(platform, service_type)
    url_length = limits.get("short_url_length_https") or limits.get("short_url_length")
    counting = limits.get("x_counting", "characters")
    if counting == "twitter":
        return twitter_weight(text, url_length=url_length or 23)
    if counting == "graphemes":
        return grapheme_count(text)
    return character_count(text, url_length=url_length)


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


def _media_errors(*, name: str, limits: dict, media_urls: list[str]) -> list[str]:
    errors: list[str] = []
    kinds: list[str] = []
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
    *, platform: str, content: str, media_urls: list[str], service_type: str = "profile"
) -> dict[str, list[str]]:
    """Problems with the text and media for `platform`, by field name; empty when the post fits."""
    limits = network_limits(platform, service_type)
    name = limits.get("name", platform)
    errors: dict[str, list[str]] = {}
    limit = limits.get("character_limit")
    length = weighted_length(content, platform, service_type)
    if limit is not None and length > limit:
        counted = {
            "twitter": f" (each link counts {limits.get('short_url_length') or 23}, CJK and emoji 2)",
            "graphemes": " (graphemes)",
        }.get(limits.get("x_counting") or "", "")
        errors["content"] = [f"Too long for {name}: {length} characters{counted}, the limit is {limit}."]
    media_errors = _media_errors(name=name, limits=limits, media_urls=media_urls)
    if media_errors:
        errors["media_urls"] = media_errors
    return errors
