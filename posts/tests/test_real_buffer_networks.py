"""A post to each network Buffer's API publishes to goes out through the GraphQL backend exactly once, with
what real Buffer requires (../shared/reference/buffer-graphql/README.md): per-network metadata, the link
as a linkAttachment, the second organization's channels, and `UNEXPECTED` after the write settled by the
reconciler. The sandbox enforces Buffer's rules over real HTTP."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from accounts.services import social_account_sync_from_buffer
from accounts.tests.factories import SocialAccountFactory
from buffer_integration.tests.factories import BufferConfigFactory
from buffer_sandbox.testing import MULTI_ORG_PREFIX, profile_id
from posts.engine.dispatch import claim_due_posts
from posts.engine.publish import publish_claimed_post
from posts.engine.reconcile import reconcile_post
from posts.models import AttemptOutcome, Post, PostStatus
from posts.tests.engine_helpers import ENGINE_TEST_SETTINGS, creates_per_post

pytestmark = pytest.mark.django_db
IMAGE, VIDEO = "https://cdn.example/photo.png", "https://cdn.example/film.mp4"


@pytest.fixture(autouse=True)
def _fast_engine(settings):
    for name, value in ENGINE_TEST_SETTINGS.items():
        setattr(settings, name, value)


@pytest.fixture
def token(owner, sandbox) -> str:
    """A GraphQL key whose Buffer account has two organizations (the sandbox's multi-organization keys)."""
    key = f"{MULTI_ORG_PREFIX}-{uuid.uuid4().hex}"
    BufferConfigFactory(owner=owner, api="graphql", access_token=key)
    return key


def synced_account(owner, token: str, platform: str, organization: int = 0):
    account = SocialAccountFactory.create(
        owner=owner, platform=platform, buffer_profile_id=profile_id(token, platform, organization=organization)
    )
    return social_account_sync_from_buffer(account=account)


def due(account, content: str, *, media: list[str] | None = None, options: dict | None = None) -> Post:
    return Post.objects.create(
        owner=account.owner,
        social_account=account,
        workspace_id=account.workspace_id,
        platform=account.platform,
        content=content,
        media_urls=media or [],
        network_options=options or {},
        scheduled_time=timezone.now() - dt.timedelta(seconds=1),
        status=PostStatus.SCHEDULED,
    )


def publish_all() -> dict[int, str]:
    return {
        claim.post_id: publish_claimed_post(post_id=claim.post_id, claim_id=claim.claim_id)
        for claim in claim_due_posts(now=timezone.now(), limit=50)
    }


def test_a_post_to_each_network_is_published_once_through_graphql(owner, token, sandbox):
    pinterest = synced_account(owner, token, "pinterest")
    assert pinterest.pinterest_boards and pinterest.buffer_organization_id
    bluesky = synced_account(owner, token, "bluesky", organization=1)
    assert bluesky.buffer_organization_id and bluesky.buffer_organization_id != pinterest.buffer_organization_id
    posts = [
        due(synced_account(owner, token, "twitter"), "Hello X"),
        due(synced_account(owner, token, "instagram"), "A photo", media=[IMAGE]),
        due(synced_account(owner, token, "linkedin"), "Read https://example.com/report"),
        due(pinterest, "A pin", media=[IMAGE], options={"board_id": pinterest.pinterest_boards[0]["id"]}),
        due(synced_account(owner, token, "youtube"), "A film", media=[VIDEO], options={"title": "Our film"}),
        due(bluesky, "From the second organization"),
    ]

    outcomes = publish_all()

    assert outcomes == dict.fromkeys([p.pk for p in posts], AttemptOutcome.PUBLISHED), [
        (p.platform, Post.objects.get(pk=p.pk).last_error) for p in posts
    ]
    for post in posts:
        post.refresh_from_db()
        assert (post.status, post.last_error) == (PostStatus.PUBLISHED, "") and post.buffer_update_id
    assert creates_per_post(sandbox, posts) == dict.fromkeys([p.pk for p in posts], 1)
    by_profile = {u["profile_id"]: u for u in sandbox.admin("GET", "updates").json()}
    linkedin = by_profile[posts[2].social_account.buffer_profile_id]
    assert "https://example.com/report" in linkedin["text"]  # the URL stays in the text


def test_unexpected_after_create_is_reconciled_to_published_with_one_post_at_buffer(owner, token, sandbox):
    post = due(synced_account(owner, token, "instagram"), "Photo, Buffer fails after writing", media=[IMAGE])
    sandbox.faults(unexpected_rate=1.0, unexpected_after_write=True)

    assert publish_all() == {post.pk: AttemptOutcome.UNKNOWN}  # never a refusal: it may exist
    sandbox.faults(unexpected_rate=0.0, unexpected_after_write=False)
    post.refresh_from_db()
    assert post.status == PostStatus.RECONCILING

    assert reconcile_post(post_id=post.pk, claim_id=post.claim_id) == "found"
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED and post.buffer_update_id
    assert creates_per_post(sandbox, [post]) == {post.pk: 1}
    assert publish_all() == {}  # nothing left to send: no duplicate
