"""Every document and variables set the GraphQL client can produce, validated against Buffer's real schema.

The sandbox is ours and could share our mistakes; `buffer_integration/data/buffer_schema.graphql` is Buffer's
(reconstructed from its public introspection plus its dated changes, ../shared/reference/buffer-graphql/).
So the backend runs here with its transport replaced by a recorder that answers each operation with the
smallest plausible payload, over drafts enumerated across networks x media x options x scheduling modes
x create/edit/delete/queries, and each request is checked with graphql-core: `validate` (the document),
variable coercion (the variables), plus what graphql-core 3.2 does not enforce — `@oneOf` inputs and
deprecated input fields (`AssetInput.link`, removed on 2026-12-15). A client change Buffer would reject
fails here, whatever the sandbox does. No network, no Django DB.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from graphql import (
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    OperationDefinitionNode,
    build_schema,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values
from graphql.utilities import type_from_ast

from buffer_integration.backends.base import DraftAsset, UpdateDraft
from buffer_integration.backends.graphql import GraphQLBackend
from buffer_integration.platforms import LINK_ATTACHMENT_PLATFORMS, NETWORK_OPTIONS, OPTION_CHOICES

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "buffer_schema.graphql"
SERVICES = [
    "twitter",
    "facebook",
    "instagram",
    "linkedin",
    "pinterest",
    "mastodon",
    "threads",
    "bluesky",
    "youtube",
    "googlebusiness",
    "tiktok",
]
IMAGE, VIDEO, LINK = "https://cdn.example/p.png", "https://cdn.example/v.mp4", "https://example.com/read?x=1"
MEDIA: dict[str, dict[str, Any]] = {
    "text": {},
    "link": {"text": f"Read this {LINK}"},
    "image": {"photo_url": IMAGE},
    "video": {"video_url": VIDEO},
    "image+video": {"photo_url": IMAGE, "video_url": VIDEO},
    "link+image": {"text": f"Read {LINK}", "photo_url": IMAGE},
    "link_url": {"link_url": LINK},
    # Library items (posts.media.post_media_assets): several, with thumbnails and alt text.
    "assets": {
        "assets": (
            DraftAsset("image", IMAGE, thumbnail_url=IMAGE + "?thumb", alt_text="Two people on a beach"),
            DraftAsset("image", IMAGE + "?2"),
            DraftAsset("video", VIDEO, thumbnail_url=IMAGE),
        )
    },
}
WHEN: dict[str, dict[str, Any]] = {
    "queue": {},
    "now": {"now": True},
    "scheduled": {"scheduled_at": datetime(2030, 1, 2, 3, 4, tzinfo=UTC)},
}
FULL_OPTIONS: dict[str, dict[str, Any]] = {
    "instagram": {"type": "reel", "share_to_feed": False, "first_comment": "First!"},
    "pinterest": {"board_id": "board-1", "title": "A pin"},
    "youtube": {"title": "A film", "category_id": "27", "privacy": "unlisted"},
    "googlebusiness": {"type": "offer"},
    "facebook": {"first_comment": "More below"},
    "linkedin": {"first_comment": "More below"},
    "twitter": {"thread": ["Two", "Three"]},
    "threads": {"thread": ["Two"]},
    "bluesky": {"thread": ["Two", "Three"]},
}


@lru_cache(maxsize=1)
def schema():
    return build_schema(SCHEMA_PATH.read_text())


def option_sets(service: str) -> list[dict[str, Any]]:
    """No options, every option set, and each choice of each option with choices."""
    sets = [{}, FULL_OPTIONS.get(service, {})]
    for (network, name), choices in OPTION_CHOICES.items():
        if network == service:
            sets += [{**FULL_OPTIONS.get(service, {}), name: choice} for choice in choices]
    return sets


def drafts() -> list[UpdateDraft]:
    out = []
    for service, (media, fields), when in itertools.product(SERVICES, MEDIA.items(), WHEN.values()):
        for options in option_sets(service):
            text = fields.get("text", f"A {media} post")
            rest = {k: v for k, v in fields.items() if k != "text"}
            out.append(
                UpdateDraft(profile_id="c1", text=text, service=service, network_options=options, **rest, **when)
            )
    return out


class Recorder(GraphQLBackend):
    """The real backend with its transport replaced: records each request, answers it plausibly."""

    def __init__(self):
        super().__init__("key", url="https://api.buffer.com")
        self.sent: list[tuple[str, str, dict, str]] = []  # (document, operation, variables, draft's service)
        self.service = ""
        self._pages = 0

    def _call(self, document, operation, variables=None, *, write=False):
        self.sent.append((document, operation, variables or {}, self.service))
        post = {"id": "p1", "channelId": "c1", "status": "sent", "text": "t", "metrics": [], "assets": []}
        channel = {"id": "c1", "service": "pinterest", "organizationId": "o2", "postingSchedule": []}
        if operation == "Posts":
            self._pages += 1
            more = self._pages % 2 == 1  # every other page has a next one: cursors are exercised
            return {"posts": {"edges": [{"node": post}], "pageInfo": {"hasNextPage": more, "endCursor": "cur"}}}
        return {
            "Account": {"account": {"id": "a", "timezone": "UTC", "organizations": [{"id": "o1"}, {"id": "o2"}]}},
            "Channels": {"channels": [channel]},
            "Channel": {"channel": channel},
            "Post": {"post": post},
            "CreatePost": {"createPost": {"__typename": "PostActionSuccess", "post": post}},
            "EditPost": {"editPost": {"__typename": "PostActionSuccess", "post": post}},
            "DeletePost": {"deletePost": {"__typename": "DeletePostSuccess"}},
        }[operation]


def unwrap(type_):
    while isinstance(type_, (GraphQLNonNull, GraphQLList)):
        type_ = type_.of_type
    return type_


def input_problems(type_, value: Any, path: str) -> list[str]:
    """`@oneOf` and deprecated input fields, which graphql-core 3.2's coercion does not check."""
    if value is None:
        return []
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        return [p for i, item in enumerate(value) for p in input_problems(inner.of_type, item, f"{path}[{i}]")]
    if not isinstance(inner, GraphQLInputObjectType):
        return []
    problems = []
    directives = {d.name.value for d in (inner.ast_node.directives if inner.ast_node else [])}
    if "oneOf" in directives and len([v for v in value.values() if v is not None]) != 1:
        problems.append(f"{path}: {inner.name} is @oneOf but sets {sorted(value)}")
    for name, item in value.items():
        field = inner.fields[name]
        if field.deprecation_reason:
            problems.append(f"{path}.{name} is deprecated: {field.deprecation_reason}")
        problems += input_problems(field.type, item, f"{path}.{name}")
    return problems


