"""The subset of Buffer's GraphQL schema SocialHub uses (reference §10), as SDL, with its resolvers.

Built with graphql-core, so requests are parsed and validated like a real GraphQL server would: an
unknown field, a wrong enum value or a missing `... on` for a union fails as it would at Buffer.
Failures follow Buffer's two categories: user-fixable mutation problems are members of the payload
union (`InvalidInputError`, `LimitReachedError`, ...), everything else is a top-level `errors[]` entry
with `extensions.code`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLError, GraphQLSchema, build_schema

from buffer_sandbox import graphql_data as data
from buffer_sandbox.errors import ApiError
from buffer_sandbox.faults import Faults
from buffer_sandbox.state import SandboxState

SDL = """
scalar DateTime
# Buffer types ids with their own scalars: a client declaring `$id: ID!` fails validation here as there.
scalar ChannelId
scalar PostId
scalar OrganizationId

enum PostStatus { draft needs_approval scheduled sending sent error }
enum ShareMode { addToQueue shareNow shareNext customScheduled }
enum SchedulingType { automatic notification }

type Organization { id: OrganizationId! name: String! }
type Account {
  id: ID! email: String! name: String avatar: String timezone: String organizations: [Organization!]!
}
type Channel {
  id: ChannelId! name: String! displayName: String service: String! type: String avatar: String timezone: String
  isLocked: Boolean! isDisconnected: Boolean! organizationId: OrganizationId!
}
type Asset { id: ID! type: String! mimeType: String source: String! thumbnail: String }
type Post {
  id: PostId! status: PostStatus! text: String! dueAt: DateTime sentAt: DateTime createdAt: DateTime!
  updatedAt: DateTime! channelId: ChannelId! channelService: String! shareMode: ShareMode! isCustomScheduled: Boolean!
  externalLink: String assets: [Asset!]!
}
type PageInfo { hasNextPage: Boolean! hasPreviousPage: Boolean! startCursor: String endCursor: String }
type PostEdge { cursor: String! node: Post! }
type PostsConnection { edges: [PostEdge!]! pageInfo: PageInfo! }

input ChannelsFilterInput { isLocked: Boolean services: [String!] }
input ChannelsInput { organizationId: OrganizationId! filter: ChannelsFilterInput }
input ChannelInput { id: ChannelId! }
input PostsFiltersInput { status: [PostStatus!] channelIds: [ChannelId!] }
input PostsInput { organizationId: OrganizationId! filter: PostsFiltersInput }
input PostInput { id: PostId! }
input ImageMetadataInput { altText: String }
input ImageAssetInput { url: String! thumbnailUrl: String metadata: ImageMetadataInput }
input VideoAssetInput { url: String! thumbnailUrl: String }
input LinkAssetInput { url: String! title: String description: String thumbnailUrl: String }
input AssetInput { image: ImageAssetInput video: VideoAssetInput link: LinkAssetInput }
input CreatePostInput {
  channelId: ChannelId! text: String schedulingType: SchedulingType! mode: ShareMode! dueAt: DateTime
  assets: [AssetInput!]
}
input EditPostInput {
  id: PostId! text: String schedulingType: SchedulingType mode: ShareMode dueAt: DateTime assets: [AssetInput!]
}
input DeletePostInput { id: PostId! }

interface MutationError { message: String! }
type InvalidInputError implements MutationError { message: String! }
type LimitReachedError implements MutationError { message: String! }
type NotFoundError implements MutationError { message: String! }
type UnauthorizedError implements MutationError { message: String! }
type UnexpectedError implements MutationError { message: String! }
type PostActionSuccess { post: Post! }
type DeletePostSuccess { id: PostId! }
union PostActionPayload =
  PostActionSuccess | InvalidInputError | LimitReachedError | NotFoundError | UnauthorizedError | UnexpectedError
union DeletePostPayload = DeletePostSuccess | InvalidInputError | NotFoundError | UnauthorizedError | UnexpectedError

type Query {
  account: Account!
  channels(input: ChannelsInput!): [Channel!]!
  channel(input: ChannelInput!): Channel
  posts(first: Int, after: String, input: PostsInput!): PostsConnection!
  post(input: PostInput!): Post
}
type Mutation {
  createPost(input: CreatePostInput!): PostActionPayload!
  editPost(input: EditPostInput!): PostActionPayload!
  deletePost(input: DeletePostInput!): DeletePostPayload!
}
"""

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
    return _error(NOT_FOUND.get(exc.code, exc.message), "NOT_FOUND")


def _mutation_error(exc: ApiError) -> dict:
    """A v1 refusal → the payload union member Buffer's GraphQL API uses for it."""
    if exc.code in NOT_FOUND:
        return {"__typename": "NotFoundError", "message": NOT_FOUND[exc.code]}
    if exc.status >= 500:
        return {"__typename": "UnexpectedError", "message": exc.message}
    return {"__typename": "InvalidInputError", "message": exc.message}


def _own_organization(ctx: Context, organization_id: str) -> None:
    user_id = ctx.state.user(ctx.token)["id"]
    if organization_id != data.organization_id(user_id):
        raise _error("You do not have access to this organization.", "FORBIDDEN")


# -- resolvers -------------------------------------------------------------------------------------


def resolve_account(_root: Any, info: Any) -> dict:
    ctx: Context = info.context
    return data.account(ctx.state, ctx.token)


def resolve_channels(_root: Any, info: Any, input: dict) -> list[dict]:
    ctx: Context = info.context
    _own_organization(ctx, input["organizationId"])
    found = data.channels(ctx.state, ctx.token)
    flt = input.get("filter") or {}
    if flt.get("isLocked") is not None:
        found = [c for c in found if c["isLocked"] == flt["isLocked"]]
    if flt.get("services"):
        found = [c for c in found if c["service"] in flt["services"]]
    return found


def resolve_channel(_root: Any, info: Any, input: dict) -> dict:
    ctx: Context = info.context
    try:
        return data.channel(ctx.state, ctx.state.profile(ctx.token, str(input["id"])))
    except ApiError as exc:
        raise _not_found(exc) from None


def resolve_posts(_root: Any, info: Any, input: dict, first: int | None = None, after: str | None = None) -> dict:
    ctx: Context = info.context
    _own_organization(ctx, input["organizationId"])
    first = DEFAULT_PAGE_SIZE if first is None else first
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise _error(f"first must be between 1 and {MAX_PAGE_SIZE}.", "BAD_USER_INPUT")
    flt = input.get("filter") or {}
    try:
        return data.list_posts(
            ctx.state,
            ctx.token,
            statuses=list(flt.get("status") or []),
            channel_ids=[str(c) for c in flt.get("channelIds") or []],
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
        return _mutation_error(exc)
    return {"__typename": "DeletePostSuccess", "id": str(input["id"])}


def build() -> GraphQLSchema:
    schema = build_schema(SDL)
    resolvers = {
        schema.query_type: {
            "account": resolve_account,
            "channels": resolve_channels,
            "channel": resolve_channel,
            "posts": resolve_posts,
            "post": resolve_post,
        },
        schema.mutation_type: {
            "createPost": resolve_create_post,
            "editPost": resolve_edit_post,
            "deletePost": resolve_delete_post,
        },
    }
    for type_, fields in resolvers.items():
        for name, resolver in fields.items():
            type_.fields[name].resolve = resolver
    for name in ("PostActionPayload", "DeletePostPayload", "MutationError"):
        schema.type_map[name].resolve_type = lambda obj, _info, _type: obj["__typename"]  # type: ignore[attr-defined]
    return schema
