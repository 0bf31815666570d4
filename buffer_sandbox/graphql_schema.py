"""Buffer's GraphQL schema, read from the real schema file, with resolvers for what clients use.

Built with graphql-core, so requests are parsed and validated like a real GraphQL server would: an
unknown field, a wrong enum value or a missing `... on` for a union fails as it would at Buffer.
Failures follow Buffer's two categories: user-fixable mutation problems are members of the payload
union (`InvalidInputError`, `LimitReachedError`, ...), everything else is a top-level `errors[]` entry
with `extensions.code`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from graphql import GraphQLError, GraphQLSchema, build_schema

from buffer_sandbox import graphql_data as data
from buffer_sandbox.errors import ApiError
from buffer_sandbox.faults import Faults
from buffer_sandbox.state import SandboxState

# Buffer's real schema (the public introspection plus its dated changes, see the file's header): the
# sandbox serves exactly what the client is checked against, never a hand-written subset.
SCHEMA_PATH = Path(__file__).resolve().parent.parent / "buffer_integration" / "data" / "buffer_schema.graphql"
_LINK_FIELD = re.compile(r"^\s*\"\"\"Link asset\"\"\"\n\s*link: LinkAssetInput @deprecated\(.*\)\n", re.M)


@lru_cache(maxsize=1)
def sdl() -> str:
    return SCHEMA_PATH.read_text(encoding="utf-8")


def sdl_without_link_asset() -> str:
    """The schema as served from 2026-12-15: `AssetInput.link` removed (developers.buffer.com/types/AssetInput.md)."""
    text, n = _LINK_FIELD.subn("", sdl())
    if n != 1:
        raise RuntimeError("AssetInput.link not found in the schema file: update graphql_schema._LINK_FIELD")
    return text


# v1's "not found" and "not yours" codes alike: another account's object reads as plain not found.
NOT_FOUND = {1010: "Channel not found.", 1011: "Channel not found.", 1020: "Post not found.", 1021: "Post not found."}
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100


@dataclass
class Context:
    """Per request: who is asking, the live fault knobs, and the posts created (for /__sandbox/stats)."""

    state: SandboxState
    token: str
    faults: Faults
    created: list[dict] = field(default_factory=list)


def _error(message: str, code: str) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code})


def _not_found(exc: ApiError) -> GraphQLError:
    """A lookup that failed; anything else a query refuses (a malformed date) is the caller's input."""
    if exc.code in NOT_FOUND:
        return _error(NOT_FOUND[exc.code], "NOT_FOUND")
    return _error(exc.message, "BAD_USER_INPUT")


def _mutation_error(exc: ApiError, *, void: bool = False) -> dict:
    """A v1 refusal → the payload union member Buffer's GraphQL API uses for it. `DeletePostPayload`
    has only `VoidMutationError` for failures (README rule 4)."""
    if void:
        return {"__typename": "VoidMutationError", "message": NOT_FOUND.get(exc.code, exc.message)}
    if exc.code in NOT_FOUND:
        return {"__typename": "NotFoundError", "message": NOT_FOUND[exc.code]}
    if exc.status >= 500:
        return {"__typename": "UnexpectedError", "message": exc.message}
    return {"__typename": "InvalidInputError", "message": exc.message}


def _organization(ctx: Context, organization_id: str) -> int:
    try:
        return data.organization_index(ctx.state, ctx.token, str(organization_id))
    except LookupError:
        raise _error("You do not have access to this organization.", "FORBIDDEN") from None


# -- resolvers -------------------------------------------------------------------------------------


def resolve_account(_root: Any, info: Any) -> dict:
    ctx: Context = info.context
    return data.account(ctx.state, ctx.token)


def resolve_channels(_root: Any, info: Any, input: dict) -> list[dict]:
    ctx: Context = info.context
    found = data.channels(ctx.state, ctx.token, _organization(ctx, input["organizationId"]))
    flt = input.get("filter") or {}
    if flt.get("isLocked") is not None:
        found = [c for c in found if c["isLocked"] == flt["isLocked"]]
    if flt.get("product"):
        found = [c for c in found if flt["product"] in c["products"]]
    return found


