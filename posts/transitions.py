"""The one place that changes `Post.status`.

Every transition is a compare-and-set: `UPDATE ... WHERE id = %s AND status IN (allowed_from)`.
It returns True when this caller won; False means the post was no longer in an allowed state
(another request, the worker or an admin got there first) and nothing was written. Callers
decide what losing means: the API answers 409, the publishing engine skips the post.

    API / UI:  hand_to_buffer, cancel, reschedule
    engine:    mark_publishing, mark_published, mark_failed, release_for_retry
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.db.models import F
from django.utils import timezone

from posts.models import Post, PostStatus

S = PostStatus

# The states each named transition starts from. The UI reads this to enable its buttons.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "hand_to_buffer": frozenset({S.DRAFT, S.SCHEDULED, S.FAILED}),
    "cancel": frozenset({S.DRAFT, S.SCHEDULED, S.FAILED}),
    "reschedule": frozenset({S.DRAFT, S.SCHEDULED, S.FAILED, S.CANCELLED}),
    "mark_publishing": frozenset({S.SCHEDULED}),
    # Scheduled too: a post handed to Buffer is published by Buffer without passing through `publishing`.
    "mark_published": frozenset({S.PUBLISHING, S.SCHEDULED}),
    "mark_failed": frozenset({S.PUBLISHING, S.SCHEDULED}),
    "release_for_retry": frozenset({S.PUBLISHING}),
}
# Content, media, time, account and campaign may be edited in these states (not a status change).
EDITABLE = frozenset({S.DRAFT, S.SCHEDULED, S.FAILED, S.CANCELLED})


def transition(*, post_id: int, to: str, allowed_from: Collection[str], only_if: dict | None = None, **fields) -> bool:
    """Set `status=to` (and `fields`) iff the post is in `allowed_from` (and matches `only_if`)."""
    updated = (
        Post.objects.filter(pk=post_id, status__in=list(allowed_from), **(only_if or {}))
        # `.update()` skips auto_now, so stamp updated_at here.
        .update(status=to, updated_at=timezone.now(), **fields)
    )
    return updated == 1


def hand_to_buffer(*, post_id: int, buffer_update_id: str, handed_at: datetime) -> bool:
    """Buffer accepted the post (updates/create): it is scheduled there. Only once per post."""
    return transition(
        post_id=post_id,
        to=S.SCHEDULED,
        allowed_from=ALLOWED_FROM["hand_to_buffer"],
        only_if={"buffer_update_id": ""},
        buffer_update_id=buffer_update_id,
        handed_to_buffer_at=handed_at,
    )


def cancel(*, post_id: int) -> bool:
    """Withdrawn by its owner; any Buffer update was destroyed first, so the handover is forgotten."""
    return transition(
        post_id=post_id,
        to=S.CANCELLED,
        allowed_from=ALLOWED_FROM["cancel"],
        buffer_update_id="",
        handed_to_buffer_at=None,
    )


def reschedule(*, post_id: int, scheduled_time: datetime, keep_buffer_update: bool = False) -> bool:
    """Scheduled again at `scheduled_time`; an explicit retry starts a fresh attempt count.

    `keep_buffer_update` when the Buffer update was edited to the new time; otherwise a stale
    handover (a failed or withdrawn Buffer update) is dropped so the post can be handed over anew.
    """
    fields: dict = {"scheduled_time": scheduled_time, "attempts": 0, "last_error": ""}
    if not keep_buffer_update:
        fields.update(buffer_update_id="", handed_to_buffer_at=None)
    return transition(post_id=post_id, to=S.SCHEDULED, allowed_from=ALLOWED_FROM["reschedule"], **fields)


def mark_publishing(*, post_id: int) -> bool:
    """The engine claims a due post; exactly one claimant (or a concurrent cancel) wins."""
    return transition(
        post_id=post_id,
        to=S.PUBLISHING,
        allowed_from=ALLOWED_FROM["mark_publishing"],
        attempts=F("attempts") + 1,
    )


def mark_published(
    *, post_id: int, published_at: datetime, service_link: str = "", buffer_update_id: str | None = None
) -> bool:
    fields: dict = {"published_at": published_at, "service_link": service_link, "last_error": ""}
    if buffer_update_id is not None:
        fields["buffer_update_id"] = buffer_update_id
    return transition(post_id=post_id, to=S.PUBLISHED, allowed_from=ALLOWED_FROM["mark_published"], **fields)


def mark_failed(*, post_id: int, error: str) -> bool:
    """Permanently failed (or out of retries); the owner may reschedule it."""
    return transition(post_id=post_id, to=S.FAILED, allowed_from=ALLOWED_FROM["mark_failed"], last_error=error)


def release_for_retry(*, post_id: int, error: str) -> bool:
    """A retryable failure: back to scheduled (time unchanged) for the engine's next attempt."""
    return transition(post_id=post_id, to=S.SCHEDULED, allowed_from=ALLOWED_FROM["release_for_retry"], last_error=error)