def check(document: str, variables: dict) -> list[str]:
    ast = parse(document)
    problems = [e.message for e in validate(schema(), ast)]
    if problems:
        return problems
    operation = next(d for d in ast.definitions if isinstance(d, OperationDefinitionNode))
    coerced = get_variable_values(schema(), operation.variable_definitions or [], variables)
    if isinstance(coerced, list):
        return [e.message for e in coerced]
    for definition in operation.variable_definitions or []:
        name = definition.variable.name.value
        problems += input_problems(type_from_ast(schema(), definition.type), variables.get(name), f"${name}")
    return problems


def everything_sent() -> list[tuple[str, str, dict, str]]:
    backend = Recorder()
    backend.get_user()
    backend.list_profiles()
    backend.get_profile("c1")
    backend.get_update("p1")
    backend.destroy_update("p1")
    for draft in drafts():
        backend.service = draft.service
        backend.create_update(draft)
        backend.edit_update("p1", draft)
    backend.service = ""
    backend.list_pending("c1")
    backend.list_pending("c1", since=datetime(2030, 1, 1, tzinfo=UTC))
    backend.list_sent("c1", since=datetime(2030, 1, 1, tzinfo=UTC))
    window = {"due_after": datetime(2030, 1, 1, tzinfo=UTC), "due_before": datetime(2030, 1, 2, tzinfo=UTC)}
    window |= {"created_after": datetime(2029, 12, 1, tzinfo=UTC), "created_before": datetime(2030, 1, 3, tzinfo=UTC)}
    for status in ("", "buffer", "sent", "error"):
        backend.find_updates(["c1", "c2"], organization_id="o1", status=status, **window)
    Recorder().find_updates(["c1"])  # organization looked up
    return backend.sent


