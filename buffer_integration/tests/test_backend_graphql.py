"""What only the GraphQL backend does: typed union errors, `errors[]`, cursors, unsupported features.

Over real HTTP against the sandbox where the sandbox can produce the answer; canned payloads for the
error shapes it never sends (UnauthorizedError, INTERNAL_SERVER_ERROR in a 200, ...).
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from buffer_integration.backends import ensure_supported
from buffer_integration.backends.base import UpdateDraft
from buffer_integration.backends.graphql_wire import (
    literal,
    map_graphql_errors,
    map_graphql_http_error,
    mutation_error,
    parse_post,
    post_input,
)
from buffer_integration.backends.http import HttpResult
from buffer_integration.exceptions import (
    BufferAuthError,
    BufferNotFound,
    BufferOutcomeUnknown,
    BufferRateLimited,
    BufferRejected,
    BufferUnavailable,
    BufferUnsupported,
)
from buffer_integration.platforms import network_configuration
from buffer_integration.tests.backend_support import profile_id
from buffer_sandbox.graphql_data import set_channel_flags


@pytest.fixture
def gql(make_backend, box):
    return make_backend("graphql")


# -- typed union errors and errors[] over HTTP --------------------------------------------------


def test_limit_reached_error_backs_off(gql, key, box):
    box.faults(graphql_daily_post_limit=1)
    gql.create_update(UpdateDraft(profile_id=profile_id(key), text="First of the day"))
    with pytest.raises(BufferRateLimited) as info:
        gql.create_update(UpdateDraft(profile_id=profile_id(key), text="Second of the day"))
    assert "limit" in info.value.message and info.value.retry_after is None
    assert box.stats()["creates"] == 1


def test_editing_a_sent_post_is_invalid_input(gql, key):
    sent = gql.create_update(UpdateDraft(profile_id=profile_id(key), text="Gone out", now=True))
    with pytest.raises(BufferRejected) as info:
        gql.edit_update(sent.id, UpdateDraft(profile_id=profile_id(key), text="Too late to edit"))
    assert "pending" in info.value.message


def test_edit_replaces_assets_and_keeps_the_time(gql, key):
    pid = profile_id(key)
    update = gql.create_update(UpdateDraft(profile_id=pid, text="With a photo", photo_url="https://img.example/p.png"))
    edited = gql.edit_update(update.id, UpdateDraft(profile_id=pid, text="Without"))
    assert edited.media == {} and edited.due_at == update.due_at and edited.id == update.id


def test_429_body_retry_after_is_read_without_a_header(gql, key, box, sleeps):
    box.faults(graphql_rate_limit=1)
    gql.get_user()
    with pytest.raises(BufferRateLimited) as info:
        gql.get_profile(profile_id(key))
    assert 890 <= info.value.retry_after <= 900 and sleeps == []
    assert box.stats()["rate_limited"] == 1


def test_top_level_not_found_and_forbidden(gql, key, box):
    with pytest.raises(BufferNotFound, match="Post not found"):
        gql.get_update("f" * 24)
    gql._organization_ids = ["0" * 24]  # another organization
    with pytest.raises(BufferAuthError, match="organization"):
        gql.list_profiles()


# -- cursors, channels, shared state ------------------------------------------------------------


def test_pagination_follows_cursors_even_when_posts_change_between_pages(gql, key, box, monkeypatch):
    from buffer_integration.backends import graphql as module

    monkeypatch.setattr(module, "PAGE_SIZE", 2)
    pid = profile_id(key, "threads")
    ids = [gql.create_update(UpdateDraft(profile_id=pid, text=f"Threads {i}")).id for i in range(5)]
    assert [u.id for u in gql.list_pending(pid)] == ids
    gql.get_user()
    before = box.stats()["requests"]
    assert len(gql.list_pending(pid)) == 5
    assert box.stats()["requests"] - before == 3  # 2 + 2 + 1


def test_locked_or_disconnected_channel_is_a_disconnected_profile(gql, key, box):
    set_channel_flags(box.server.state, profile_id(key, "linkedin"), isLocked=True)
    set_channel_flags(box.server.state, profile_id(key, "tiktok"), isDisconnected=True)
    by_service = {p.service: p for p in gql.list_profiles()}
    assert by_service["linkedin"].is_disconnected and by_service["tiktok"].is_disconnected
    assert not by_service["twitter"].is_disconnected
    assert gql.get_profile(profile_id(key, "linkedin")).is_disconnected


def test_graphql_and_v1_share_one_account(gql, make_backend, key, box):
    v1 = make_backend("v1")
    pid = profile_id(key)
    via_graphql = gql.create_update(UpdateDraft(profile_id=pid, text="Made with GraphQL"))
    via_v1 = v1.create_update(UpdateDraft(profile_id=pid, text="Made with v1"))
    assert {u.id for u in v1.list_pending(pid)} == {u.id for u in gql.list_pending(pid)} == {via_graphql.id, via_v1.id}
    assert gql.get_update(via_v1.id).text == "Made with v1"
    assert box.stats()["creates_by_text"] == {"Made with GraphQL": 1, "Made with v1": 1}


def test_video_goes_as_an_asset_and_the_link_stays_in_the_text(gql, key, box):
    draft = UpdateDraft(
        profile_id=profile_id(key, "youtube"),
        text="Watch https://example.com/read",
        video_url="https://cdn.example/v.mp4",
        service="youtube",
        network_options={"title": "A film"},
    )
    update = gql.create_update(draft)
    assert update.text == "Watch https://example.com/read" and update.media == {"video": "https://cdn.example/v.mp4"}
    stored = box.updates(profile_id(key, "youtube"))[0]["media"]
    assert stored == {"video": "https://cdn.example/v.mp4"}  # no `link` asset: it is gone on 2026-12-15


# -- what GraphQL does not offer, and what it now does ------------------------------------------


def test_unsupported_features_say_so(gql, make_backend):
    with pytest.raises(BufferUnsupported, match="no comments/interactions"):
        gql.list_interactions("a" * 24)
    ensure_supported(gql, "statistics")  # Post.metrics
    ensure_supported(make_backend("v1"), "statistics")
    assert gql.get_configuration() == network_configuration()


def test_sent_updates_carry_post_metrics(gql, key):
    update = gql.create_update(UpdateDraft(profile_id=profile_id(key), text="Sent", now=True))
    statistics = gql.get_update(update.id).statistics
    assert statistics and all(isinstance(v, int) and v >= 0 for v in statistics.values())
    assert "engagementRate" not in statistics  # a percentage: ours is computed from the counts


# -- the wire, without a server -----------------------------------------------------------------


def test_post_input_modes_and_assets():
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    base = {"channelId": "c", "text": "t", "schedulingType": "automatic"}
    assert post_input(UpdateDraft(profile_id="c", text="t")) == {**base, "mode": "addToQueue"}
    assert post_input(UpdateDraft(profile_id="c", text="t", now=True)) == {**base, "mode": "shareNow"}
    plus2 = when.astimezone(__import__("datetime").timezone(timedelta(hours=2)))
    scheduled = post_input(UpdateDraft(profile_id="c", text="t", now=True, scheduled_at=plus2))
    assert scheduled == {**base, "mode": "customScheduled", "dueAt": "2030-01-02T03:04:05Z"}
    photo = post_input(UpdateDraft(profile_id="c", text="t", photo_url="P"))
    assert photo["assets"] == [{"image": {"url": "P", "thumbnailUrl": "P"}}]


def test_parse_post_status_mapping():
    post = {"id": "p", "channelId": "c", "text": "t", "createdAt": "2030-01-02T03:04:05.000Z", "assets": []}
    statuses = {"scheduled": "buffer", "sending": "buffer", "draft": "buffer", "sent": "sent", "error": "error"}
    for graphql_status, ours in statuses.items():
        assert parse_post({**post, "status": graphql_status}).status == ours
    assert parse_post({**post, "status": "sent"}).created_at == datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)


def test_literal_escapes():
    assert literal('a"b\\c\n') == '"a\\"b\\\\c\\n"'


@pytest.mark.parametrize(
    ("typename", "expected"),
    [
        ("InvalidInputError", BufferRejected),
        ("LimitReachedError", BufferRateLimited),
        ("NotFoundError", BufferNotFound),
        ("UnauthorizedError", BufferAuthError),
        ("UnexpectedError", BufferOutcomeUnknown),
        ("RestProxyError", BufferRejected),
    ],
)
def test_mutation_error_mapping(typename, expected):
    err = mutation_error({"__typename": typename, "message": "Buffer says no."})
    assert type(err) is expected and "Buffer says no." in err.message


@pytest.mark.parametrize(
    ("code", "write", "expected"),
    [
        ("UNAUTHORIZED", False, BufferAuthError),
        ("FORBIDDEN", False, BufferAuthError),
        ("NOT_FOUND", False, BufferNotFound),
        ("RATE_LIMIT_EXCEEDED", False, BufferRateLimited),
        ("INTERNAL_SERVER_ERROR", False, BufferUnavailable),
        ("INTERNAL_SERVER_ERROR", True, BufferOutcomeUnknown),
        ("GRAPHQL_VALIDATION_FAILED", False, BufferRejected),
        ("", False, BufferRejected),
    ],
)
def test_top_level_error_mapping(code, write, expected):
    errors = [{"message": "Nope.", "extensions": {"code": code, "retryAfter": 12}}]
    err = map_graphql_errors(errors, write=write)
    assert type(err) is expected
    if expected is BufferRateLimited:
        assert err.retry_after == 12.0


def test_http_error_mapping():
    body = {"errors": [{"message": "Bad key.", "extensions": {"code": "UNAUTHORIZED"}}]}
    assert type(map_graphql_http_error(HttpResult(401, body, {}))) is BufferAuthError
    assert type(map_graphql_http_error(HttpResult(404, None, {}))) is BufferUnavailable  # wrong URL, not a post
    assert type(map_graphql_http_error(HttpResult(400, {"errors": [{"message": "x"}]}, {}))) is BufferRejected


def test_backend_and_sandbox_import_no_django():
    code = (
        "import sys, buffer_integration.backends.graphql, buffer_sandbox.server; "
        "assert 'django' not in sys.modules, 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
