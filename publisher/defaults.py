"""Every network target (social account) has post types for the kinds its network takes, one the default;
every user has a default channel referencing the default post type of each active target.

There is no hook into account creation: `ensure_publisher_defaults` runs before anything reads or
resolves post types or channels. It gives accounts that have none their post types (management
refuses to delete an account's last or default post type, so "has none" only ever means "new"),
creates the default channel on first need and brings its post types in step with the accounts:
a new account joins it, a deleted or inactive one leaves, a new default post type replaces the old.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.audit import record_created
from accounts.models import Platform, SocialAccount
from buffer_integration.platforms import PUBLISHABLE_PLATFORMS, network_limits
from publisher.models import Channel, PostKind, PostType

DEFAULT_CHANNEL_NAME = "All network targets"
DEFAULT_CHANNEL_DESCRIPTION = (
    "Kept by SocialHub: the default post type of every active network target. "
    "A post without channels, posttypes or networktargets goes here."
)

# Networks whose audience expects video first, even though they take images too.
VIDEO_FIRST = frozenset({Platform.YOUTUBE, Platform.TIKTOK})

DESCRIPTIONS: dict[str, str] = {
    PostKind.STATUS: "The message as text only.",
    PostKind.LINK: "The message with the content link.",
    PostKind.IMAGE: "The message and link with the payload's images (falls back to a link post without one).",
    PostKind.VIDEO: "The message and link with the payload's video (falls back without one).",
}


def default_kinds(platform: str, service_type: str = "profile") -> tuple[list[str], str]:
    """The post kinds a network takes and which of them is the default.

    Image-capable networks default to IMAGE: a payload with an image is posted with it, one
    without falls back to LINK (recorded as a warning). Networks that require media get no
    STATUS/LINK types, which they would always reject.
    """
    limits = network_limits(platform, service_type)
    kinds: list[str] = []
    if not limits["x_media_required"]:
        kinds += [PostKind.STATUS, PostKind.LINK]
    if limits["x_max_images"] > 0:
        kinds.append(PostKind.IMAGE)
    if limits["x_max_videos"] > 0:
        kinds.append(PostKind.VIDEO)
    if platform in VIDEO_FIRST and PostKind.VIDEO in kinds:
        return kinds, PostKind.VIDEO
    return kinds, PostKind.IMAGE if PostKind.IMAGE in kinds else kinds[0]


def build_default_posttypes(account: SocialAccount) -> list[PostType]:
    kinds, default = default_kinds(account.platform, account.service_type or "profile")
    return [
        PostType(
            owner_id=account.owner_id,
            workspace_id=account.workspace_id,
            network_target=account,
            kind=kind,
            name=f"{account.account_name} · {PostKind(kind).name.title()}",
            description=DESCRIPTIONS[kind],
            is_default=kind == default,
        )
        for kind in kinds
    ]


def ensure_default_posttypes(*, workspace) -> int:
    """Create the default post types of the workspace's accounts that have none; return how many were made.

    One query when there is nothing to do. Two requests racing here collide on the
    one-default-per-target constraint; the loser's rows roll back and the winner's stand.
    """
    created = 0
    for account in SocialAccount.objects.in_workspace(workspace).filter(publisher_posttypes__isnull=True):
        try:
            with transaction.atomic():
                made = PostType.objects.bulk_create(build_default_posttypes(account))
                record_created(instances=made)  # bulk_create sends no signals
                created += len(made)
        except IntegrityError:
            continue
    return created


def _default_channel(workspace, *, create_for: int | None) -> Channel | None:
    """The default channel; created (recorded as made by user `create_for`) when missing and asked to."""
    channel = Channel.objects.in_workspace(workspace).filter(is_default=True).first()
    if channel is not None or create_for is None:
        return channel
    # A channel the user named like this before the default existed keeps its name.
    taken = Channel.objects.in_workspace(workspace).filter(name=DEFAULT_CHANNEL_NAME).exists()
    name = f"{DEFAULT_CHANNEL_NAME} (default)" if taken else DEFAULT_CHANNEL_NAME
    try:
        with transaction.atomic():
            return Channel.objects.create(
                workspace=workspace,
                owner_id=create_for,
                name=name,
                description=DEFAULT_CHANNEL_DESCRIPTION,
                is_default=True,
            )
    except IntegrityError:  # another request created it first
        return Channel.objects.in_workspace(workspace).get(is_default=True)


def ensure_default_channel(*, workspace) -> Channel | None:
    """The workspace's default channel referencing exactly each active target's default post type.

    Created with the first active target (None before); three queries when it is already in step.
    """
    # A network Buffer's API cannot post to (TikTok) would make every post of the default channel fail.
    defaults = PostType.objects.in_workspace(workspace).usable().filter(is_default=True)
    defaults = defaults.filter(network_target__platform__in=PUBLISHABLE_PLATFORMS)
    # Made by SocialHub when the first target is: recorded as made by that target's creator.
    rows = list(defaults.values_list("pk", "owner_id"))
    wanted = {pk for pk, _ in rows}
    channel = _default_channel(workspace, create_for=rows[0][1] if rows else None)
    if channel is None:
        return None
    current = set(channel.posttypes.values_list("pk", flat=True))
    if current - wanted:
        channel.posttypes.remove(*(current - wanted))
    if wanted - current:
        channel.posttypes.add(*(wanted - current))
    return channel


def ensure_publisher_defaults(*, workspace) -> Channel | None:
    """Default post types for new accounts, then the default channel in step with them."""
    ensure_default_posttypes(workspace=workspace)
    return ensure_default_channel(workspace=workspace)
