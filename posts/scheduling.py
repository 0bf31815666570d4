"""Services that hand posts to Buffer, withdraw them or move them in time.

Buffer is asked first and our row written after, each write a compare-and-set in
`posts.transitions`: when Buffer fails (503 and friends) the post is left exactly as it was.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from buffer_integration.backends.base import BufferBackend, UpdateDraft
from buffer_integration.exceptions import BufferError, BufferNotFound
from buffer_integration.services import backend_for_account
from kernel.errors import Conflict, InvalidInput
from media_library.models import MediaItem
from posts import transitions
from posts.capacity import time_capacity_errors
from posts.media import post_media_assets, post_media_items
from posts.models import Post, PostStatus
from posts.network_options import resolve_network_options
from posts.rules import post_errors

# "Publish now" is a post scheduled a moment ahead: posts' rules want a scheduled time in the future when
# it is saved (a bulk request validates every item first), and the engine publishes it on its next tick.
PUBLISH_NOW_LEAD = timedelta(seconds=2)


def publish_now_time() -> datetime:
    """The scheduled time of a post to publish now; the composer and the publisher API both use it."""
    return timezone.now() + PUBLISH_NOW_LEAD


def _draft(
    *,
    post: Post,
    content: str,
    media_urls: list[str],
    scheduled_time: datetime | None,
    network_options: dict[str, Any] | None = None,
    media_items: Sequence[MediaItem] | None = None,
) -> UpdateDraft:
    """`network_options` and `media_items` default to the post's own (an edit passes the new ones before they
    are saved). The assets are `posts.media.post_media_assets`: library items first, then `media_urls`."""
    account = post.social_account
    options = post.network_options if network_options is None else network_options
    items = post_media_items(post) if media_items is None else media_items
    assets = post_media_assets(media_items=items, media_urls=media_urls)
    # Buffer v1 carries one photo or one video per update: the first of each kind is sent.
    images = [asset.url for asset in assets if asset.kind == "image"]
    videos = [asset.url for asset in assets if asset.kind == "video"]
    return UpdateDraft(
        profile_id=account.buffer_profile_id,
        text=content,
        photo_url=images[0] if images else "",
        video_url=videos[0] if videos else "",
        scheduled_at=scheduled_time,
        service=account.platform,
        network_options=resolve_network_options(account=account, options=options),
        assets=tuple(assets),
    )


def edit_at_buffer(
    *,
    post: Post,
    content: str,
    media_urls: list[str],
    scheduled_time: datetime | None,
    network_options: dict[str, Any] | None = None,
    media_items: Sequence[MediaItem] | None = None,
) -> None:
    draft = _draft(
        post=post,
        content=content,
        media_urls=media_urls,
        scheduled_time=scheduled_time,
        network_options=network_options,
        media_items=media_items,
    )
    try:
        backend_for_account(account=post.social_account).edit_update(post.buffer_update_id, draft)
    except BufferNotFound:
        raise Conflict(
            f"Buffer no longer has post {post.pk}'s update (published or deleted there); it cannot be changed."
        ) from None


def withdraw_from_buffer(*, post: Post) -> None:
    """Destroy the post's Buffer update; one Buffer no longer has is already withdrawn."""
    with contextlib.suppress(BufferNotFound):
        backend_for_account(account=post.social_account).destroy_update(post.buffer_update_id)


def _discard(backend: BufferBackend, update_id: str) -> None:
    """Best effort: undo an update we created but could not record (we lost a race)."""
    with contextlib.suppress(BufferError):
        backend.destroy_update(update_id)


def _lost(post: Post, action: str) -> Conflict:
    status = Post.objects.filter(pk=post.pk).values_list("status", flat=True).first()
    return Conflict(f"Post {post.pk} is now {status or 'deleted'}: it cannot be {action}.")


def schedulable_errors(*, post: Post, scheduled_time: datetime | None) -> dict[str, list[str]]:
    errors = _post_rule_errors(post=post, scheduled_time=scheduled_time)
    return errors or time_capacity_errors(
        workspace=post.workspace_id, tz=post.owner.tzinfo, scheduled_time=scheduled_time, moving=post.pk
    )


