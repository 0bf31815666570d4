"""Writes on posts: create (one or a bulk), edit, delete, and (from `posts.scheduling`) the Buffer actions.

Status changes go through `posts.transitions`; edits and deletes are conditional on the status
read, so they cannot land on a post the worker claimed in between (the caller gets a 409).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

from accounts import audit
from accounts.models import SocialAccount, User, Workspace
from campaigns.models import Campaign
from kernel.errors import Conflict, InvalidInput, ServiceError
from media_library.models import MediaItem
from posts import queueing, transitions
from posts.alerts import approval_requested_on_commit
from posts.capacity import PLANNED, day_capacity_errors, time_capacity_errors
from posts.media import library_kinds, media_ids_errors, post_media_items, set_post_media, workspace_media
from posts.models import Post, PostGroup, PostMedia, PostSeries, PostStatus
from posts.network_options import clean_network_options
from posts.rules import CREATABLE_STATUSES, post_errors
from posts.scheduling import (
    edit_at_buffer,
    post_cancel,
    post_reschedule,
    post_schedule_via_buffer,
    withdraw_from_buffer,
)

# The Buffer actions are implemented in `posts.scheduling`; callers import every write from here.
__all__ = [
    "post_cancel",
    "post_create",
    "post_delete",
    "post_reschedule",
    "post_schedule_via_buffer",
    "post_update",
    "posts_bulk_create",
]

MAX_BULK = 1000


class PostChanges(TypedDict, total=False):
    """What `post_update` may change; a key left out keeps the post's value (None clears campaign and time)."""

    social_account_id: int
    campaign_id: int | None
    content: str
    media_urls: list[str]
    media_ids: list[int]
    scheduled_time: datetime | None
    network_options: dict[str, Any]
    platform: str | None
    status: str | None


def workspace_accounts(*, workspace: Workspace | int, ids: Iterable[int]) -> dict[int, SocialAccount]:
    return {a.pk: a for a in SocialAccount.objects.in_workspace(workspace).filter(pk__in=set(ids))}


def workspace_campaigns(*, workspace: Workspace | int, ids: Iterable[int | None]) -> dict[int, Campaign]:
    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return {}
    return {c.pk: c for c in Campaign.objects.in_workspace(workspace).filter(pk__in=wanted)}


def _build(
    *,
    workspace: Workspace,
    actor: User,
    item: dict[str, Any],
    accounts: dict[int, SocialAccount],
    campaigns: dict[int, Campaign],
    media: dict[int, MediaItem] | None = None,
    needs_approval: bool = False,
) -> tuple[Post, dict[str, list[str]]]:
    """An unsaved Post from validated input, with every rule it breaks.

    `media`: the workspace's library items the input's `media_ids` name (`posts.media.workspace_media`).

    `needs_approval` (the author's posts need approval: `posts.approvals.needs_approval`): a post
    created scheduled is submitted for approval instead (pending_approval), a draft remembers it.
    """
    account = accounts.get(item["social_account_id"])
    campaign_id = item.get("campaign_id")
    campaign = campaigns.get(campaign_id) if campaign_id is not None else None
    scheduled_time = item.get("scheduled_time")
    status = item.get("status") or (PostStatus.SCHEDULED if scheduled_time else PostStatus.DRAFT)
    media_urls = list(item.get("media_urls") or [])
    network_options = item.get("network_options") or {}
    media_ids = list(item.get("media_ids") or [])
    media = media or {}
    errors: dict[str, Any] = {}
    if account is None:
        errors["social_account_id"] = [f"You have no social account {item['social_account_id']}."]
    if campaign_id is not None and campaign is None:
        errors["campaign_id"] = [f"You have no campaign {campaign_id}."]
    if status not in CREATABLE_STATUSES:
        errors["status"] = ["A new post is draft or scheduled; other states come from its actions."]
    platform = account.platform if account is not None else None
    if media_errors := media_ids_errors(media_ids=media_ids, items=media, platform=platform):
        errors["media_ids"] = media_errors
    if account is not None:
        rule_errors = post_errors(
            owner=actor,
            account=account,
            campaign=campaign,
            platform=item.get("platform"),
            content=item["content"],
            media_urls=media_urls,
            scheduled_time=scheduled_time,
            status=status,
            network_options=network_options,
            library_kinds=library_kinds(media_ids, media),
        )
        for field, messages in rule_errors.items():
            if isinstance(messages, dict):  # network_options: per option
                errors[field] = messages
            else:
                errors.setdefault(field, []).extend(messages)
    post = Post(
        workspace=workspace,
        owner=actor,
        social_account=account,
        campaign=campaign,
        platform=account.platform if account else "",
        content=item["content"],
        media_urls=media_urls,
        network_options=clean_network_options(network_options) if isinstance(network_options, dict) else {},
        scheduled_time=scheduled_time,
        status=PostStatus.PENDING_APPROVAL if needs_approval and status == PostStatus.SCHEDULED else status,
        approval_required=needs_approval,
        submitted_at=timezone.now() if needs_approval and status == PostStatus.SCHEDULED else None,
    )
    return post, errors


