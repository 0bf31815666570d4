"""What the GraphQL client does for real Buffer's rules (../shared/reference/buffer-graphql/README.md):
per-network metadata with Buffer's defaults, links as linkAttachment, UNEXPECTED and 429, organizations,
server-side post filters, posting schedules and boards. Over real HTTP against the sandbox (which applies
the same rules) where a server is needed; pure wire builders without one."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from buffer_integration.backends.base import UpdateDraft
from buffer_integration.backends.graphql_wire import (
    link_of,
    map_graphql_errors,
    parse_metrics,
    parse_schedule,
    post_input,
    post_metadata,
)
from buffer_integration.exceptions import BufferOutcomeUnknown, BufferRateLimited, BufferUnavailable
from buffer_integration.platforms import (
    can_publish,
    missing_required_media,
    missing_required_options,
)
from buffer_integration.tests.backend_support import profile_id
from buffer_sandbox.testing import MULTI_ORG_PREFIX

IMAGE, VIDEO, LINK = "https://cdn.example/p.png", "https://cdn.example/v.mp4", "https://example.com/a"


def draft(service: str, text: str = "Hello", **kwargs) -> UpdateDraft:
    return UpdateDraft(profile_id="c", text=text, service=service, **kwargs)


# -- the wire, without a server -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("service", "options", "expected"),
    [
        ("instagram", {}, {"instagram": {"type": "post", "shouldShareToFeed": True}}),
        (
            "instagram",
            {"type": "story", "share_to_feed": False, "first_comment": "#tags"},
            {"instagram": {"type": "story", "shouldShareToFeed": False, "firstComment": "#tags"}},
        ),
        ("youtube", {"title": "T"}, {"youtube": {"title": "T", "categoryId": "22", "privacy": "public"}}),
        (
            "youtube",
            {"title": "T", "category_id": "27", "privacy": "private"},
            {"youtube": {"title": "T", "categoryId": "27", "privacy": "private"}},
        ),
        ("googlebusiness", {}, {"google": {"type": "whats_new"}}),
        ("googlebusiness", {"type": "event"}, {"google": {"type": "event"}}),
        ("pinterest", {"board_id": "b1", "title": "Pin"}, {"pinterest": {"boardServiceId": "b1", "title": "Pin"}}),
        ("facebook", {"first_comment": "More"}, {"facebook": {"firstComment": "More", "type": "post"}}),
        ("linkedin", {"first_comment": "More"}, {"linkedin": {"firstComment": "More"}}),
        (
            "twitter",
            {"thread": ["2", "3"]},
            {"twitter": {"thread": [{"text": "2", "assets": []}, {"text": "3", "assets": []}]}},
        ),
        ("twitter", {}, None),
        ("mastodon", {}, None),
    ],
)
def test_metadata_from_network_options_with_buffers_defaults(service, options, expected):
    assert post_metadata(draft(service, network_options=options, photo_url=IMAGE)) == expected


@pytest.mark.parametrize("service", ["facebook", "linkedin", "threads", "bluesky"])
def test_a_link_post_gets_a_link_attachment_and_keeps_the_url_in_the_text(service):
    data = post_input(draft(service, f"Read {LINK}."))
    assert data["text"] == f"Read {LINK}."
    assert data["metadata"][service]["linkAttachment"] == {"url": LINK}
    assert "assets" not in data


@pytest.mark.parametrize("service", ["facebook", "linkedin", "threads", "bluesky"])
def test_a_link_attachment_is_never_combined_with_media(service):
    data = post_input(draft(service, f"Read {LINK}", photo_url=IMAGE))
    assert "linkAttachment" not in (data.get("metadata") or {}).get(service, {})
    assert data["assets"] == [{"image": {"url": IMAGE, "thumbnailUrl": IMAGE}}]


@pytest.mark.parametrize("service", ["twitter", "instagram", "mastodon", "youtube"])
def test_elsewhere_the_link_stays_in_the_text_only(service):
    data = post_input(draft(service, f"Read {LINK}", link_url=LINK))
    assert data["text"] == f"Read {LINK}"
    assert all("link" not in asset for asset in data.get("assets", []))
    assert "linkAttachment" not in str(data.get("metadata"))


def test_link_of_prefers_the_drafts_link_then_the_first_url_of_the_text():
    assert link_of(draft("linkedin", "no link")) == ""
    assert link_of(draft("linkedin", f"({LINK}), and https://other.example")) == LINK
    assert link_of(draft("linkedin", "x", link_url="https://given.example")) == "https://given.example"


def test_missing_required_options():
    assert missing_required_options("pinterest", {}) == ["board_id"]
    assert missing_required_options("pinterest", {"board_id": "  "}) == ["board_id"]
    assert missing_required_options("pinterest", {"board_id": "b"}) == []
    assert missing_required_options("youtube", {"privacy": "public"}) == ["title"]
    assert missing_required_options("youtube", None) == ["title"]
    assert missing_required_options("instagram", {}) == []  # type and share-to-feed have defaults
    assert missing_required_options("google", {}) == []  # Buffer's service name works too


def test_missing_required_media_and_what_buffer_can_post_to():
    assert missing_required_media("instagram", []) == "image or video"
    assert missing_required_media("instagram", ["video"]) == ""
    assert missing_required_media("pinterest", ["video"]) == "image"
    assert missing_required_media("youtube", ["image"]) == "video"
    assert missing_required_media("twitter", []) == ""
    assert not can_publish("tiktok") and can_publish("twitter") and can_publish("google")


def test_unexpected_is_an_unknown_outcome_for_writes_and_unavailable_for_reads():
    errors = [{"message": "An unexpected error occurred.", "extensions": {"code": "UNEXPECTED"}}]
    assert type(map_graphql_errors(errors, write=True)) is BufferOutcomeUnknown
    assert type(map_graphql_errors(errors, write=False)) is BufferUnavailable


def test_posting_schedule_and_metrics_parsing():
    slots = [
        {"day": "mon", "times": ["09:00", "17:00"], "paused": False},
        {"day": "tue", "times": ["17:00", "09:00"], "paused": False},
        {"day": "wed", "times": ["12:00"], "paused": True},
        {"day": "sun", "times": ["10:00"], "paused": False},
    ]
    assert parse_schedule(slots) == [
        {"days": ["mon", "tue"], "times": ["09:00", "17:00"]},
        {"days": ["sun"], "times": ["10:00"]},
    ]
    metrics = [
        {"type": "reactions", "value": 12.0, "unit": "count"},
        {"type": "engagementRate", "value": 3.5, "unit": "percentage"},
        {"type": "reach", "value": float("nan"), "unit": "count"},
    ]
    assert parse_metrics(metrics) == {"reactions": 12}


# -- over HTTP ----------------------------------------------------------------------------------


@pytest.fixture
def gql(make_backend, box):
    return make_backend("graphql")


def test_instagram_without_options_is_accepted_by_buffers_rules(gql, key, box):
    pid = profile_id(key, "instagram")
    update = gql.create_update(UpdateDraft(profile_id=pid, text="Photo", photo_url=IMAGE, service="instagram"))
    assert update.id and box.updates(pid)[0]["media"]["picture"] == IMAGE


def test_unexpected_after_the_write_is_an_unknown_outcome(gql, key, box):
    pid = profile_id(key)
    box.faults(unexpected_rate=1.0, unexpected_after_write=True)
    with pytest.raises(BufferOutcomeUnknown):
        gql.create_update(UpdateDraft(profile_id=pid, text="Maybe there", service="twitter"))
    box.faults(unexpected_rate=0.0, unexpected_after_write=False)
    assert [u.text for u in gql.list_pending(pid)] == ["Maybe there"]  # it landed: the reconciler finds it


def test_a_429_carries_retry_after_from_the_header(gql, key, box, sleeps):
    box.faults(graphql_rate_limit=1)
    gql.get_user()
    with pytest.raises(BufferRateLimited) as info:
        gql.get_profile(profile_id(key))
    assert info.value.retry_after and info.value.retry_after > 0 and sleeps == []


def test_profiles_of_every_organization_with_boards_and_schedules(make_backend, box):
    key = f"{MULTI_ORG_PREFIX}-{uuid.uuid4().hex}"
    gql = make_backend("graphql", key)
    profiles = gql.list_profiles()
    organizations = {p.organization_id for p in profiles}
    assert len(organizations) == 2 and "" not in organizations
    second = profile_id(key, "bluesky", organization=1)
    assert second in {p.id for p in profiles}
    pinterest = next(p for p in profiles if p.service == "pinterest")
    assert pinterest.boards and all(b["id"] and "name" in b for b in pinterest.boards)
    assert any(p.schedules for p in profiles)
    assert all(set(s) == {"days", "times"} for p in profiles for s in p.schedules)


def test_find_updates_filters_at_buffer_per_organization(make_backend, box):
    key = f"{MULTI_ORG_PREFIX}-{uuid.uuid4().hex}"
    gql = make_backend("graphql", key)
    first, second = profile_id(key, "linkedin"), profile_id(key, "linkedin", organization=1)
    soon = datetime.now(UTC) + timedelta(days=1)
    later = soon + timedelta(days=5)
    a = gql.create_update(UpdateDraft(profile_id=first, text="First org", scheduled_at=soon, service="linkedin"))
    b = gql.create_update(UpdateDraft(profile_id=second, text="Second org", scheduled_at=soon, service="linkedin"))
    gql.create_update(UpdateDraft(profile_id=second, text="Later", scheduled_at=later, service="linkedin"))

    fresh = make_backend("graphql", key)
    before = box.stats()["requests"]
    window = {"due_after": soon - timedelta(hours=1), "due_before": soon + timedelta(hours=1)}
    found = fresh.find_updates([second], status="buffer", **window)
    assert [u.id for u in found] == [b.id]
    assert box.stats()["requests"] - before == 2  # the channel's organization (one request), its posts (one)

    organization = fresh.get_profile(first).organization_id
    before = box.stats()["requests"]
    assert [u.id for u in fresh.find_updates([first], organization_id=organization, **window)] == [a.id]
    assert box.stats()["requests"] - before == 1  # organization known: no lookup
