"""Shared setup for the publishing engine's tests: sandbox-backed accounts and due posts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import SocialAccount
from accounts.tests.factories import SocialAccountFactory
from posts.models import Post, PostStatus

ENGINE_TEST_SETTINGS = {
    # Fast clocks for tests: the engine's own waits, never sleeps in the tests themselves.
    "PUBLISH_RETRY_BASE_SECONDS": 0.05,
    "PUBLISH_RETRY_MAX_SECONDS": 0.2,
    "RECONCILE_GRACE_SECONDS": 0.0,
}


def sandbox_account(owner, sandbox, token: str, **kwargs) -> SocialAccount:
    """A twitter account with its own token, connected to that token's sandbox profile."""
    return SocialAccountFactory(
        owner=owner,
        platform="twitter",
        access_token=token,
        buffer_profile_id=sandbox.profile_id(token, "twitter"),
        **kwargs,
    )


def due_posts(
    accounts: list[SocialAccount], count: int, *, ago: float = 1.0, prefix: str = "Engine post"
) -> list[Post]:
    """`count` scheduled posts due `ago` seconds ago, spread round-robin over `accounts`."""
    when = timezone.now() - dt.timedelta(seconds=ago)
    posts = [
        Post(
            owner=accounts[i % len(accounts)].owner,
            social_account=accounts[i % len(accounts)],
            platform="twitter",
            content=f"{prefix} {i} #socialhub",
            scheduled_time=when,
            status=PostStatus.SCHEDULED,
        )
        for i in range(count)
    ]
    return Post.objects.bulk_create(posts, batch_size=500)


def creates_per_post(sandbox, posts: list[Post]) -> dict[int, int]:
    """How many updates/create the sandbox accepted for each post's text."""
    by_text = sandbox.stats()["creates_by_text"]
    return {post.pk: by_text.get(post.content, 0) for post in posts}