def post_create(
    *,
    workspace: Workspace,
    actor: User,
    social_account_id: int,
    content: str,
    campaign_id: int | None = None,
    scheduled_time: datetime | None = None,
    platform: str | None = None,
    media_urls: list[str] | None = None,
    media_ids: list[int] | None = None,
    status: str | None = None,
    network_options: dict[str, Any] | None = None,
    needs_approval: bool = False,
    group: PostGroup | None = None,
    series: PostSeries | None = None,
    occurrence_at: datetime | None = None,
) -> Post:
    """`needs_approval`: the author's posts need approval, so a scheduled one is submitted (see `_build`).

    `group`: the post is one delivery of a post group (`posts.groups`).
    `series` and `occurrence_at`: an occurrence of a recurring post (`posts.recurrence`), made by this same path.
    `media_ids`: library items of the workspace, in order (each checked against the account's network)."""
    item = {
        "network_options": network_options,
        "social_account_id": social_account_id,
        "campaign_id": campaign_id,
        "content": content,
        "scheduled_time": scheduled_time,
        "platform": platform,
        "media_urls": media_urls,
        "media_ids": media_ids,
        "status": status,
    }
    post, errors = _build(
        workspace=workspace,
        actor=actor,
        item=item,
        accounts=workspace_accounts(workspace=workspace, ids=[social_account_id]),
        campaigns=workspace_campaigns(workspace=workspace, ids=[campaign_id]),
        media=workspace_media(workspace=workspace, ids=media_ids or []),
        needs_approval=needs_approval,
    )
    errors = errors or day_capacity_errors(workspace=workspace, tz=actor.tzinfo, posts=[post]).get(0, {})
    if errors:
        raise InvalidInput.from_errors(errors)
    post.group = group
    post.series, post.occurrence_at = series, occurrence_at
    with transaction.atomic():
        post.save()
        if media_ids:
            set_post_media(post_ids=[post.pk], media_ids=media_ids)
    if post.status == PostStatus.PENDING_APPROVAL:
        approval_requested_on_commit(post_ids=[post.pk])
    return post


def posts_bulk_create(
    *, workspace: Workspace, actor: User, items: list[dict[str, Any]], needs_approval: bool = False
) -> list[Post]:
    """All or nothing: every item is checked (2 queries for all accounts and campaigns) before one insert.

    `needs_approval` as for `post_create`: scheduled items are submitted for approval.
    """
    if not 1 <= len(items) <= MAX_BULK:
        raise InvalidInput.from_errors({"posts": [f"Send between 1 and {MAX_BULK} posts."]})
    posts, item_errors = posts_check(workspace=workspace, actor=actor, items=items, needs_approval=needs_approval)
    errors = {str(index): problems for index, problems in item_errors.items()}
    if errors:
        raise InvalidInput.from_errors(errors, prefix=f"Nothing was created ({len(errors)} invalid item(s)); item ")
    return posts_insert(
        posts=posts,
        media_ids=[item.get("media_ids") or [] for item in items],
        queued=queued_indexes(items),
        needs_approval=needs_approval,
    )


