"""What Buffer's createPost / editPost refuse although the document is valid against the schema.

Each rule cites where it comes from (all collected in ../shared/reference/buffer-graphql/README.md).
Problems are gathered, not raised one by one, because Buffer reports them together:
`Invalid post: Instagram posts require at least one image or video., Instagram posts require a type
(post, story, or reel).` (a recorded real answer, damusix/buffer-mcp docs/evidence/real-response/).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

# `AssetInput.link` is removed on this day: "Use metadata.{service}.linkAttachment instead. This
# field will be removed on December 15, 2026." (developers.buffer.com/types/AssetInput.md)
LINK_ASSET_REMOVED_AT = int(datetime(2026, 12, 15, tzinfo=UTC).timestamp())
# Only these metadata inputs have `linkAttachment` (developers.buffer.com/types/*PostMetadataInput.md).
LINK_ATTACHMENT_SERVICES = ("facebook", "linkedin", "threads", "bluesky")
# The networks Buffer's API publishes to (developers.buffer.com guides): TikTok is not among them.
UNPUBLISHABLE = {"tiktok": "TikTok posts can't be published through Buffer's API yet."}
# CreatePostInput.metadata keys per channel service (PostInputMetaData): Google's key is `google`.
METADATA_KEY = {"googlebusiness": "google"}
YOUTUBE_TITLE_MAX = 100


def link_asset_available(now: int) -> bool:
    return now < LINK_ASSET_REMOVED_AT


def metadata_of(service: str, data: dict[str, Any]) -> dict[str, Any]:
    """The metadata block for the channel's own service (another service's block is ignored)."""
    metadata = data.get("metadata") or {}
    return metadata.get(METADATA_KEY.get(service, service)) or {}


def _kinds(assets: list[dict]) -> set[str]:
    return {kind for asset in assets for kind in ("image", "video", "document", "link") if asset.get(kind)}


def asset_problems(assets: list[dict]) -> list[str]:
    """`AssetInput` is `@oneOf` (changelog 2026-05-12): exactly one kind per asset. graphql-core
    enforces it on literals and variables; this is the belt for inputs built in code."""
    return [
        f"Each asset must set exactly one of image, video, document (asset {i + 1} sets {len(set_)})."
        for i, set_ in enumerate([k for k in ("image", "video", "document", "link") if a.get(k)] for a in assets)
        if len(set_) != 1
    ]


def link_attachment_problems(service: str, data: dict[str, Any], assets: list[dict]) -> list[str]:
    """`linkAttachment` cannot be combined with a non-empty `assets` array (README rule 2)."""
    block = metadata_of(service, data)
    if service in LINK_ATTACHMENT_SERVICES and block.get("linkAttachment") and assets:
        return ["A link attachment can't be combined with other assets."]
    return []


def _instagram_problems(kinds: set[str], block: dict[str, Any], boards: list[str]) -> list[str]:
    problems: list[str] = []
    if not kinds & {"image", "video"}:
        problems.append("Instagram posts require at least one image or video.")
    if not block.get("type"):
        problems.append("Instagram posts require a type (post, story, or reel).")
    return problems


def _pinterest_problems(kinds: set[str], block: dict[str, Any], boards: list[str]) -> list[str]:
    problems: list[str] = []
    if "image" not in kinds:
        problems.append("Pinterest posts require an image.")
    board = block.get("boardServiceId")
    if not board:
        problems.append("Pinterest posts require a board (boardServiceId).")
    elif board not in boards:
        problems.append(f"Pinterest board {board} was not found on this channel.")
    return problems


def _youtube_problems(kinds: set[str], block: dict[str, Any], boards: list[str]) -> list[str]:
    problems: list[str] = []
    if "video" not in kinds:
        problems.append("YouTube posts require a video.")
    title = block.get("title") or ""
    if not title.strip():
        problems.append("YouTube posts require a title.")
    elif len(title) > YOUTUBE_TITLE_MAX:
        problems.append(f"YouTube titles can be at most {YOUTUBE_TITLE_MAX} characters.")
    if not block.get("categoryId"):
        problems.append("YouTube posts require a category (categoryId).")
    return problems


def _googlebusiness_problems(kinds: set[str], block: dict[str, Any], boards: list[str]) -> list[str]:
    if not block.get("type"):
        return ["Google Business Profile posts require a type (whats_new, offer, or event)."]
    return []


# service -> what createPost requires of it, from (asset kinds, metadata block, the channel's boards).
_CREATE_PROBLEMS: dict[str, Callable[[set[str], dict[str, Any], list[str]], list[str]]] = {
    "instagram": _instagram_problems,
    "pinterest": _pinterest_problems,
    "youtube": _youtube_problems,
    "googlebusiness": _googlebusiness_problems,
}


def create_problems(service: str, service_type: str, data: dict[str, Any], *, boards: list[str]) -> list[str]:
    """Per-network requirements on createPost (README rule 1); `boards` are the channel's Pinterest
    board service ids."""
    if service in UNPUBLISHABLE:
        return [UNPUBLISHABLE[service]]
    assets = list(data.get("assets") or [])
    kinds, block = _kinds(assets), metadata_of(service, data)
    problems = asset_problems(assets) + link_attachment_problems(service, data, assets)
    if network_problems := _CREATE_PROBLEMS.get(service):
        problems += network_problems(kinds, block, boards)
    elif service == "facebook" and service_type == "group" and data.get("schedulingType") != "notification":
        # Facebook groups are reminder-only (Buffer's n8n node, bufferapp/buffer-n8n).
        problems.append("Facebook group posts can only be published as notifications.")
    return problems


def edit_problems(service: str, data: dict[str, Any], *, boards: list[str]) -> list[str]:
    """editPost: fields left out keep their value ("Required on create; optional on edit"), but what
    is sent must still be valid."""
    problems: list[str] = []
    if data.get("assets") is not None:
        problems += asset_problems(data["assets"]) + link_attachment_problems(service, data, data["assets"])
    block = metadata_of(service, data)
    if service == "youtube" and block.get("title") is not None and len(block["title"]) > YOUTUBE_TITLE_MAX:
        problems.append(f"YouTube titles can be at most {YOUTUBE_TITLE_MAX} characters.")
    if service == "pinterest" and block.get("boardServiceId") and block["boardServiceId"] not in boards:
        problems.append(f"Pinterest board {block['boardServiceId']} was not found on this channel.")
    return problems


def invalid_post(problems: list[str]) -> str:
    return "Invalid post: " + ", ".join(problems)
