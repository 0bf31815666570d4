"""Buffer's GraphQL API on the wire: the documents we send, their answers parsed, its errors typed.

Pure functions, no I/O: `graphql.py` sends the documents. Only fields Buffer documents (reference §10)
are selected, so a schema we do not know cannot reject our queries.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from buffer_integration.backends.base import BufferProfile, BufferUpdate, BufferUser, UpdateDraft
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

STATUS = {"sent": "sent", "error": "error"}  # everything else (scheduled, sending, ...) is still pending
UNSUPPORTED = {
    "interactions": "Buffer's GraphQL API offers no comments/interactions yet.",
    "statistics": "Buffer's GraphQL API offers no per-post statistics yet.",
}

_POST = "id status text dueAt sentAt createdAt updatedAt channelId externalLink assets { type source thumbnail }"
_CHANNEL = "id name displayName service type avatar timezone isLocked isDisconnected"
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


def posts_query(organization_id: str, channel_id: str, status: str, *, first: int, after: str | None) -> str:
    """One page of a channel's posts in one status (`status` is a PostStatus enum value)."""
    cursor = f", after: {literal(after)}" if after else ""
    filters = f"filter: {{status: [{status}], channelIds: [{literal(channel_id)}]}}"
    where = f"organizationId: {literal(organization_id)}, {filters}"
    page = f"edges {{ node {{ {_POST} }} }} pageInfo {{ hasNextPage endCursor }}"
    return f"query Posts {{ posts(first: {int(first)}{cursor}, input: {{{where}}}) {{ {page} }} }}"


def delete_mutation(post_id: str) -> str:
    result = "__typename ... on MutationError { message }"
    return f"mutation DeletePost {{ deletePost(input: {{id: {literal(post_id)}}}) {{ {result} }} }}"


AUTH_CODES = {"UNAUTHORIZED", "UNAUTHENTICATED", "FORBIDDEN"}
SERVER_CODES = {"INTERNAL_SERVER_ERROR", "SERVICE_UNAVAILABLE", "UNEXPECTED_ERROR"}


def _first_error(errors: Any) -> tuple[str, str, dict]:
    """(code, message, extensions) of the first `errors[]` entry; blanks when it has none."""
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    extensions = first.get("extensions") if isinstance(first.get("extensions"), dict) else {}
    message = first.get("message") if isinstance(first.get("message"), str) else ""
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


def mutation_error(payload: dict) -> BufferError:
    """A payload union member that is not the success type (Buffer's "recoverable" category)."""
    typename = str(payload.get("__typename") or "")
    message = str(payload.get("message") or f"Buffer refused the request ({typename or 'unknown result'})")
    if typename == "NotFoundError":
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


def parse_account(obj: dict) -> tuple[BufferUser, str]:
    """(the user, the id of its first organization, or "" when it has none)."""
    organizations = [o for o in obj.get("organizations") or [] if isinstance(o, dict) and o.get("id")]
    user = BufferUser(id=_s(obj["id"]), timezone=_s(obj.get("timezone")) or "UTC")
    return user, _s(organizations[0]["id"]) if organizations else ""


def parse_channel(obj: dict) -> BufferProfile:
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
    )


def parse_post(obj: dict) -> BufferUpdate:
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
        media=media,
    )


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
    assets = []
    if draft.photo_url:
        assets.append({"image": {"url": draft.photo_url, "thumbnailUrl": draft.photo_url}})
    if draft.video_url:
        assets.append({"video": {"url": draft.video_url}})
    if draft.link_url:
        assets.append({"link": {"url": draft.link_url}})
    if assets:
        data["assets"] = assets
    return data