def resolve_channel(_root: Any, info: Any, input: dict) -> dict:
    ctx: Context = info.context
    try:
        return data.channel_by_id(ctx.state, ctx.token, str(input["id"]))
    except ApiError as exc:
        raise _not_found(exc) from None


def resolve_posts(_root: Any, info: Any, input: dict, first: int | None = None, after: str | None = None) -> dict:
    ctx: Context = info.context
    organization = _organization(ctx, input["organizationId"])
    first = DEFAULT_PAGE_SIZE if first is None else first
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise _error(f"first must be between 1 and {MAX_PAGE_SIZE}.", "BAD_USER_INPUT")
    try:
        return data.list_posts(
            ctx.state,
            ctx.token,
            organization=organization,
            flt=input.get("filter") or {},
            sort=input.get("sort"),
            first=first,
            after=after,
        )
    except ValueError:
        raise _error("Invalid cursor.", "BAD_USER_INPUT") from None
    except ApiError as exc:
        raise _not_found(exc) from None


def resolve_post(_root: Any, info: Any, input: dict) -> dict:
    ctx: Context = info.context
    try:
        return data.get_post(ctx.state, ctx.token, str(input["id"]))
    except ApiError as exc:
        raise _not_found(exc) from None


def resolve_create_post(_root: Any, info: Any, input: dict) -> dict:
    ctx: Context = info.context
    try:
        post, created = data.create_post(ctx.state, ctx.token, input, daily_limit=ctx.faults.graphql_daily_post_limit)
    except ApiError as exc:
        return _mutation_error(exc)
    except data.LimitReached as exc:
        return {"__typename": "LimitReachedError", "message": str(exc)}
    ctx.created.append(created)
    return {"__typename": "PostActionSuccess", "post": post}


def resolve_edit_post(_root: Any, info: Any, input: dict) -> dict:
    ctx: Context = info.context
    try:
        post = data.edit_post(ctx.state, ctx.token, input)
    except ApiError as exc:
        return _mutation_error(exc)
    return {"__typename": "PostActionSuccess", "post": post}


def resolve_delete_post(_root: Any, info: Any, input: dict) -> dict:
    ctx: Context = info.context
    try:
        data.delete_post(ctx.state, ctx.token, str(input["id"]))
    except ApiError as exc:
        return _mutation_error(exc, void=True)
    return {"__typename": "DeletePostSuccess", "id": str(input["id"])}


def resolve_aggregated_post_metrics(_root: Any, info: Any, input: dict) -> dict:
    ctx: Context = info.context
    try:
        return data.aggregated_metrics(ctx.state, ctx.token, _organization(ctx, input["organizationId"]), input)
    except ApiError as exc:
        raise _not_found(exc) from None


def resolve_daily_posting_limits(_root: Any, info: Any, input: dict) -> list[dict]:
    ctx: Context = info.context
    try:
        return data.daily_posting_limits(ctx.state, ctx.token, input, limit=ctx.faults.graphql_daily_post_limit)
    except ApiError as exc:
        raise _not_found(exc) from None


QUERY = {
    "account": resolve_account,
    "channels": resolve_channels,
    "channel": resolve_channel,
    "posts": resolve_posts,
    "post": resolve_post,
    "aggregatedPostMetrics": resolve_aggregated_post_metrics,
    "dailyPostingLimits": resolve_daily_posting_limits,
}
MUTATION = {"createPost": resolve_create_post, "editPost": resolve_edit_post, "deletePost": resolve_delete_post}
# Abstract types the resolvers return: every object carries its `__typename`.
ABSTRACT = ("PostActionPayload", "DeletePostPayload", "MutationError", "ChannelMetadata", "Asset", "PostMetadata")


def build(*, link_asset: bool = True) -> GraphQLSchema:
    """The served schema; `link_asset=False` is the one from 2026-12-15 on."""
    schema = build_schema(sdl() if link_asset else sdl_without_link_asset())
    for type_, fields in ((schema.query_type, QUERY), (schema.mutation_type, MUTATION)):
        for name, resolver in fields.items():
            type_.fields[name].resolve = resolver  # type: ignore[union-attr]
    for name in ABSTRACT:
        schema.type_map[name].resolve_type = lambda obj, _info, _type: obj["__typename"]  # type: ignore[attr-defined]
    return schema
