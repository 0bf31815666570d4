"""Buffer's GraphQL API on the wire: the documents we send, their answers parsed, its errors typed.

Pure functions, no I/O: `graphql.py` sends the documents. Only fields Buffer documents (reference §10)
are selected, so a schema we do not know cannot reject our queries.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from buffer_integration.backends.base import BufferProfile, BufferUpdate, BufferUser, DraftAsset, UpdateDraft
from buffer_integration.backends.http import HttpResult
from buffer_integration.exceptions import (
    BufferAuthError,
    BufferError,
    BufferNotFound,
    BufferOutcomeUnknown,
    BufferRateLimited,
    BufferRejected,
    BufferUnavailable,
)
from buffer_integration.platforms import LINK_ATTACHMENT_PLATFORMS, option_defaults, platform_for_service

STATUS = {"sent": "sent", "error": "error"}  # everything else (scheduled, sending, ...) is still pending
# Comments/interactions are not in the GraphQL API (README rule 8); statistics are (`Post.metrics`).
UNSUPPORTED = {"interactions": "Buffer's GraphQL API offers no comments/interactions yet."}
STATISTICS_NOTE = "Statistics are refreshed daily by Buffer."
# Buffer's PostStatus values behind our three: pending is everything not yet out.
STATUS_FILTER = {"buffer": ["draft", "needs_approval", "scheduled", "sending"], "sent": ["sent"], "error": ["error"]}

_POST = (
    "id status text dueAt sentAt createdAt updatedAt channelId externalLink assets { type source thumbnail } "
    "metrics { type value unit } metricsUpdatedAt"
)
_CHANNEL = (
    "id name displayName service type avatar timezone isLocked isDisconnected organizationId "
    "postingSchedule { day times paused } "
    "metadata { __typename ... on PinterestMetadata { boards { serviceId name } } }"
)
_RESULT = f"__typename ... on PostActionSuccess {{ post {{ {_POST} }} }} ... on MutationError {{ message }}"

# Ids are written into the document as literals, not passed as `$id: ID!` variables: Buffer types
# them with its own scalars (ChannelId, PostId, OrganizationId), and a variable of another type is a
# validation error. Whole inputs go as variables only where Buffer documents the input type's name.
ACCOUNT = "query Account { account { id timezone organizations { id } } }"
CREATE = f"mutation CreatePost($input: CreatePostInput!) {{ createPost(input: $input) {{ {_RESULT} }} }}"
EDIT = f"mutation EditPost($input: EditPostInput!) {{ editPost(input: $input) {{ {_RESULT} }} }}"


def literal(value: str) -> str:
    """A GraphQL string literal (JSON's string syntax is a subset of GraphQL's)."""
    return json.dumps(str(value), ensure_ascii=False)


def channels_query(organization_id: str) -> str:
    return f"query Channels {{ channels(input: {{organizationId: {literal(organization_id)}}}) {{ {_CHANNEL} }} }}"


def channel_query(channel_id: str) -> str:
    return f"query Channel {{ channel(input: {{id: {literal(channel_id)}}}) {{ {_CHANNEL} }} }}"


def post_query(post_id: str) -> str:
    return f"query Post {{ post(input: {{id: {literal(post_id)}}}) {{ {_POST} }} }}"


POSTS = (
    "query Posts($input: PostsInput!, $first: Int, $after: String) "
    "{ posts(input: $input, first: $first, after: $after) "
    f"{{ edges {{ node {{ {_POST} }} }} pageInfo {{ hasNextPage endCursor }} }} }}"
)


def _window(start: datetime | None, end: datetime | None) -> dict[str, str] | None:
    window = {key: _iso(dt) for key, dt in (("start", start), ("end", end)) if dt is not None}
    return window or None


def posts_input(
    organization_id: str,
    channel_ids: list[str],
    *,
    status: str = "",
    due_after: datetime | None = None,
    due_before: datetime | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
) -> dict[str, Any]:
    """`PostsInput`: Buffer filters by channel, status and `dueAt`/`createdAt` windows and sorts (README
    rule 7), so we never page through an organization's posts to pick ours locally."""
    filters: dict[str, Any] = {"channelIds": list(channel_ids)}
    if status:
        filters["status"] = STATUS_FILTER[status]
    if due := _window(due_after, due_before):
        filters["dueAt"] = due
    if created := _window(created_after, created_before):
        filters["createdAt"] = created
    # Oldest first: new posts land on later pages, so a post created while we page is not skipped.
    sort = [{"field": "createdAt", "direction": "asc"}]
    return {"organizationId": organization_id, "filter": filters, "sort": sort}


