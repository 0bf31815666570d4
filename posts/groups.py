"""Post groups: written once for several accounts, one ordinary Post per account (its "delivery").

Every delivery is made by `services.post_create` and edited by `composing.edit_post`, the services a
single post uses, so its rules, approval, capacity and audit are exactly a single post's. A group is
all or nothing: one delivery that breaks a rule leaves nothing behind, and every problem is reported
at its path (`social_account_ids.1`, `variants.<account id>.content`, `deliveries.<account id>.content`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

from django.db import transaction

from accounts.models import SocialAccount, User, Workspace
from kernel.errors import Conflict, InvalidInput
from posts import queueing, services, transitions
from posts.composing import Composed, ComposerAction, composed_status, composer_time, edit_post, hand_over
from posts.models import Post, PostGroup, PostStatus
from posts.services import PostChanges

MAX_DELIVERIES = 50
# What a variant may override, per delivery, over the shared fields. (`media_ids` joins here.)
VARIANT_FIELDS = ("content", "media_urls", "media_ids", "network_options")
ErrorTree = dict[str, Any]


class Variant(TypedDict, total=False):
    """One account's overrides; a key left out takes the shared value."""

    content: str
    media_urls: list[str]
    media_ids: list[int]
    network_options: dict[str, Any]


def delivery_fields(shared: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of one delivery: the shared ones, then the variant's overrides of `VARIANT_FIELDS`."""
    return {**shared, **{key: override[key] for key in VARIANT_FIELDS if key in override}}


def _account_errors(
    ids: Sequence[int], accounts: Mapping[int, SocialAccount], variants: Mapping[Any, Any]
) -> ErrorTree:
    errors: ErrorTree = {}
    if not 1 <= len(ids) <= MAX_DELIVERIES:
        return {"social_account_ids": [f"Tick between 1 and {MAX_DELIVERIES} accounts."]}
    seen: set[int] = set()
    for index, account_id in enumerate(ids):
        if account_id not in accounts:
            # The posts API's answer for another workspace's account: it says nothing about it.
            errors.setdefault("social_account_ids", {})[str(index)] = [f"You have no social account {account_id}."]
        elif account_id in seen:
            errors.setdefault("social_account_ids", {})[str(index)] = [f"Account {account_id} is ticked twice."]
        seen.add(account_id)
    for key in variants:
        if key not in seen:
            errors.setdefault("variants", {})[str(key)] = ["A variant is for one of social_account_ids."]
    return errors


def _network_options_errors(network_options: Mapping[str, Any], platforms: set[str]) -> ErrorTree:
    stray = {key: ["No ticked account is on this network."] for key in network_options if key not in platforms}
    return {"network_options": stray} if stray else {}


def _delivery_errors(account_id: int, override: Mapping[str, Any], errors: ErrorTree) -> ErrorTree:
    """A delivery's errors at the path of what broke the rule: its variant's override, or the shared field."""
    placed: ErrorTree = {}
    for field, messages in errors.items():
        where = "variants" if field in override else "deliveries"
        placed.setdefault(where, {}).setdefault(str(account_id), {})[field] = messages
    return placed


def _merge(into: ErrorTree, errors: ErrorTree) -> None:
    for where, by_account in errors.items():
        into.setdefault(where, {}).update(by_account)


def siblings_of(post: Post) -> list[Post]:
    """The other deliveries of the post's group, by id (one query; none for a post not in a group)."""
    if post.group_id is None:
        return []
    return list(
        Post.objects.filter(group_id=post.group_id).exclude(pk=post.pk).select_related("social_account").order_by("pk")
    )


def create_post_group(
    *,
    workspace: Workspace,
    actor: User,
    social_account_ids: Sequence[int],
    content: str,
    media_urls: list[str] | None = None,
    media_ids: list[int] | None = None,
    scheduled_time: dt.datetime | None = None,
    campaign_id: int | None = None,
    network_options: Mapping[str, dict[str, Any]] | None = None,
    variants: Mapping[int, Variant] | None = None,
    status: str | None = None,
    needs_approval: bool = False,
) -> PostGroup:
    """A group with one Post per account, in the order given; all of them or none (400 naming every problem).

    `network_options` are keyed by network (`{"instagram": {...}}`): each delivery takes its account's
    network's; `variants`, keyed by account id, override `VARIANT_FIELDS` for that delivery.
    `needs_approval` and `status` are `post_create`'s, for every delivery.
    """
    variants = variants or {}
    network_options = network_options or {}
    accounts = services.workspace_accounts(workspace=workspace, ids=social_account_ids)
    errors = _account_errors(social_account_ids, accounts, variants)
    errors.update(_network_options_errors(network_options, {a.platform for a in accounts.values()}))
    if errors:
        raise InvalidInput.from_errors(errors, prefix="Nothing was created: ")
    shared = {"content": content, "media_urls": list(media_urls or []), "media_ids": list(media_ids or [])}
    with transaction.atomic():
        group = PostGroup.objects.create(workspace=workspace, owner=actor, content=content)
        for account_id in social_account_ids:
            override = variants.get(account_id, {})
            fields = delivery_fields(
                {**shared, "network_options": network_options.get(accounts[account_id].platform, {})}, override
            )
            try:
                services.post_create(
                    workspace=workspace,
                    actor=actor,
                    social_account_id=account_id,
                    campaign_id=campaign_id,
                    scheduled_time=scheduled_time,
                    status=status,
                    needs_approval=needs_approval,
                    group=group,
                    **fields,
                )
            except InvalidInput as exc:
                _merge(errors, _delivery_errors(account_id, override, exc.errors or {}))
        if errors:
            # Raised inside the transaction: the group and the deliveries already made are rolled back.
            raise InvalidInput.from_errors(errors, prefix="Nothing was created: ")
    return group


def compose_post_group(
    *,
    workspace: Workspace,
    actor: User,
    accounts: Sequence[SocialAccount],
    fields: Mapping[str, Any],
    network_options: Mapping[str, dict[str, Any]],
    variants: Mapping[int, Variant],
    action: ComposerAction,
    needs_approval: bool = False,
) -> tuple[PostGroup, Composed]:
    """The composer's buttons for several accounts: a group (`create_post_group`), then `hand_over`.

    "Add to queue": the deliveries are made as drafts, then each takes its account's next free slot."""
    queue = action == ComposerAction.QUEUE
    with transaction.atomic():
        group = create_post_group(
            workspace=workspace,
            actor=actor,
            social_account_ids=[account.pk for account in accounts],
            content=fields["content"],
            media_urls=fields.get("media_urls"),
            media_ids=fields.get("media_ids"),
            campaign_id=fields.get("campaign_id"),
            scheduled_time=composer_time(action, fields.get("scheduled_time")),
            network_options=network_options,
            variants=variants,
            status=PostStatus.DRAFT if queue else composed_status(action),
            needs_approval=needs_approval,
        )
        posts = list(group.posts.with_relations().order_by("pk"))
        if queue:
            posts = queueing.queue_posts(posts=posts, actor=actor)
    return group, hand_over(posts=posts, action=action, needs_approval=needs_approval)


def group_update(
    *,
    group: PostGroup,
    content: str | None = None,
    scheduled_time: dt.datetime | None = None,
    time_given: bool = False,
    needs_approval: bool = False,
) -> PostGroup:
    """Change the shared text and/or time of the deliveries that may still be edited, all or none.

    The text goes to the deliveries whose text was not customised (it equals the group's shared text);
    the time (`time_given`: None clears it) to every editable delivery. Published, publishing or
    reconciling deliveries are left as they are. Each edit is `composing.edit_post`'s, keeping the
    delivery's status (a post at Buffer is edited there, as a single post would be).
    """
    # Deliveries handed to Buffer last: a rule one of the others breaks then stops the edit before Buffer
    # was asked anything (a refusal after an edit at Buffer rolls back our side only).
    deliveries = sorted(
        group.posts.select_related("social_account", "owner"), key=lambda post: (post.is_handed_to_buffer, post.pk)
    )
    errors: ErrorTree = {}
    with transaction.atomic():
        for post in deliveries:
            if post.status not in transitions.EDITABLE:
                continue
            changes = PostChanges(scheduled_time=scheduled_time if time_given else post.scheduled_time)
            if content is not None and post.content == group.content:
                changes["content"] = content
            if not time_given and "content" not in changes:
                continue  # nothing of the group's changes this delivery
            if errors and post.is_handed_to_buffer:
                continue  # refused already: Buffer is not asked to change what will be rolled back
            try:
                edit_post(post=post, changes=changes, action=ComposerAction.DRAFT, needs_approval=needs_approval)
            except InvalidInput as exc:
                errors.setdefault("deliveries", {})[str(post.social_account_id)] = exc.errors or {"": [exc.detail]}
        if errors:
            raise InvalidInput.from_errors(errors, prefix="Nothing was changed: ")
        if content is not None and content != group.content:
            group.content = content
            group.save(update_fields=["content", "updated_at"])
    return group


def group_delete(*, group: PostGroup) -> list[Post]:
    """Delete the unpublished deliveries by the post delete rules, then the group; returns the published ones kept.

    Published deliveries are history: they stay, no longer in a group. Refused (409) before anything is
    touched while a delivery is publishing or reconciling. Like deleting an account's posts, each
    delivery is gone for good once Buffer let it go: if Buffer fails on a later one, the group stays
    with the rest, and deleting it again carries on.
    """
    deliveries = list(group.posts.select_related("social_account").order_by("pk"))
    busy = [post for post in deliveries if post.status in transitions.BUSY]
    if busy:
        names = ", ".join(str(post.pk) for post in busy)
        raise Conflict(f"Post group {group.pk} has deliveries with Buffer right now ({names}); delete it afterwards.")
    kept = [post for post in deliveries if post.status == PostStatus.PUBLISHED]
    for post in deliveries:
        if post.status != PostStatus.PUBLISHED:
            services.post_delete(post=post)
    group.delete()  # Post.group is SET_NULL: the published deliveries stay, unlinked
    return kept