SENT = everything_sent()


def test_every_operation_is_covered():
    assert {operation for _, operation, _, _ in SENT} == {
        "Account",
        "Channels",
        "Channel",
        "Post",
        "DeletePost",
        "CreatePost",
        "EditPost",
        "Posts",
    }
    assert len(SENT) > 1000


@pytest.mark.parametrize("operation", ["Account", "Channels", "Channel", "Post", "DeletePost", "Posts"])
def test_queries_and_delete_validate_against_buffers_schema(operation):
    requests = [(d, v) for d, op, v, _ in SENT if op == operation]
    assert requests
    for document, variables in requests:
        assert check(document, variables) == [], (operation, document, variables)


@pytest.mark.parametrize("operation", ["CreatePost", "EditPost"])
@pytest.mark.parametrize("service", SERVICES)
def test_every_draft_validates_against_buffers_schema(operation, service):
    requests = [(d, v) for d, op, v, on in SENT if op == operation and on == service]
    assert len(requests) >= len(MEDIA) * len(WHEN)
    for document, variables in requests:
        assert check(document, variables) == [], (document, variables)


def test_rules_the_schema_does_not_show():
    """README "Rules the schema alone does not show": metadata Buffer requires, links, one kind per asset."""
    backend = Recorder()
    for draft in drafts():
        backend.create_update(draft)
        data = backend.sent[-1][2]["input"]
        metadata, assets = data.get("metadata") or {}, data.get("assets") or []
        assert all("link" not in asset for asset in assets)
        key = {"googlebusiness": "google"}.get(draft.service, draft.service)
        block = metadata.get(key, {})
        assert set(metadata) <= {key}, (draft, metadata)  # never another network's block
        if draft.service == "instagram":
            assert block["type"] in ("post", "story", "reel") and isinstance(block["shouldShareToFeed"], bool)
        if draft.service == "youtube":
            assert block["categoryId"] and block["privacy"] in ("public", "unlisted", "private")
        if draft.service == "googlebusiness":
            assert block["type"] in ("whats_new", "offer", "event")
        if draft.service == "pinterest" and draft.network_options.get("board_id"):
            assert block["boardServiceId"] == draft.network_options["board_id"]
        if "linkAttachment" in block:
            assert draft.service in LINK_ATTACHMENT_PLATFORMS and not assets
        elif draft.service in LINK_ATTACHMENT_PLATFORMS and not assets and LINK in (draft.text + draft.link_url):
            pytest.fail(f"a link post on {draft.service} without linkAttachment: {data}")
        if LINK in draft.text:
            assert LINK in data["text"]  # the URL stays in the text everywhere


def test_option_names_are_the_ones_the_posts_api_validates():
    for service, options in FULL_OPTIONS.items():
        assert set(options) == NETWORK_OPTIONS[service]


def test_the_checker_catches_what_buffer_rejects():
    """The contract test is only worth something if it fails on Buffer's known rejections."""
    create = next(d for d, op, _, _ in SENT if op == "CreatePost")
    base = {"channelId": "c", "schedulingType": "automatic", "mode": "addToQueue"}
    assert check(create, {"input": {**base, "assets": [{"link": {"url": LINK}}]}})  # deprecated link asset
    two = [{"image": {"url": IMAGE}, "video": {"url": VIDEO}}]
    assert check(create, {"input": {**base, "assets": two}})  # @oneOf
    assert check(create, {"input": {**base, "metadata": {"instagram": {"type": "post"}}}})  # shouldShareToFeed!
    assert check(create, {"input": {**base, "mode": "later"}})  # not a ShareMode
    assert check('query { posts(input: {organizationId: "o"}) { edges { node { nope } } } }', {})
