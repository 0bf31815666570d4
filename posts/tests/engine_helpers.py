"""Shared setup for the publishing engine's tests: sandbox-backed accounts and due posts."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.models import SocialAccount
from accounts.tests.factories import SocialAccountFactory, UserFactory
from accounts.workspaces import workspace_personal_for
from buffer_integration.models import BufferConfig
from buffer_integration.tests.factories import BufferConfigFactory
from posts.models import Post, PostStatus

ENGINE_TEST_SETTINGS = {
    # Fast clocks for tests: the engine's own waits, never sleeps in the tests themselves.
    "PUBLISH_RETRY_BASE_SECONDS": 0.05,
    "PUBLISH_RETRY_MAX_SECONDS": 0.2,
    "RECONCILE_GRACE_SECONDS": 0.0,
}


def sandbox_account(owner, sandbox, token: str, **kwargs) -> SocialAccount:
    """A twitter account on the sandbox profile of Buffer token `token`.

    Buffer calls go through the active Buffer config of the account's workspace (`workspace=`, or the
    owner's personal one), so the account belongs to a user whose config holds `token`: `owner` if its
    config does, or if `owner` has no account yet (its config then takes `token`, keeping its API;
    without a config it gets a v1 one). Otherwise a user of its own is made for `token`, as one more
    Buffer customer, in the same timezone.
    """
    workspace = kwargs.get("workspace") or workspace_personal_for(owner)  # the account's, whose config it uses
    config = BufferConfig.objects.in_workspace(workspace).active().first()
    if config is None:
        BufferConfigFactory(owner=owner, workspace=workspace, access_token=token)
    elif config.get_access_token() != token:
        if owner.social_accounts.exists():
            owner = UserFactory.create(username=f"{owner.username}-{token}", timezone=owner.timezone)
            BufferConfigFactory(owner=owner, api=config.api, access_token=token)
        else:
            config.set_access_token(token)
            config.save()
    return SocialAccountFactory.create(
        owner=owner, platform="twitter", buffer_profile_id=sandbox.profile_id(token, "twitter"), **kwargs
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
            workspace_id=accounts[i % len(accounts)].workspace_id,
            platform="twitter",
            content=f"{prefix} {i} #socialhub",
            scheduled_time=when,
            status=PostStatus.SCHEDULED,
        )
        for i in range(count)
    ]
    return Post.objects.bulk_create(posts, batch_size=500)


def publish_due(now: dt.datetime | None = None) -> list[str]:
    """Claim every due post and run its publish service in-process, as the task would; the outcomes."""
    from posts.engine.dispatch import claim_due_posts
    from posts.engine.publish import publish_claimed_post

    claims = claim_due_posts(now=now or timezone.now(), limit=1000)
    return [publish_claimed_post(post_id=c.post_id, claim_id=c.claim_id) for c in claims]


def creates_per_post(sandbox, posts: list[Post]) -> dict[int, int]:
    """How many updates/create the sandbox accepted for each post's text."""
    by_text = sandbox.stats()["creates_by_text"]
    return {post.pk: by_text.get(post.content, 0) for post in posts}
