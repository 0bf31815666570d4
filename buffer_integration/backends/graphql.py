"""Buffer's GraphQL API (`POST https://api.buffer.com`, reference §10) implementation of `BufferBackend`.

Vocabulary: Buffer profiles are GraphQL channels, updates are posts. Transport, retries, backoff and
token scrubbing are `http.py`'s, shared with v1; this module knows the documents and the error model.

GraphQL answers HTTP 200 for nearly everything, so failures are read from the body (`graphql_wire`):

- HTTP 401/403, `errors[]` UNAUTHORIZED/FORBIDDEN, UnauthorizedError → BufferAuthError
- `errors[]` NOT_FOUND, NotFoundError → BufferNotFound
- InvalidInputError, any other MutationError, a query Buffer refuses → BufferRejected(Buffer's message)
- LimitReachedError, 429 RATE_LIMIT_EXCEEDED (`Retry-After` header) → BufferRateLimited: back off
- `errors[]` UNEXPECTED (Buffer's server failure, sent with HTTP 200), UnexpectedError, a write answer we
  cannot read → BufferUnavailable for reads, BufferOutcomeUnknown for writes: the reconciler decides
- HTTP 5xx, timeouts, connection errors → exactly as v1 (`http.py`)

One API key sees every organization of the account (../shared/reference/buffer-graphql/README.md, rule 6):
profiles are listed per organization and posts queried per organization, with Buffer's own filters.
Statistics come from `Post.metrics` (refreshed daily by Buffer), posting schedules from
`Channel.postingSchedule`; comments/interactions are not in the API (`BufferUnsupported`).
Edits use `editPost`, so an update keeps its id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, NoReturn
from urllib.parse import urlsplit

import requests

from buffer_integration.backends.base import BufferInteraction, BufferProfile, BufferUpdate, BufferUser, UpdateDraft
from buffer_integration.backends.graphql_wire import (
    ACCOUNT,
    CREATE,
    EDIT,
    POSTS,
    STATISTICS_NOTE,
    UNSUPPORTED,
    channel_query,
    channels_query,
    delete_mutation,
    edit_input,
    map_graphql_errors,
    map_graphql_http_error,
    mutation_error,
    parse_account,
    parse_channel,
    parse_post,
    post_input,
    post_query,
    posts_input,
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
    # Shown where statistics appear: Buffer refreshes `Post.metrics` once a day (Post.metricsUpdatedAt).
    statistics_note = STATISTICS_NOTE

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
        self._organization_ids: list[str] | None = None  # an API key's organizations: asked once
        self._channel_organizations: dict[str, str] = {}

    def __repr__(self) -> str:
        return f"GraphQLBackend(url={self._http.base_url!r})"

    # -- plumbing ------------------------------------------------------------------------------

    def _call(
        self, document: str, operation: str, variables: dict[str, Any] | None = None, *, write: bool = False
    ) -> dict[str, Any]:
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
        if not isinstance(data, dict):
            self._shape(write, operation)
        return data

    @staticmethod
    def _shape(write: bool, operation: str) -> NoReturn:
        if write:
            raise BufferOutcomeUnknown(f"Buffer answered {operation} with an unexpected shape; it may have applied it")
        raise BufferUnavailable(f"Buffer answered {operation} with an unexpected shape")

    def _mutate(
        self, document: str, operation: str, variables: dict[str, Any] | None = None, *, ok: str
    ) -> dict[str, Any]:
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

    def _organizations(self) -> list[str]:
        """Every organization of the key (README rule 6): one Account request per backend, then cached."""
        if self._organization_ids is None:
            self.get_user()
        if not self._organization_ids:
            raise BufferNotFound("This Buffer account has no organization")
        return self._organization_ids

    def _organization_of(self, channel_id: str) -> str:
        """The organization holding a channel, for at most one request: known from list_profiles or
        get_profile, the key's only organization once get_user has run, else one Channel request."""
        if channel_id in self._channel_organizations:
            return self._channel_organizations[channel_id]
        if self._organization_ids is not None and len(self._organization_ids) == 1:
            return self._organization_ids[0]
        return self.get_profile(channel_id).organization_id or self._organizations()[0]

    def _remember(self, profile: BufferProfile) -> BufferProfile:
        if profile.organization_id:
            self._channel_organizations[profile.id] = profile.organization_id
        return profile

    def _posts(self, variables: dict[str, Any]) -> list[BufferUpdate]:
        """Every post matching a `PostsInput`, following the cursors (forward only, as Buffer)."""
        after = None
        updates: dict[str, BufferUpdate] = {}
        for _ in range(MAX_PAGES):
            page: Any = self._call(POSTS, "Posts", {"input": variables, "first": PAGE_SIZE, "after": after}).get(
                "posts"
            )
            try:
                for edge in page.get("edges") or []:
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
        user, self._organization_ids = parse_account(account)
        return user

    def list_profiles(self) -> list[BufferProfile]:
        """The channels of every organization of the key, each with its `organization_id`."""
        profiles: list[BufferProfile] = []
        for organization in self._organizations():
            channels = self._call(channels_query(organization), "Channels").get("channels")
            if not isinstance(channels, list):
                return self._shape(False, "Channels")
            for channel in channels:
                if isinstance(channel, dict) and channel.get("id"):
                    profile = parse_channel(channel)
                    if not profile.organization_id:
                        profile = replace(profile, organization_id=organization)
                    profiles.append(self._remember(profile))
        return profiles

    def get_profile(self, profile_id: str) -> BufferProfile:
        channel = self._call(channel_query(profile_id), "Channel").get("channel")
        if not isinstance(channel, dict):
            raise BufferNotFound("Channel not found.")
        return self._remember(parse_channel(channel))

    def create_update(self, draft: UpdateDraft) -> BufferUpdate:
        result = self._mutate(CREATE, "CreatePost", {"input": post_input(draft)}, ok="PostActionSuccess")
        return self._post_of(result, "CreatePost")

    def edit_update(self, update_id: str, draft: UpdateDraft) -> BufferUpdate:
        """editPost keeps the post's id; without `now`/`scheduled_at` the post keeps its time, as with v1."""
        data = edit_input(update_id, draft)
        return self._post_of(self._mutate(EDIT, "EditPost", {"input": data}, ok="PostActionSuccess"), "EditPost")

    def _post_of(self, result: dict[str, Any], operation: str) -> BufferUpdate:
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
        """Created after `since` (as v1; filtered at Buffer), soonest due first; unscheduled last."""
        updates = self.find_updates([profile_id], status="buffer", created_after=since)
        if since is not None:
            updates = [u for u in updates if u.created_at is not None and u.created_at > since]
        far = datetime.max.replace(tzinfo=UTC)
        return sorted(updates, key=lambda u: u.due_at or far)

    def list_sent(self, profile_id: str, *, since: datetime | None = None) -> list[BufferUpdate]:
        """Sent after `since` (as v1), most recent first. Buffer has no `sentAt` filter, and neither
        `dueAt` nor `createdAt` bounds the send time, so `since` is applied here."""
        updates = self.find_updates([profile_id], status="sent")
        if since is not None:
            updates = [u for u in updates if u.sent_at is not None and u.sent_at > since]
        epoch = datetime.min.replace(tzinfo=UTC)
        return sorted(updates, key=lambda u: u.sent_at or epoch, reverse=True)

    def find_updates(
        self,
        profile_ids: list[str],
        *,
        organization_id: str = "",
        status: str = "",
        due_after: datetime | None = None,
        due_before: datetime | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
    ) -> list[BufferUpdate]:
        """Posts of these channels, filtered and sorted by Buffer (README rule 7). Channels are grouped by
        organization: pass `organization_id` (SocialAccount.buffer_organization_id) and no lookup is made;
        else each unknown channel's organization costs one Channel request."""
        if not profile_ids:
            return []
        groups: dict[str, list[str]] = {}
        for profile_id in dict.fromkeys(profile_ids):
            groups.setdefault(organization_id or self._organization_of(profile_id), []).append(profile_id)
        window = {"due_after": due_after, "due_before": due_before}
        window |= {"created_after": created_after, "created_before": created_before}
        updates: list[BufferUpdate] = []
        for organization, channel_ids in groups.items():
            updates += self._posts(posts_input(organization, channel_ids, status=status, **window))
        return updates

    def list_interactions(self, update_id: str, *, event: str = "comment") -> list[BufferInteraction]:
        raise BufferUnsupported(UNSUPPORTED["interactions"])

    def get_configuration(self) -> dict[str, Any]:
        """GraphQL has no configuration endpoint: our bundled table (the v1 shape) stands in."""
        return network_configuration()
