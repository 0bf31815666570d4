"""Rows whose `scheduled_time` is "queue": the seam with queue time slots (`posts.queueing`, issue 17).

The import creates such a row's post as a draft and then hands it to `queue_post`, which gives it its
account's next free slot. Until `posts.queueing` exists, `unavailable_reason` refuses those rows.
Once it is merged: make `unavailable_reason` return "" and call `queue_post` in `queue_imported`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from accounts.models import User
from posts.models import Post, PostStatus

UNAVAILABLE = 'Adding to the queue is not available yet: give a date and time instead of "queue".'


def unavailable_reason() -> str:
    """Why a "queue" row cannot be imported ("" once queueing is available)."""
    return UNAVAILABLE


def as_draft() -> dict[str, Any]:
    """A queued row is created as a draft without a time; the queue then schedules it."""
    return {"status": PostStatus.DRAFT, "scheduled_time": None}


def queue_imported(*, posts: Sequence[Post], actor: User) -> None:
    """Give each post its account's next free slot, in file order, inside the import's transaction."""
    for _post in posts:  # empty while `unavailable_reason` refuses every queued row
        raise NotImplementedError("posts.queueing is not merged yet")  # → queue_post(post=_post, actor=actor)
