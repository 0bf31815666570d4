"""Buffer's GraphQL API (`POST https://api.buffer.com`, reference §10) implementation of `BufferBackend`.

Vocabulary: Buffer profiles are GraphQL channels, updates are posts. Transport, retries, backoff and
token scrubbing are `http.py`'s, shared with v1; this module knows the documents and the error model.

GraphQL answers HTTP 200 for nearly everything, so failures are read from the body (`graphql_wire`):

- HTTP 401/403, `errors[]` UNAUTHORIZED/FORBIDDEN, UnauthorizedError → BufferAuthError
- `errors[]` NOT_FOUND, NotFoundError → BufferNotFound
- InvalidInputError, any other MutationError, a query Buffer refuses → BufferRejected(Buffer's message)
- LimitReachedError, 429 RATE_LIMIT_EXCEEDED (`retryAfter` in the body) → BufferRateLimited: back off
- `errors[]` INTERNAL_SERVER_ERROR, UnexpectedError → BufferUnavailable (BufferOutcomeUnknown for writes)
- HTTP 5xx, timeouts, connection errors → exactly as v1 (`http.py`)

What GraphQL cannot do (yet): per-post statistics and interactions (`BufferUnsupported`; ask
`ensure_supported` first), posting schedules (profiles come back with `schedules=[]`), queue reorder.
Edits use `editPost` (Buffer documents it since reference §10 was written), so an update keeps its id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests

from buffer_integration.backends.base import BufferInteraction, BufferProfile, BufferUpdate, BufferUser, UpdateDraft
from buffer_integration.backends.graphql_wire import (
    ACCOUNT,
    CREATE,
    EDIT,
    UNSUPPORTED,
    channel_query,
    channels_query,
    delete_mutation,
    map_graphql_errors,
    map_graphql_http_error,
    mutation_error,
    parse_account,
    parse_channel,
    parse_post,
    post_input,
    post_query,
    posts_query,
)
from buffer_integration.backends.http import (
    DEFAULT_BACKOFF_BASE,
    DEFAULT_MAX_RETRIES,
    DEFAULT_RETRY_AFTER_CAP,
    DEFAULT_TIMEOUTS,
    JsonHttpClient,
)
from buffer_integration.exceptions import (
    BufferNotFound,
    BufferOutcomeUnknown,
    BufferUnavailable,
    BufferUnsupported,
)
from buffer_integration.platforms import network_configuration

__all__ = ["GraphQLBackend"]

PAGE_SIZE = 100
MAX_PAGES = 1000  # safety net against a server whose cursors never end


class GraphQLBackend:
    """One API key's view of Buffer through the GraphQL API."""

    # Buffer's per-client limit (requests, seconds), for our own throttle; v1's is (60, 60).
    rate_limit = (100, 15 * 60)
    # Features callers must not ask for: `ensure_supported` raises BufferUnsupported with the text.
    unsupported = UNSUPPORTED

    def __init__(
        self,
        access_token: str,
        *,
        url: str,
        session: requests.Session | None = None,
        timeouts: tuple[float, float] = DEFAULT_TIMEOUTS,
        max_retries: int = DEFAULT_MAX_RETRIES,
        backoff_base: float = DEFAULT_BACKOFF_BASE,
        sleep: Callable[[float], Any] = time.sleep,
        retry_after_cap: float = DEFAULT_RETRY_AFTER_CAP,
    ):
        self._http = JsonHttpClient(
            access_token,
            base_url=(url or "").strip(),
            session=session,
            timeouts=timeouts,
            max_retries=max_retries,
            backoff_base=backoff_base,
            retry_after_cap=retry_after_cap,
            sleep=sleep,
            error_mapper=map_graphql_http_error,
        )
        self._path = urlsplit(self._http.base_url).path or "/"
        self._organization_id: str | None = None  # an API key belongs to one account: ask once

    def __repr__(self) -> str:
        return f"GraphQLBackend(url={self._http.base_url!r})"

    # -- plumbing ------------------------------------------------------------------------------

    def _call(self, document: str, operation: str, variables: dict | None = None, *, write: bool = False) -> dict:
        body = {"query": document, "variables": variables or {}, "operationName": operation}
        payload = self._http.request(
            "POST", "", json_body=body, idempotent=not write, log_path=f"{self._path} {operation}"
        )
        if not isinstance(payload, dict):
            return self._shape(write, operation)
        if payload.get("errors"):
            err = map_graphql_errors(payload["errors"], write=write)
            err.message = self._http.scrub(err.message)
            err.args = (err.message,)
            raise err
        data = payload.get("data")
        return data if isinstance(data, dict) else self._shape(write, operation)

    @staticmethod
    def _shape(write: bool, operation: str) -> Any:
        if write:
            raise BufferOutcomeUnknown(f"Buffer answered {operation} with an unexpected shape; it may have applied it")
        raise BufferUnavailable(f"Buffer answered {operation} with an unexpected shape")

    def _mutate(self, document: str, operation: str, variables: dict | None = None, *, ok: str) -> dict:
        """The payload union of a one-field mutation named like its operation (CreatePost → createPost)."""
        field = operation[0].lower() + operation[1:]
        result = self._call(document, operation, variables, write=True).get(field)
        if not isinstance(result, dict):
            self._shape(True, operation)
        if result.get("__typename") != ok:
            err = mutation_error(result)
            err.message = self._http.scrub(err.message)
            err.args = (err.message,)
            raise err
        return result

    def _organization(self) -> str:
        if self._organization_id is None:
            self.get_user()
        if not self._organization_id:
            raise BufferNotFound("This Buffer account has no organization")
        return self._organization_id

    def _posts(self, profile_id: str, status: str) -> list[BufferUpdate]:
        """Every post of a channel in one status, following the cursors (forward only, as Buffer)."""
        organization, after = self._organization(), None
        updates: dict[str, BufferUpdate] = {}
        for _ in range(MAX_PAGES):
            document = posts_query(organization, profile_id, status, first=PAGE_SIZE, after=after)
            page = self._call(document, "Posts").get("posts") or {}
            try:
                for edge in page["edges"]:
                    update = parse_post(edge["node"])
                    updates.setdefault(update.id, update)
                info = page["pageInfo"]
            except (KeyError, TypeError, AttributeError):
                return self._shape(False, "Posts")
            if not info.get("hasNextPage") or not info.get("endCursor"):
                break
            after = info["endCursor"]
        return list(updates.values())

    # -- BufferBackend -------------------------------------------------------------------------

    def get_user(self) -> BufferUser:
        account = self._call(ACCOUNT, "Account").get("account")
        if not isinstance(account, dict) or not account.get("id"):
            return self._shape(False, "Account")
        user, self._organization_id = parse_account(account)
        return user

    def list_profiles(self) -> list[BufferProfile]:
        channels = self._call(channels_query(self._organization()), "Channels").get("channels")
        if not isinstance(channels, list):
            return self._shape(False, "Channels")
        return [parse_channel(c) for c in channels if isinstance(c, dict) and c.get("id")]

    def get_profile(self, profile_id: str) -> BufferProfile:
        channel = self._call(channel_query(profile_id), "Channel").get("channel")
        if not isinstance(channel, dict):
            raise BufferNotFound("Channel not found.")
        return parse_channel(channel)

    def create_update(self, draft: UpdateDraft) -> BufferUpdate:
        result = self._mutate(CREATE, "CreatePost", {"input": post_input(draft)}, ok="PostActionSuccess")
        return self._post_of(result, "CreatePost")

    def edit_update(self, update_id: str, draft: UpdateDraft) -> BufferUpdate:
        """editPost keeps the post's id. The draft is the whole new state (text, assets); without
        `now`/`scheduled_at` the post keeps its time, as with v1."""
        data = {"id": update_id, **post_input(draft)}
        del data["channelId"], data["schedulingType"]
        if draft.scheduled_at is None and not draft.now:
            del data["mode"]  # no mode = no scheduling change (Buffer's EditPostInput)
        data.setdefault("assets", [])  # an empty list clears the old assets; omitting would keep them
        return self._post_of(self._mutate(EDIT, "EditPost", {"input": data}, ok="PostActionSuccess"), "EditPost")

    def _post_of(self, result: dict, operation: str) -> BufferUpdate:
        post = result.get("post")
        if not isinstance(post, dict) or not post.get("id"):
            self._shape(True, operation)
        return parse_post(post)

    def destroy_update(self, update_id: str) -> None:
        self._mutate(delete_mutation(update_id), "DeletePost", ok="DeletePostSuccess")

    def get_update(self, update_id: str) -> BufferUpdate:
        post = self._call(post_query(update_id), "Post").get("post")
        if not isinstance(post, dict):
            raise BufferNotFound("Post not found.")
        return parse_post(post)

    def list_pending(self, profile_id: str, *, since: datetime | None = None) -> list[BufferUpdate]:
        """Created after `since` (as v1), soonest due first; unscheduled last."""
        updates = self._posts(profile_id, "scheduled")
        if since is not None:
            updates = [u for u in updates if u.created_at is not None and u.created_at > since]
        far = datetime.max.replace(tzinfo=UTC)
        return sorted(updates, key=lambda u: u.due_at or far)

    def list_sent(self, profile_id: str, *, since: datetime | None = None) -> list[BufferUpdate]:
        """Sent after `since` (as v1), most recent first."""
        updates = self._posts(profile_id, "sent")
        if since is not None:
            updates = [u for u in updates if u.sent_at is not None and u.sent_at > since]
        epoch = datetime.min.replace(tzinfo=UTC)
        return sorted(updates, key=lambda u: u.sent_at or epoch, reverse=True)

    def list_interactions(self, update_id: str, *, event: str = "comment") -> list[BufferInteraction]:
        raise BufferUnsupported(UNSUPPORTED["interactions"])

    def get_configuration(self) -> dict:
        """GraphQL has no configuration endpoint: our bundled table (the v1 shape) stands in."""
        return network_configuration()
