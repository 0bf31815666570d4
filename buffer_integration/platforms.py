"""Buffer's service names ↔ our platform names, the per-network limits table, and what each network
needs from a post before Buffer's API accepts it.

The network rules are Buffer's, as checked in December 2026 (../shared/reference/buffer-graphql/README.md,
from developers.buffer.com's type reference and guides). Pure functions: the posts API validates with
them at create/update time and the GraphQL client builds `metadata` from the same names.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

_SERVICE_TO_PLATFORM = {"google": "googlebusiness", "x": "twitter"}
CONFIGURATION_PATH = Path(__file__).parent / "data" / "configuration.json"

# The networks Buffer's API can publish to ("Networks the API posts to", developers.buffer.com). TikTok
# channels exist at Buffer, but its API cannot post to them: a TikTok account can be stored, not posted to.
PUBLISHABLE_PLATFORMS = frozenset(
    {
        "instagram",
        "threads",
        "linkedin",
        "twitter",
        "facebook",
        "googlebusiness",
        "mastodon",
        "youtube",
        "pinterest",
        "bluesky",
    }
)
NOT_PUBLISHABLE_MESSAGE = "Buffer's API cannot publish to {label}: post there from Buffer's own app."

# SocialHub's per-network option names (`Post.network_options`), one set per platform. The GraphQL client
# maps them onto Buffer's `PostInputMetaData` (buffer_integration.backends.graphql_wire.post_metadata).
NETWORK_OPTIONS: dict[str, frozenset[str]] = {
    "instagram": frozenset({"type", "share_to_feed", "first_comment"}),
    "pinterest": frozenset({"board_id", "title"}),
    "youtube": frozenset({"title", "category_id", "privacy"}),
    "googlebusiness": frozenset({"type"}),
    "facebook": frozenset({"first_comment"}),
    "linkedin": frozenset({"first_comment"}),
    "twitter": frozenset({"thread"}),
    "threads": frozenset({"thread"}),
    "bluesky": frozenset({"thread"}),
}
# Choices of the options that have them, with Buffer's default first (applied when the option is absent).
OPTION_CHOICES: dict[tuple[str, str], tuple[str, ...]] = {
    ("instagram", "type"): ("post", "story", "reel"),
    ("youtube", "privacy"): ("public", "unlisted", "private"),
    ("googlebusiness", "type"): ("whats_new", "offer", "event"),
}
# Buffer's defaults where it has a sensible one (README "Rules the schema alone does not show", 1).
OPTION_DEFAULTS: dict[str, dict[str, object]] = {
    "instagram": {"type": "post", "share_to_feed": True},
    "youtube": {"category_id": "22", "privacy": "public"},
    "googlebusiness": {"type": "whats_new"},
}
# Choices Buffer requires on createPost and has no default for: Pinterest's board
# (PinterestPostMetadataInput.boardServiceId), YouTube's title (YoutubePostMetadataInput.title).
REQUIRED_OPTIONS: dict[str, tuple[str, ...]] = {"pinterest": ("board_id",), "youtube": ("title",)}
YOUTUBE_TITLE_MAX = 100
# Media Buffer requires: Instagram an image or a video, Pinterest an image, YouTube a video.
REQUIRED_MEDIA: dict[str, frozenset[str]] = {
    "instagram": frozenset({"image", "video"}),
    "pinterest": frozenset({"image"}),
    "youtube": frozenset({"video"}),
}
# Networks whose link preview is `metadata.<service>.linkAttachment` (the `link` asset is removed on
# 2026-12-15, developers.buffer.com/types/AssetInput.md); on the others a link simply stays in the text.
LINK_ATTACHMENT_PLATFORMS = frozenset({"facebook", "linkedin", "threads", "bluesky"})


def platform_for_service(service: str) -> str:
    return _SERVICE_TO_PLATFORM.get(service, service)


def can_publish(platform: str) -> bool:
    """Whether Buffer's API can post to this platform (or Buffer service name)."""
    return platform_for_service(platform) in PUBLISHABLE_PLATFORMS