def queued_indexes(items: list[dict[str, Any]]) -> list[int]:
    """The items that ask for the queue (`"queue": true`): made as drafts, then each given its next free slot."""
    return [index for index, item in enumerate(items) if item.get("queue")]


def posts_check(
    *, workspace: Workspace, actor: User, items: list[dict[str, Any]], needs_approval: bool = False
) -> tuple[list[Post], dict[int, dict[str, Any]]]:
    """The unsaved posts of validated `items` and {item index: errors} for those breaking a rule (the
    day-capacity rule included), in a fixed number of queries: the bulk's checks, for any number of items."""
    accounts = workspace_accounts(workspace=workspace, ids=(item["social_account_id"] for item in items))
    campaigns = workspace_campaigns(workspace=workspace, ids=(item.get("campaign_id") for item in items))
    media = workspace_media(workspace=workspace, ids=(pk for item in items for pk in item.get("media_ids") or []))
    posts: list[Post] = []
    errors: dict[int, dict[str, Any]] = {}
    queued = queued_indexes(items)
    for index, item in enumerate(items):
        post, item_errors = _build(
            workspace=workspace,
            actor=actor,
            item={**item, "status": PostStatus.DRAFT} if index in queued else item,  # a draft until queued
            accounts=accounts,
            campaigns=campaigns,
            media=media,
            needs_approval=needs_approval,
        )
        if index in queued:
            account = accounts.get(item["social_account_id"])
            item_errors = {**queueing.queue_item_errors(account=account, item=item), **item_errors}
        if item_errors:
            errors[index] = item_errors
        posts.append(post)
    for index, day_errors in day_capacity_errors(workspace=workspace, tz=actor.tzinfo, posts=posts).items():
        errors.setdefault(index, day_errors)
    return posts, errors


def posts_insert(
    *,
    posts: list[Post],
    media_ids: Sequence[Sequence[int]] = (),
    queued: Sequence[int] = (),
    needs_approval: bool = False,
) -> list[Post]:
    """Insert posts checked by `posts_check`, with their audit events and library items (`media_ids`, one
    list per post, checked too), in one transaction; then queue those at `queued` (indexes, in order)."""
    with transaction.atomic():
        created = Post.objects.bulk_create(posts)
        PostMedia.objects.bulk_create(
            [
                PostMedia(post_id=post.pk, media_id=media_id, position=position)
                for post, ids in zip(created, media_ids, strict=False)
                for position, media_id in enumerate(ids)
            ]
        )
        audit.record_created(instances=created)  # bulk_create sends no signals: one INSERT for all events
        if queued:  # in item order: each takes its account's next free slot
            _queue_created(created, indexes=queued, needs_approval=needs_approval)
        approval_requested_on_commit(
            post_ids=[post.pk for post in created if post.status == PostStatus.PENDING_APPROVAL]
        )
    prefetch_related_objects(created, "media_links__media")  # their media_ids, for the answer: one query for all
    return created


def _queue_created(created: list[Post], *, indexes: Sequence[int], needs_approval: bool) -> None:
    """Queue the created posts at `indexes` in order, in place; one that cannot be queued fails the whole bulk."""
    cursor = queueing.InOrder(needs_approval=needs_approval)
    for index in indexes:
        try:
            created[index] = cursor.queue(created[index])
        except ServiceError as exc:  # the whole bulk rolls back: nothing was created
            raise InvalidInput.from_errors(
                {str(index): {"queue": [exc.detail]}}, prefix="Nothing was created (1 invalid item(s)); item "
            ) from exc


def _ensure_editable(post: Post) -> None:
    if post.status not in transitions.EDITABLE:
        raise Conflict(f"Post {post.pk} is {post.status}: published or publishing posts cannot be changed.")


def _edited_media(
    *, post: Post, changes: PostChanges, platform: str
) -> tuple[list[int], list[int], dict[int, MediaItem], list[str]]:
    """The post's library item ids now and after the edit, the items by id, and what is wrong with new ones."""
    current_items = post_media_items(post)
    current_ids = [item.pk for item in current_items]
    media_ids = list(changes.get("media_ids", current_ids))
    if media_ids == current_ids:
        return current_ids, media_ids, {item.pk: item for item in current_items}, []
    found = workspace_media(workspace=post.workspace_id, ids=media_ids)
    return current_ids, media_ids, found, media_ids_errors(media_ids=media_ids, items=found, platform=platform)


