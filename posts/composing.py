"""What the composer's buttons do, as services: the web page only parses the form and shows the result.

"Save draft" and "Schedule" create or edit, "Publish now" schedules at once (the engine publishes due
posts), "Schedule via Buffer" schedules and hands the post to Buffer, "Add to queue" schedules it at its
account's next free time slot (`posts.queueing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.db import transaction

from accounts.models import SocialAccount, User, Workspace
from kernel.errors import InvalidInput, ServiceError
from posts import queueing, services
from posts.models import Post, PostStatus
from posts.scheduling import ensure_can_hand_to_buffer, publish_now_time
from posts.services import PostChanges


class ComposerAction(StrEnum):
    DRAFT = "draft"
    SCHEDULE = "schedule"
    PUBLISH = "publish"
    BUFFER = "buffer"
    QUEUE = "queue"


@dataclass(frozen=True)
class Composed:
    """The posts made, and the ones Buffer did not take (they stay scheduled in SocialHub)."""

    posts: list[Post]
    not_handed: dict[int, ServiceError] = field(default_factory=dict)


def composer_time(action: ComposerAction, requested: dt.datetime | None) -> dt.datetime | None:
    if action == ComposerAction.QUEUE:
        return None  # the queue chooses the time
    return publish_now_time() if action == ComposerAction.PUBLISH else requested


def compose_posts(
    *,
    workspace: Workspace,
    actor: User,
    accounts: Sequence[SocialAccount],
    fields: Mapping[str, Any],
    network_options: Mapping[int, dict[str, Any]],
    action: ComposerAction,
    needs_approval: bool = False,
) -> Composed:
    """One post per account, all or nothing (`posts_bulk_create`); then, for "Schedule via Buffer", each
    is handed to Buffer. A post Buffer does not take is still created and scheduled: SocialHub publishes
    it itself at its time, and `not_handed` says which and why, for the page to tell the person.

    `needs_approval` (the author's posts need approval): scheduling submits them for approval, and none
    goes to Buffer before it is approved."""
    status = composed_status(action)
    scheduled_time = composer_time(action, fields.get("scheduled_time"))
    items = [
        {
            **fields,
            "scheduled_time": scheduled_time,
            "social_account_id": account.pk,
            "status": status,
            "network_options": network_options.get(account.pk, {}),
            "queue": action == ComposerAction.QUEUE,  # each the next free slot of its account
        }
        for account in accounts
    ]
    posts = services.posts_bulk_create(workspace=workspace, actor=actor, items=items, needs_approval=needs_approval)
    return hand_over(posts=posts, action=action, needs_approval=needs_approval)


def composed_status(action: ComposerAction) -> str:
    return PostStatus.DRAFT if action == ComposerAction.DRAFT else PostStatus.SCHEDULED


def hand_over(*, posts: list[Post], action: ComposerAction, needs_approval: bool) -> Composed:
    """For "Schedule via Buffer", each new post is handed to Buffer; one it does not take stays scheduled."""
    not_handed: dict[int, ServiceError] = {}
    if action == ComposerAction.BUFFER and not needs_approval:
        for index, post in enumerate(posts):
            try:
                posts[index] = services.post_schedule_via_buffer(post=post)
            except ServiceError as exc:
                not_handed[post.pk] = exc
    return Composed(posts=posts, not_handed=not_handed)


def edit_post(*, post: Post, changes: PostChanges, action: ComposerAction, needs_approval: bool = False) -> Post:
    """Edit, then schedule or hand to Buffer as the button says: all of it or none of it.

    One transaction around the three steps, with Buffer asked at most once and last: handing over
    refuses a post already at Buffer before anything is written, and only a post already at Buffer
    is edited there (by `post_update`, when it stays scheduled, with nothing after it). So when a
    rule or Buffer says no, the edit is rolled back with it rather than left half-applied.
    `needs_approval` (the editor's posts need approval): scheduling submits the post for approval instead.
    """
    if action == ComposerAction.BUFFER:
        # Checked first: post_schedule_via_buffer would refuse only after post_update had edited it at Buffer.
        ensure_can_hand_to_buffer(post, needs_approval=needs_approval)
    scheduled_time = composer_time(action, changes.get("scheduled_time"))
    changes = changes.copy()
    if action == ComposerAction.QUEUE:
        changes.pop("scheduled_time", None)  # kept as it is until the queue gives it a slot
    else:
        changes["scheduled_time"] = scheduled_time
    with transaction.atomic():
        post = services.post_update(post=post, needs_approval=needs_approval, **changes)
        if action == ComposerAction.QUEUE:
            return queueing.queue_as(post=post, needs_approval=needs_approval)
        waiting = (PostStatus.SCHEDULED, PostStatus.PENDING_APPROVAL)
        if action in (ComposerAction.SCHEDULE, ComposerAction.PUBLISH) and post.status not in waiting:
            if scheduled_time is None:
                raise InvalidInput.from_errors({"scheduled_time": ["Choose a date and time to schedule the post."]})
            post = services.post_reschedule(post=post, scheduled_time=scheduled_time, needs_approval=needs_approval)
        if action == ComposerAction.BUFFER:
            post = services.post_schedule_via_buffer(post=post, needs_approval=needs_approval)
    return post