def option_defaults(service: str) -> dict[str, object]:
    """Buffer's defaults for a network's options (a copy: callers may update it)."""
    return dict(OPTION_DEFAULTS.get(platform_for_service(service), {}))


def missing_required_options(service: str, options: dict[str, Any] | None) -> list[str]:
    """The option names a post on `service` must set and does not (blank strings count as missing).

    Pinterest needs `board_id`, YouTube `title`; every other network has none, or a default. A caller
    that has a fallback (an account's default Pinterest board) fills it in before asking.
    """
    options = options or {}
    missing = []
    for name in REQUIRED_OPTIONS.get(platform_for_service(service), ()):
        value = options.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            missing.append(name)
    return missing


def missing_required_media(service: str, media_kinds: set[str] | list[str]) -> str:
    """ "" when the post's media suit `service`, else what it lacks ("image", "video" or "image or video")."""
    needed = REQUIRED_MEDIA.get(platform_for_service(service))
    if not needed or needed & set(media_kinds):
        return ""
    return " or ".join(sorted(needed))


@lru_cache(maxsize=1)
def network_configuration() -> dict[str, Any]:
    """Buffer's `/1/info/configuration.json` shape, extended with SocialHub's `x_` keys."""
    configuration: dict[str, Any] = json.loads(CONFIGURATION_PATH.read_text())
    return configuration


def network_limits(platform: str, service_type: str = "profile") -> dict[str, Any]:
    types: dict[str, dict[str, Any]] = network_configuration()["services"][platform]["types"]
    return types.get(service_type) or next(iter(types.values()))


# --- Uploaded media: what each network takes, the one table uploads and posts are checked against -------------
# Source: ../shared/reference/buffer-graphql/README.md, "Per-network limits (Buffer's help pages)": images
# "under 10 MB, JPG, PNG and HEIC on all networks (TikTok aside), GIF additionally on X, Facebook, LinkedIn,
# Instagram, Mastodon and Pinterest. WebP is not listed." Whether a network takes images or videos at all is
# configuration.json's x_max_images / x_max_videos (YouTube no images, Google Business no videos).
# The reference is silent on video sizes and durations and on image dimensions: no per-network number is
# invented for them; the general caps (MEDIA_MAX_VIDEO_BYTES, MEDIA_MAX_VIDEO_SECONDS, MEDIA_MAX_IMAGE_PIXELS)
# apply to every upload. Instagram's feed aspect ratio (4:5 to 1.91:1) is the one ratio rule, from issue 16
# (Instagram's own rule for feed photos); the Buffer reference does not state it.
IMAGE_TYPES = frozenset({"jpeg", "png", "heic", "gif"})
VIDEO_TYPES = frozenset({"mp4", "mov"})
_GIF_PLATFORMS = frozenset({"twitter", "facebook", "linkedin", "instagram", "mastodon", "pinterest"})
MAX_IMAGE_BYTES = 10 * 1024 * 1024  # "under 10 MB" on every network
ASPECT_RATIOS: dict[str, tuple[float, float]] = {"instagram": (4 / 5, 1.91)}


@lru_cache(maxsize=32)
def media_limits(platform: str) -> dict[str, Any]:
    """What `platform` accepts as uploaded media: `image_types`, `video_types` (our type names: jpeg, png,
    heic, gif, mp4, mov), `max_image_bytes`, `aspect_ratio` ((min, max) width/height or None),
    `max_video_bytes` and `max_video_seconds` (None: the reference documents none)."""
    platform = platform_for_service(platform)
    limits = network_limits(platform)
    image_types = set(IMAGE_TYPES) if limits["x_max_images"] > 0 else set()
    if platform not in _GIF_PLATFORMS:
        image_types.discard("gif")
    return {
        "name": limits["name"],
        "image_types": frozenset(image_types),
        "video_types": VIDEO_TYPES if limits["x_max_videos"] > 0 else frozenset(),
        "max_image_bytes": MAX_IMAGE_BYTES,
        "aspect_ratio": ASPECT_RATIOS.get(platform),
        "max_video_bytes": None,
        "max_video_seconds": None,
    }
