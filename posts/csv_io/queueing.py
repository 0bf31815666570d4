"""Rows whose `scheduled_time` is "queue": made as drafts, then each given its account's next free slot by
`posts.queueing` (the same path as bulk's `"queue": true`), in file order, inside the import's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accounts.models import SocialAccount, User
from posts import queueing
from posts.models import Post, PostStatus


def queue_row_problems(account: SocialAccount | None) -> list[str]:
    """Why a "queue" row cannot be queued, known before anything is written (a dry run says it too)."""
    return queueing.queue_item_errors(account=account, item={}).get("queue", [])


def as_draft() -> dict[str, Any]:
    """A queued row is created as a draft without a time; the queue then schedules it."""
    return {"status": PostStatus.DRAFT, "scheduled_time": None}


def queue_imported(*, posts: Sequence[Post], actor: User) -> None:
    """Give each post its account's next free slot, in file order (O(N) queries for N posts)."""
    queueing.queue_posts(posts=posts, actor=actor)