def post_update(*, post: Post, needs_approval: bool = False, **changes: Unpack[PostChanges]) -> Post:
    """Edit an unpublished post; a post handed to Buffer is edited there first (503 leaves it unchanged).

    Changing the content, media or options of an approved post, or any post's as a member who needs
    approval (`needs_approval`), withdraws its approval: a scheduled post waits for a new one.
    """
    _ensure_editable(post)
    status = changes.pop("status", None)
    if status is not None and status != post.status:
        raise InvalidInput.from_errors({"status": ["Change the status with /schedule, /cancel or /reschedule."]})
    owner = post.owner  # campaign days and capacity days are read in the timezone of the post's creator
    workspace = post.workspace_id  # scoping by id: no query for the workspace row
    account = post.social_account
    if changes.get("social_account_id", account.pk) != account.pk:
        if post.is_handed_to_buffer:
            raise Conflict("This post is scheduled at Buffer for its account: cancel it before moving it.")
        account_id = changes["social_account_id"]
        moved_to = workspace_accounts(workspace=workspace, ids=[account_id]).get(account_id)
        if moved_to is None:
            raise InvalidInput.from_errors({"social_account_id": [f"You have no social account {account_id}."]})
        account = moved_to
    campaign = post.campaign
    if "campaign_id" in changes and changes["campaign_id"] != post.campaign_id:
        campaign_id = changes["campaign_id"]
        campaign = (
            workspace_campaigns(workspace=workspace, ids=[campaign_id]).get(campaign_id)
            if campaign_id is not None
            else None
        )
        if campaign_id is not None and campaign is None:
            raise InvalidInput.from_errors({"campaign_id": [f"You have no campaign {campaign_id}."]})
    content = changes.get("content", post.content)
    media_urls = list(changes.get("media_urls", post.media_urls))
    current_ids, media_ids, found, media_errors = _edited_media(post=post, changes=changes, platform=account.platform)
    scheduled_time = changes.get("scheduled_time", post.scheduled_time)
    network_options = changes.get("network_options", post.network_options)
    errors = post_errors(
        owner=owner,
        account=account,
        campaign=campaign,
        platform=changes.get("platform"),
        content=content,
        media_urls=media_urls,
        scheduled_time=scheduled_time,
        status=post.status,
        network_options=network_options,
        time_changed=scheduled_time != post.scheduled_time,
        library_kinds=library_kinds(media_ids, found),
    )
    if media_errors:
        errors["media_ids"] = media_errors
    if not errors and post.status in PLANNED and scheduled_time != post.scheduled_time:
        errors = time_capacity_errors(
            workspace=workspace, tz=owner.tzinfo, scheduled_time=scheduled_time, moving=post.pk
        )
    if errors:
        raise InvalidInput.from_errors(errors)
    fields: dict[str, Any] = {
        "social_account": account,
        "platform": account.platform,
        "campaign": campaign,
        "content": content,
        "media_urls": media_urls,
        "network_options": clean_network_options(network_options),
        "scheduled_time": scheduled_time,
        # A time set by hand is not a queue slot: the post leaves its account's queue (posts.queueing).
        "queued": post.queued and scheduled_time == post.scheduled_time and account.pk == post.social_account_id,
        "updated_at": timezone.now(),
        # An occurrence of a recurring post edited on its own no longer follows its series (posts.recurrence).
        "series_detached": post.series_id is not None,
    }
    media_changed = media_ids != current_ids
    sent = (content, media_urls, scheduled_time, fields["network_options"])
    at_buffer = media_changed or sent != (post.content, post.media_urls, post.scheduled_time, post.network_options)
    # What a reviewer approved: changing it withdraws the approval (a scheduled post waits for a new one).
    reviewed = media_changed or (content, media_urls, fields["network_options"]) != (
        post.content,
        post.media_urls,
        post.network_options,
    )
    unapproves = reviewed and (post.approved_at is not None or needs_approval)
    if unapproves and post.is_handed_to_buffer and post.status == PostStatus.SCHEDULED:
        raise Conflict(
            f"Post {post.pk} is at Buffer: changing its content or media needs a new approval, which Buffer "
            "would not wait for. Cancel it first, or change only its time."
        )
    if at_buffer and post.is_handed_to_buffer and post.status == PostStatus.SCHEDULED:
        edit_at_buffer(
            post=post,
            content=content,
            media_urls=media_urls,
            scheduled_time=scheduled_time,
            network_options=fields["network_options"],
            media_items=[found[pk] for pk in media_ids],
        )
    return _write_edit(
        post=post,
        fields=fields,
        unapproves=unapproves,
        needs_approval=needs_approval,
        media_ids=media_ids if media_changed else None,
    )


