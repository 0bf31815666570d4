"""Comment sync: Buffer's comments on published deliveries, diffed with what the receiver was told.

New comments are sent as POST, changed ones as PUT, vanished ones as DELETE, each with a SocialHub
Comment object, through the same signed, ordered, retried outbox as status callbacks. The diff
and the outbox rows of one post are written under a lock on that post, so two sync runs at once
cannot report a comment twice.

Buffer is asked per (API key, organization) when its backoff has run out (`posts.polling`): every
PUBLISHER_COMMENT_SYNC_INTERVAL while comments change or a delivery was just published, doubling up to
BUFFER_POLL_MAX_INTERVAL_SECONDS while nothing does, never past PUBLISHER_COMMENT_SYNC_DAYS after
publishing. Requests carry `Priority.COMMENT_SYNC`, the lowest: a key short of budget defers to `retry_at`.
Only v1 serves comments (one request per delivery); on GraphQL the key is not asked at all.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from buffer_integration.backends import ensure_supported
from buffer_integration.backends.base import BufferBackend, BufferInteraction
from buffer_integration.budget import Priority
from buffer_integration.exceptions import BufferBudgetExhausted, BufferError, BufferUnsupported
from buffer_integration.services import backend_for_account, backend_for_config, buffer_config_for_account
from kernel.errors import DomainError
from kernel.periodic import load_isolated, run_isolated
from posts import polling
from posts.models import BufferPollState, PollStream, PostStatus
from publisher.models import (
    NETWORKTARGET_PREFIX,
    CallbackStream,
    Delivery,
    PublisherPost,
    ReportedComment,
    config_id,
)
from publisher.outbox import enqueue_callback

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


def sync_delivery_comments(*, delivery: Delivery, backend: BufferBackend | None = None) -> dict[str, int]:
    """Read the delivery's comments from Buffer (outside any transaction), then diff under the post's lock."""
    post = delivery.post
    assert post is not None  # only deliveries that made a post have comments to sync
    backend = backend or backend_for_account(account=post.social_account, priority=Priority.COMMENT_SYNC)
    interactions = backend.list_interactions(post.buffer_update_id, event="comment")
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


@dataclass
class _KeyPoll:
    """One (API key, organization) being polled in this run."""

    state: BufferPollState
    backend: BufferBackend
    fresh: bool  # a delivery was published since the last poll: comments come soonest after publishing
    changed: bool = False
    deferred: bool = False


def _group_key(delivery: Delivery) -> tuple[int, str]:
    assert delivery.post is not None  # the comment polls select deliveries with a post
    account = delivery.post.social_account
    return account.workspace_id, account.buffer_organization_id


def _open_poll(delivery: Delivery, *, newest: datetime, now: datetime) -> _KeyPoll | None:
    """The poll of the delivery's (key, organization), or None when it is not due (backoff) or cannot be
    served (the key's API has no comments: asked of the backend, no request)."""
    assert delivery.post is not None  # the comment polls select deliveries with a post
    account = delivery.post.social_account
    config = buffer_config_for_account(account=account)
    state = polling.state_for(
        token=config.get_access_token(), organization_id=account.buffer_organization_id, stream=PollStream.COMMENTS
    )
    previous = state.last_polled_at
    if not polling.is_due(state, now=now, fresh_since=newest) or not polling.take(state, now=now):
        return None
    backend = backend_for_config(config=config, priority=Priority.COMMENT_SYNC)
    try:
        ensure_supported(backend, "interactions")
    except BufferUnsupported as exc:
        logger.info("comment sync of workspace %s: %s", account.workspace_id, exc.message)
        polling.record(state, now=now, changed=False, base_seconds=polling.max_interval())
        return None
    return _KeyPoll(state=state, backend=backend, fresh=previous is None or newest > previous)


def sync_all_comments(*, now: datetime | None = None, budget_seconds: float = SYNC_BUDGET_SECONDS) -> int:
    """One pass over the deliveries to sync, per (API key, organization) whose backoff has run out (see
    `posts.polling`): each delivery on its own — Buffer refusing an account is logged and skipped; any
    other failure (an unreadable row included) is skipped, logged and counted. A key out of budget
    (`BufferBudgetExhausted`) stops its organization's deliveries until the budget's `retry_at`."""
    now = now or timezone.now()
    events = 0
    queryset = deliveries_to_sync(now=now)
    deliveries, unreadable = load_isolated(queryset, list(queryset.values_list("pk", flat=True)), name=LOOP)
    newest: dict[tuple[int, str], datetime] = {}
    for delivery in deliveries:
        key = _group_key(delivery)
        newest[key] = max(newest.get(key, delivery.post.published_at), delivery.post.published_at)
    polls: dict[tuple[int, str], _KeyPoll | None] = {}

    def sync(delivery: Delivery) -> None:
        nonlocal events
        key = _group_key(delivery)
        if key not in polls:
            try:
                polls[key] = _open_poll(delivery, newest=newest[key], now=now)
            except DomainError as exc:
                polls[key] = None
                logger.warning("comment sync of workspace %s skipped: %s", key[0], exc)
        poll = polls[key]
        if poll is None or poll.deferred:
            return
        try:
            counts = sync_delivery_comments(delivery=delivery, backend=poll.backend)
        except BufferBudgetExhausted as exc:
            poll.deferred = True
            polling.defer(poll.state, until=exc.retry_at)  # publishing keeps the key's remaining budget
            return
        except (BufferError, DomainError) as exc:
            logger.warning("comment sync of delivery %s skipped: %s", delivery.pk, exc)
            return
        events += sum(counts.values())
        poll.changed |= any(counts.values())

    run_isolated(deliveries, sync, name=LOOP, budget_seconds=budget_seconds, atomic=False, already_skipped=unreadable)
    for poll in polls.values():
        if poll is not None and not poll.deferred:
            base = settings.PUBLISHER_COMMENT_SYNC_INTERVAL
            polling.record(poll.state, now=now, changed=poll.changed or poll.fresh, base_seconds=base)
    return events