def delete_mutation(post_id: str) -> str:
    result = "__typename ... on MutationError { message }"
    return f"mutation DeletePost {{ deletePost(input: {{id: {literal(post_id)}}}) {{ {result} }} }}"


AUTH_CODES = {"UNAUTHORIZED", "UNAUTHENTICATED", "FORBIDDEN"}
# Buffer's own server failure is `UNEXPECTED`, sent with HTTP 200 (README rule 4): after a write the
# write may have landed, so it is an unknown outcome, never a refusal.
SERVER_CODES = {"UNEXPECTED", "INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "UNEXPECTED_ERROR"}


def _first_error(errors: Any) -> tuple[str, str, dict[str, Any]]:
    """(code, message, extensions) of the first `errors[]` entry; blanks when it has none."""
    first: dict[str, Any] = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    extensions = first.get("extensions")
    if not isinstance(extensions, dict):
        extensions = {}
    message = first.get("message")
    if not isinstance(message, str):
        message = ""
    return str(extensions.get("code") or ""), message.strip(), extensions


def _auth_error(detail: str, *, status: int | None = None) -> BufferAuthError:
    # The same words as v1's, so what users and the engine record does not depend on the API.
    return BufferAuthError(
        f"Buffer rejected the access token ({detail})" if detail else "Buffer rejected the access token", status=status
    )


def map_graphql_errors(errors: Any, *, write: bool, status: int | None = None) -> BufferError:
    """A top-level `errors[]` → a typed failure (Buffer's "non-recoverable" category)."""
    code, message, extensions = _first_error(errors)
    message = message or f"Buffer answered with an error ({code or 'no code'})"
    if code in AUTH_CODES:
        return _auth_error(message, status=status)
    if code == "NOT_FOUND":
        return BufferNotFound(message, status=status)
    if code == "RATE_LIMIT_EXCEEDED":
        retry_after = extensions.get("retryAfter")
        seconds = float(retry_after) if isinstance(retry_after, (int, float)) else None
        return BufferRateLimited(message, status=status or 429, retry_after=seconds)
    if code in SERVER_CODES:
        cls = BufferOutcomeUnknown if write else BufferUnavailable
        return cls(f"Buffer failed ({message}); a write may or may not have been applied", status=status)
    return BufferRejected(message, status=status)


def map_graphql_http_error(result: HttpResult) -> BufferError:
    """A final 4xx answer (not 429). 404/405 mean a wrong endpoint URL, not a missing object."""
    if result.status in (404, 405):
        return BufferUnavailable(f"No Buffer GraphQL API at this URL (HTTP {result.status}): check the setting")
    errors = result.payload.get("errors") if isinstance(result.payload, dict) else None
    if result.status in (401, 403):
        _, message, _ = _first_error(errors)
        return _auth_error(message, status=result.status)
    return map_graphql_errors(errors, write=True, status=result.status)


def mutation_error(payload: dict[str, Any]) -> BufferError:
    """A payload union member that is not the success type (Buffer's "recoverable" category)."""
    typename = str(payload.get("__typename") or "")
    message = str(payload.get("message") or f"Buffer refused the request ({typename or 'unknown result'})")
    if typename == "NotFoundError":
        return BufferNotFound(message)
    if typename == "VoidMutationError" and "not found" in message.lower():
        # DeletePostPayload has no NotFoundError member (README rule 4): Buffer says it in the message.
        return BufferNotFound(message)
    if typename == "UnauthorizedError":
        return _auth_error(message)
    if typename == "LimitReachedError":
        return BufferRateLimited(message)  # a posting limit: back off, the engine decides when to retry
    if typename == "UnexpectedError":
        return BufferOutcomeUnknown(f"Buffer failed ({message}); it may or may not have been applied")
    return BufferRejected(message)  # InvalidInputError and any MutationError we do not know


def _dt(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def _iso(dt: datetime) -> str:
    return (dt if dt.tzinfo else dt.replace(tzinfo=UTC)).astimezone(UTC).isoformat().replace("+00:00", "Z")


def _s(value: Any) -> str:
    return value if isinstance(value, str) else "" if value is None else str(value)


def parse_account(obj: dict[str, Any]) -> tuple[BufferUser, list[str]]:
    """(the user, the ids of every organization the key sees: README rule 6)."""
    organizations = [_s(o["id"]) for o in obj.get("organizations") or [] if isinstance(o, dict) and o.get("id")]
    user = BufferUser(id=_s(obj["id"]), timezone=_s(obj.get("timezone")) or "UTC")
    return user, organizations


DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_schedule(slots: Any) -> list[dict[str, Any]]:
    """`Channel.postingSchedule` (one ScheduleV2 per day) → v1's shape, days with the same times together;
    a paused day has no slots."""
    by_times: dict[tuple[str, ...], list[str]] = {}
    for slot in slots if isinstance(slots, list) else []:
        if not isinstance(slot, dict) or slot.get("paused") or slot.get("day") not in DAYS:
            continue
        times = tuple(sorted(_s(t) for t in slot.get("times") or [] if isinstance(t, str)))
        if times:
            by_times.setdefault(times, []).append(slot["day"])
    return [
        {"days": sorted(days, key=DAYS.index), "times": list(times)}
        for times, days in sorted(by_times.items(), key=lambda item: DAYS.index(item[1][0]))
    ]


def parse_posting_days(slots: Any) -> list[dict[str, Any]]:
    """`Channel.postingSchedule` as it is, one entry per day Buffer names: `{"day", "times", "paused"}` (a paused
    day keeps its times: un-pausing it brings them back). Entries that are not ScheduleV2 objects are left out."""
    days: list[dict[str, Any]] = []
    for slot in slots if isinstance(slots, list) else []:
        if isinstance(slot, dict) and slot.get("day") in DAYS:
            times = sorted({t for t in slot.get("times") or [] if isinstance(t, str)})
            days.append({"day": slot["day"], "times": times, "paused": bool(slot.get("paused"))})
    return days


def parse_boards(metadata: Any) -> list[dict[str, Any]]:
    boards = metadata.get("boards") if isinstance(metadata, dict) else None
    return [
        {"id": _s(b["serviceId"]), "name": _s(b.get("name"))}
        for b in (boards if isinstance(boards, list) else [])
        if isinstance(b, dict) and b.get("serviceId")
    ]


def parse_channel(obj: dict[str, Any]) -> BufferProfile:
    return BufferProfile(
        id=_s(obj["id"]),
        service=_s(obj.get("service")),
        service_type=_s(obj.get("type")) or "profile",
        service_username=_s(obj.get("name")),
        formatted_username=_s(obj.get("displayName") or obj.get("name")),
        avatar_url=_s(obj.get("avatar")),
        timezone=_s(obj.get("timezone")) or "UTC",
        # A locked channel (over the plan's channel limit) cannot publish either: same as disconnected.
        is_disconnected=bool(obj.get("isDisconnected") or obj.get("isLocked")),
        schedules=parse_schedule(obj.get("postingSchedule")),
        posting_days=parse_posting_days(obj.get("postingSchedule")),
        organization_id=_s(obj.get("organizationId")),
        boards=parse_boards(obj.get("metadata")),
    )


def parse_metrics(metrics: Any) -> dict[str, int]:
    """`Post.metrics` → counts by metric type (percentages such as engagementRate are left out: ours is
    computed from the counts)."""
    counts: dict[str, int] = {}
    for metric in metrics if isinstance(metrics, list) else []:
        if not isinstance(metric, dict) or metric.get("unit") == "percentage" or not metric.get("type"):
            continue
        value = metric.get("value")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            counts[_s(metric["type"])] = max(0, round(value))
    return counts


def parse_post(obj: dict[str, Any]) -> BufferUpdate:
    media: dict[str, str] = {}
    for asset in obj.get("assets") or []:
        if asset.get("type") == "image" and asset.get("source") and "picture" not in media:
            media["picture"] = _s(asset["source"])
            media["thumbnail"] = _s(asset.get("thumbnail") or asset["source"])
        elif asset.get("type") == "video" and asset.get("source") and "video" not in media:
            media["video"] = _s(asset["source"])
    return BufferUpdate(
        id=_s(obj["id"]),
        profile_id=_s(obj.get("channelId")),
        status=STATUS.get(_s(obj.get("status")), "buffer"),
        text=_s(obj.get("text")),
        created_at=_dt(obj.get("createdAt")),
        due_at=_dt(obj.get("dueAt")),
        sent_at=_dt(obj.get("sentAt")),
        service_link=_s(obj.get("externalLink")),
        statistics=parse_metrics(obj.get("metrics")),
        media=media,
    )


_URL = re.compile(r"https?://[^\s<>\"']+", re.IGNORECASE)
# PostInputMetaData's key of each of our platforms (Buffer's Service enum says `googlebusiness`, the
# metadata input calls it `google`: developers.buffer.com/types/PostInputMetaData.md).
METADATA_KEY = {"googlebusiness": "google"}


def link_of(draft: UpdateDraft) -> str:
    """The post's link: the draft's own, else the first URL of the text (where Buffer users put it)."""
    if draft.link_url:
        return draft.link_url
    found = _URL.search(draft.text or "")
    return found.group(0).rstrip(".,;:!?)]}") if found else ""


def post_assets(draft: UpdateDraft) -> list[dict[str, Any]]:
    """`AssetInput` is @oneOf: one kind per asset. The `link` asset is never sent (removed 2026-12-15,
    developers.buffer.com/types/AssetInput.md): links go in the text and in `linkAttachment`."""
    if draft.assets:
        return [_asset_input(asset) for asset in draft.assets]
    assets: list[dict[str, Any]] = []
    if draft.photo_url:
        assets.append({"image": {"url": draft.photo_url, "thumbnailUrl": draft.photo_url}})
    if draft.video_url:
        assets.append({"video": {"url": draft.video_url}})
    return assets


def _asset_input(asset: DraftAsset) -> dict[str, Any]:
    """ImageAssetInput / VideoAssetInput. Alt text goes in `ImageMetadataInput.altText` (images only: the
    schema's VideoMetadataInput has no such field)."""
    if asset.kind == "video":
        video: dict[str, Any] = {"url": asset.url}
        if asset.thumbnail_url:
            video["thumbnailUrl"] = asset.thumbnail_url
        return {"video": video}
    image: dict[str, Any] = {"url": asset.url, "thumbnailUrl": asset.thumbnail_url or asset.url}
    if asset.alt_text:
        image["metadata"] = {"altText": asset.alt_text}
    return {"image": image}


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _thread(options: dict[str, Any]) -> list[dict[str, Any]]:
    parts = options.get("thread")
    if not isinstance(parts, list):
        parts = []
    return [{"text": part, "assets": []} for part in parts if isinstance(part, str) and part.strip()]


def _first_comment_and_link(options: dict[str, Any], link: str) -> dict[str, Any]:
    block: dict[str, Any] = {}
    if first_comment := _text(options.get("first_comment")):
        block["firstComment"] = first_comment
    if link:
        block["linkAttachment"] = {"url": link}
    return block


def _instagram_block(draft: UpdateDraft, options: dict[str, Any], link: str) -> dict[str, Any]:
    block: dict[str, Any] = {"type": options["type"], "shouldShareToFeed": bool(options["share_to_feed"])}
    if first_comment := _text(options.get("first_comment")):
        block["firstComment"] = first_comment
    return block


def _facebook_block(draft: UpdateDraft, options: dict[str, Any], link: str) -> dict[str, Any]:
    block = _first_comment_and_link(options, link)
    if block:
        block["type"] = "post"  # FacebookPostMetadataInput.type is required once the block is sent
    return block


def _linkedin_block(draft: UpdateDraft, options: dict[str, Any], link: str) -> dict[str, Any]:
    return _first_comment_and_link(options, link)


def _threaded_block(draft: UpdateDraft, options: dict[str, Any], link: str) -> dict[str, Any]:
    block: dict[str, Any] = {}
    if thread := _thread(options):
        block["thread"] = thread
    if link:
        block["linkAttachment"] = {"url": link}
    return block


def _pinterest_block(draft: UpdateDraft, options: dict[str, Any], link: str) -> dict[str, Any]:
    block: dict[str, Any] = {}
    if board_id := _text(options.get("board_id")):
        block["boardServiceId"] = board_id
    if title := _text(options.get("title")):
        block["title"] = title
    if pin_link := link_of(draft):
        block["url"] = pin_link  # where the Pin leads
    return block


def _youtube_block(draft: UpdateDraft, options: dict[str, Any], link: str) -> dict[str, Any]:
    block: dict[str, Any] = {}
    if title := _text(options.get("title")):
        block["title"] = title
    block["categoryId"] = _text(options["category_id"]) or "22"
    block["privacy"] = options["privacy"]
    return block


def _googlebusiness_block(draft: UpdateDraft, options: dict[str, Any], link: str) -> dict[str, Any]:
    return {"type": options["type"]}


# platform -> its metadata block from (draft, options with defaults, link attachment or "").
_METADATA_BLOCKS: dict[str, Callable[[UpdateDraft, dict[str, Any], str], dict[str, Any]]] = {
    "instagram": _instagram_block,
    "facebook": _facebook_block,
    "linkedin": _linkedin_block,
    "twitter": _threaded_block,
    "threads": _threaded_block,
    "bluesky": _threaded_block,
    "pinterest": _pinterest_block,
    "youtube": _youtube_block,
    "googlebusiness": _googlebusiness_block,
}


def post_metadata(draft: UpdateDraft) -> dict[str, Any] | None:
    """`PostInputMetaData` for the draft's network from its `network_options` (SocialHub's names), with
    Buffer's defaults where it has one (README "Rules the schema alone does not show", 1). None when the
    network needs nothing. Options not given are not sent, so on edit Buffer keeps the post's board or
    title (PinterestPostMetadataInput / YoutubePostMetadataInput: "optional on edit")."""
    platform = platform_for_service(draft.service)
    options = draft.network_options if isinstance(draft.network_options, dict) else {}
    options = {**option_defaults(platform), **{k: v for k, v in options.items() if v is not None}}
    assets = post_assets(draft)
    link = link_of(draft) if platform in LINK_ATTACHMENT_PLATFORMS and not assets else ""
    build = _METADATA_BLOCKS.get(platform)
    block = build(draft, options, link) if build is not None else {}
    if not block:
        return None
    return {METADATA_KEY.get(platform, platform): block}


def post_input(draft: UpdateDraft) -> dict[str, Any]:
    """UpdateDraft → CreatePostInput: `scheduled_at` wins over `now`, neither means the queue."""
    mode = "customScheduled" if draft.scheduled_at is not None else "shareNow" if draft.now else "addToQueue"
    data: dict[str, Any] = {
        "channelId": draft.profile_id,
        "text": draft.text,
        "schedulingType": "automatic",
        "mode": mode,
    }
    if draft.scheduled_at is not None:
        data["dueAt"] = _iso(draft.scheduled_at)
    if assets := post_assets(draft):
        data["assets"] = assets
    if metadata := post_metadata(draft):
        data["metadata"] = metadata
    return data


def edit_input(update_id: str, draft: UpdateDraft) -> dict[str, Any]:
    """UpdateDraft → EditPostInput. The draft is the whole new state (text, assets, metadata); without
    `now`/`scheduled_at` the post keeps its time (no `mode` = no scheduling change, EditPostInput)."""
    data = {"id": update_id, **post_input(draft)}
    del data["channelId"], data["schedulingType"]
    if draft.scheduled_at is None and not draft.now:
        del data["mode"]
    data.setdefault("assets", [])  # an empty list clears the old assets; omitting would keep them
    return data