def _write_edit(
    *, post: Post, fields: dict[str, Any], unapproves: bool, needs_approval: bool, media_ids: list[int] | None = None
) -> Post:
    """The edit, conditional on the status read; with `unapproves`, the approval withdrawn in the same transaction
    (so the engine cannot claim the edited post before it waits for approval again)."""
    lost = Conflict(f"Post {post.pk} changed state while it was being edited; fetch it and try again.")
    with transaction.atomic():
        unchanged = Post.objects.filter(pk=post.pk, status=post.status, buffer_update_id=post.buffer_update_id)
        if not unchanged.update(**fields):
            raise lost
        if media_ids is not None:
            set_post_media(post_ids=[post.pk], media_ids=media_ids)
        withdrawn = unapproves and transitions.withdraw_approval(
            post_id=post.pk, status=post.status, needs_approval=needs_approval
        )
        if unapproves and not withdrawn:
            raise lost
    if media_ids is not None:
        getattr(post, "_prefetched_objects_cache", {}).pop("media_links", None)  # read the new order next time
    if unapproves:
        post.refresh_from_db()
        return post
    for name, value in fields.items():
        setattr(post, name, value)
    audit.record_changes(instance=post)  # an `.update()`: the signals do not see it
    return post


def post_delete(*, post: Post) -> None:
    """Delete our record; a pending Buffer update is destroyed first (already gone at Buffer is fine)."""
    if post.status == PostStatus.PUBLISHING:
        raise Conflict(f"Post {post.pk} is being published right now; delete it once that has finished.")
    if post.status == PostStatus.RECONCILING:
        # Buffer may hold an update we have no id for yet; deleting now would orphan it there.
        raise Conflict(f"Post {post.pk} is being checked with Buffer; delete it once that has finished.")
    # A published post's Buffer update is its publishing history there: leave it.
    if post.is_handed_to_buffer and post.status != PostStatus.PUBLISHED:
        withdraw_from_buffer(post=post)
    deleted, _ = Post.objects.filter(pk=post.pk, status=post.status).delete()
    if not deleted:
        raise Conflict(f"Post {post.pk} changed state while it was being deleted; fetch it and try again.")


def account_posts_delete(*, account: SocialAccount) -> None:
    """Delete the posts of an account that is about to be deleted, by the post rules (`post_delete`).

    Refused (Conflict, naming the posts) while any of them is publishing or reconciling, before any is
    touched; otherwise each goes through `post_delete`, so one handed to Buffer is withdrawn there
    first. Each post is deleted for good as soon as Buffer has let it go: if Buffer fails on a later
    one, the account and its remaining posts stay, and deleting it again carries on.
    Registered as the accounts' delete guard (posts.apps), so every way of deleting an account runs it.
    """
    busy = list(Post.objects.filter(social_account=account, status__in=transitions.BUSY).order_by("pk"))
    if busy:
        names = ", ".join(f"{post.pk} ({post.get_status_display().lower()})" for post in busy)
        raise Conflict(
            f"{account.account_name} cannot be deleted while its posts are with Buffer right now: "
            f"post{'s' if len(busy) > 1 else ''} {names}. Delete it once that has finished."
        )
    for post in Post.objects.filter(social_account=account).select_related("social_account").order_by("pk"):
        post_delete(post=post)
