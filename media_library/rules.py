"""Whether a stored or uploaded file suits the networks it is meant for: one function, used at upload (against
the strictest of the targets) and when a post takes a library item (against the post's network)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from buffer_integration.platforms import media_limits
from media_library.validation import TYPES


class MediaFacts(Protocol):
    kind: str
    content_type: str
    size_bytes: int
    width: int | None
    height: int | None
    duration_seconds: float | None


def type_name(content_type: str) -> str:
    """Our type name (jpeg, png, gif, heic, mp4, mov) of a stored content type."""
    return next((t.name for t in TYPES.values() if content_type in t.content_types), "")


def _ratio_error(facts: MediaFacts, name: str, ratio: tuple[float, float]) -> str:
    if not facts.width or not facts.height:
        return ""
    low, high = ratio
    actual = facts.width / facts.height
    if low - 1e-3 <= actual <= high + 1e-3:
        return ""
    return (
        f"{name} takes images from {low:.2f}:1 (portrait 4:5) to {high:.2f}:1 (landscape) wide; "
        f"this one is {facts.width}x{facts.height} ({actual:.2f}:1)."
    )


def platform_media_errors(facts: MediaFacts, platform: str) -> list[str]:
    """What is wrong with the file for `platform` (the limits table, buffer_integration.platforms.media_limits)."""
    limits = media_limits(platform)
    name = limits["name"]
    kind_name = type_name(facts.content_type)
    errors: list[str] = []
    if facts.kind == "image":
        if kind_name not in limits["image_types"]:
            allowed = ", ".join(sorted(t.upper() for t in limits["image_types"])) or "no images"
            return [f"{name} does not take {kind_name.upper()} images (it takes {allowed})."]
        if facts.size_bytes >= limits["max_image_bytes"]:
            errors.append(f"{name} takes images under {limits['max_image_bytes'] // (1024 * 1024)} MB.")
        if limits["aspect_ratio"] and (message := _ratio_error(facts, name, limits["aspect_ratio"])):
            errors.append(message)
        return errors
    if kind_name not in limits["video_types"]:
        allowed = ", ".join(sorted(t.upper() for t in limits["video_types"])) or "no videos"
        return [f"{name} does not take {kind_name.upper()} videos (it takes {allowed})."]
    if limits["max_video_bytes"] and facts.size_bytes > limits["max_video_bytes"]:
        errors.append(f"{name} takes videos up to {limits['max_video_bytes']} bytes.")
    seconds = limits["max_video_seconds"]
    if seconds and facts.duration_seconds and facts.duration_seconds > seconds:
        errors.append(f"{name} takes videos up to {seconds} s; this one is {facts.duration_seconds:.0f} s.")
    return errors


def media_fit_errors(facts: MediaFacts, *, platforms: Iterable[str]) -> list[str]:
    """Every target's complaints: a file meant for several networks must suit the strictest of them."""
    errors: list[str] = []
    for platform in dict.fromkeys(platforms):
        for message in platform_media_errors(facts, platform):
            if message not in errors:
                errors.append(message)
    return errors