def _post_rule_errors(*, post: Post, scheduled_time: datetime | None) -> dict[str, list[str]]:
    return post_errors(
        owner=post.owner,
        account=post.social_account,
        campaign=post.campaign,
        platform=None,
        content=post.content,
        media_urls=post.media_urls,
        scheduled_time=scheduled_time,
        status=PostStatus.SCHEDULED,
        network_options=post.network_options,
        library_kinds=[item.kind for item in post_media_items(post)],
    )


def ensure_can_hand_to_buffer(post: Post, *, needs_approval: bool = False) -> None:
    """Refuse (409) a post that cannot go to Buffer as it is: wrong status, already there, or not approved.

    `needs_approval`: the caller's posts need approval (`posts.approvals.needs_approval`).
    """
    if post.status not in transitions.ALLOWED_FROM["hand_to_buffer"]:
        raise Conflict(f"Post {post.pk} is {post.status}: only draft, scheduled or failed posts go to Buffer.")
    if (post.approval_required or needs_approval) and post.approved_at is None:
        raise Conflict(f"Post {post.pk} needs approval before it goes to Buffer: submit it for approval first.")
    if post.is_handed_to_buffer:
        raise Conflict(
            f"Post {post.pk} is already at Buffer (update {post.buffer_update_id}); use /reschedule to move it."
        )


def post_schedule_via_buffer(*, post: Post, needs_approval: bool = False) -> Post:
    """Create the post's update at Buffer for its scheduled_time and record the update id."""
    ensure_can_hand_to_buffer(post, needs_approval=needs_approval)
    if not post.social_account.buffer_profile_id:
        raise InvalidInput.from_errors(
            {"social_account_id": ["This account has no buffer_profile_id: set it or sync it first."]}
        )
    errors = schedulable_errors(post=post, scheduled_time=post.scheduled_time)
    if errors:
        raise InvalidInput.from_errors(errors)
    backend = backend_for_account(account=post.social_account)
    draft = _draft(post=post, content=post.content, media_urls=post.media_urls, scheduled_time=post.scheduled_time)
    update = backend.create_update(draft)
    if not transitions.hand_to_buffer(post_id=post.pk, buffer_update_id=update.id, handed_at=timezone.now()):
        _discard(backend, update.id)
        raise _lost(post, "handed to Buffer")
    post.refresh_from_db()
    return post


def post_cancel(*, post: Post) -> Post:
    """Cancel a post that is not published, withdrawing it from Buffer first. Cancelling twice is a no-op."""
    if post.status == PostStatus.CANCELLED:
        return post
    if post.status not in transitions.ALLOWED_FROM["cancel"]:
        raise Conflict(f"Post {post.pk} is {post.status}: it can no longer be cancelled.")
    if post.is_handed_to_buffer:
        withdraw_from_buffer(post=post)
    if not transitions.cancel(post_id=post.pk):
        raise _lost(post, "cancelled")  # published meanwhile: the publish won
    post.refresh_from_db()
    return post


def post_reschedule(
    *, post: Post, scheduled_time: datetime, needs_approval: bool = False, queued: bool = False
) -> Post:
    """Schedule at a new time; a pending Buffer update is moved there, a stale one withdrawn.

    A post that needs approval (`needs_approval`: the caller's posts do; or the post already did) and
    has none is submitted instead (pending_approval), and any Buffer update of it withdrawn. `queued`: the
    time is a slot of the account's queue (`posts.queueing.queue_post`); a time set by hand is not.
    """
    if post.status not in transitions.ALLOWED_FROM["reschedule"]:
        raise Conflict(f"Post {post.pk} is {post.status}: it can no longer be rescheduled.")
    errors = schedulable_errors(post=post, scheduled_time=scheduled_time)
    if errors:
        raise InvalidInput.from_errors(errors)
    submits = (post.approval_required or needs_approval) and post.approved_at is None
    keep = post.is_handed_to_buffer and post.status == PostStatus.SCHEDULED and not submits
    if keep:
        edit_at_buffer(post=post, content=post.content, media_urls=post.media_urls, scheduled_time=scheduled_time)
    elif post.is_handed_to_buffer:
        withdraw_from_buffer(post=post)  # a failed update at Buffer cannot be edited; /schedule hands it anew
    rescheduled = transitions.reschedule(
        post_id=post.pk,
        scheduled_time=scheduled_time,
        keep_buffer_update=keep,
        needs_approval=needs_approval,
        queued=queued,
    )
    if not rescheduled:
        raise _lost(post, "rescheduled")
    post.refresh_from_db()
    return post
