"""Comment sync: Buffer's comments on published deliveries, diffed with what the receiver was told.

New comments are sent as POST, changed ones as PUT, vanished ones as DELETE, each with a SocialHub
Comment object, through the same signed, ordered, retried outbox as status callbacks. The diff
and the outbox rows of one post are written under a lock on that post, so two sync runs at once
cannot report a comment twice.
"""

from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from buffer_integration.backends.base import BufferInteraction
from buffer_integration.budget import Priority
from buffer_integration.exceptions import BufferBudgetExhausted, BufferError
from buffer_integration.services import backend_for_account
from posts.models import PostStatus
from publisher.models import (
    NETWORKTARGET_PREFIX,
    CallbackStream,
    Delivery,
    PublisherPost,
    ReportedComment,
    config_id,
)
from publisher.outbox import enqueue_callback
from socialhub.errors import DomainError
from socialhub.periodic import load_isolated, run_isolated

logger = logging.getLogger("publisher.comments")
METHOD_FOR = {"created": "POST", "updated": "PUT", "deleted": "DELETE"}
LOOP = "publisher.sync_comments"
SYNC_BUDGET_SECONDS = 60.0  # within the task time limit; the next run picks up the rest


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def comment_object(*, interaction: BufferInteraction, delivery: Delivery) -> dict:
    """The SocialHub Comment object. Buffer gives plain text only, so `content.html` is left out."""
    return {
        "commentId": interaction.id,
        "postId": delivery.publisher_post.public_id,
        "parentCommentId": interaction.parent_id or None,
        "author": interaction.author_name,
        "authorLink": interaction.author_link,
        "content": {"plain": interaction.text},
        "created": _iso(interaction.created_at),
        "changed": _iso(interaction.updated_at or interaction.created_at),
        "networktarget": config_id(NETWORKTARGET_PREFIX, delivery.network_target_id),
    }


def _fingerprint(comment: dict) -> str:
    return hashlib.sha256(json.dumps(comment, sort_keys=True).encode()).hexdigest()


def diff_comments(*, delivery: Delivery, interactions: list[BufferInteraction]) -> dict[str, int]:
    """Record and queue what changed since the last sync; call inside a transaction."""
    known = {row.comment_id: row for row in delivery.reported_comments.all()}
    counts = dict.fromkeys(METHOD_FOR, 0)
    now = timezone.now()

    def report(event: str, comment: dict) -> None:
        counts[event] += 1
        enqueue_callback(
            publisher_post=delivery.publisher_post,
            stream=CallbackStream.COMMENT,
            event=f"comment.{event}",
            method=METHOD_FOR[event],
            url=delivery.publisher_post.comment_callback_url,
            payload=comment,
        )

    current = {
        interaction.id: comment_object(interaction=interaction, delivery=delivery) for interaction in interactions
    }
    for comment_id, comment in current.items():
        row, fingerprint = known.get(comment_id), _fingerprint(comment)
        if row is None:
            ReportedComment.objects.create(
                delivery=delivery, comment_id=comment_id, fingerprint=fingerprint, snapshot=comment
            )
            report("created", comment)
        elif row.deleted_at is not None or row.fingerprint != fingerprint:
            event = "created" if row.deleted_at is not None else "updated"
            ReportedComment.objects.filter(pk=row.pk).update(
                fingerprint=fingerprint, snapshot=comment, deleted_at=None, updated_at=now
            )
            report(event, comment)
    for comment_id, row in known.items():
        if comment_id not in current and row.deleted_at is None:
            ReportedComment.objects.filter(pk=row.pk).update(deleted_at=now, updated_at=now)
            report("deleted", row.snapshot)
    return counts


def sync_delivery_comments(*, delivery: Delivery) -> dict[str, int]:
    """Read the delivery's comments from Buffer (outside any transaction), then diff under the post's lock."""
    post = delivery.post
    interactions = backend_for_account(account=post.social_account, priority=Priority.COMMENT_SYNC).list_interactions(
        post.buffer_update_id, event="comment"
    )
    with transaction.atomic():
        # Serialises syncs of this post: the diff base and the outbox sequence stay consistent.
        PublisherPost.objects.select_for_update().filter(pk=delivery.publisher_post_id).first()
        return diff_comments(delivery=delivery, interactions=interactions)


def deliveries_to_sync(*, now: datetime | None = None):
    """Published deliveries of posts with a comment callback, within the sync window."""
    now = now or timezone.now()
    window = timedelta(days=settings.PUBLISHER_COMMENT_SYNC_DAYS)
    return (
        Delivery.objects.filter(
            post__status=PostStatus.PUBLISHED,
            post__published_at__gte=now - window,
            publisher_post__comment_callback_url__gt="",
        )
        .exclude(post__buffer_update_id="")
        .select_related("publisher_post", "post__social_account")
        .order_by("id")
    )


def sync_all_comments(*, now: datetime | None = None, budget_seconds: float = SYNC_BUDGET_SECONDS) -> int:
    """One pass over every delivery to sync, each on its own: Buffer refusing an account is logged
    and skipped; any other failure (an unreadable row included) is skipped, logged and counted.

    Comment sync has the lowest priority of a key's budget: once it is refused for a key, that key's
    other deliveries wait for a later run (the next periodic run after `retry_at`; nothing is lost, the
    diff is against what was reported) instead of asking again in this one."""
    events = 0
    deferred: dict[int, datetime] = {}  # owner id -> the key's retry_at

    def sync(delivery: Delivery) -> None:
        nonlocal events
        owner_id = delivery.post.social_account.owner_id
        if owner_id in deferred:
            return
        try:
            events += sum(sync_delivery_comments(delivery=delivery).values())
        except BufferBudgetExhausted as exc:
            deferred[owner_id] = exc.retry_at
            logger.info("comment sync of owner %s deferred to %s: %s", owner_id, exc.retry_at.isoformat(), exc.message)
        except (BufferError, DomainError) as exc:
            logger.warning("comment sync of delivery %s skipped: %s", delivery.pk, exc)

    queryset = deliveries_to_sync(now=now)
    deliveries, unreadable = load_isolated(queryset, list(queryset.values_list("pk", flat=True)), name=LOOP)
    run_isolated(deliveries, sync, name=LOOP, budget_seconds=budget_seconds, atomic=False, already_skipped=unreadable)
    return events
