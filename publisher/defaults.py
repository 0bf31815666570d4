"""Every network target (social account) has post types for the kinds its network takes, one the default.

There is no hook into account creation: `ensure_default_posttypes` runs before anything reads or
resolves post types, and gives accounts that have none their defaults. Management refuses to
delete an account's last or default post type, so "has none" only ever means "new".
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from accounts.models import Platform, SocialAccount
from buffer_integration.platforms import network_limits
from publisher.models import PostKind, PostType

# Networks whose audience expects video first, even though they take images too.
VIDEO_FIRST = frozenset({Platform.YOUTUBE, Platform.TIKTOK})

DESCRIPTIONS = {
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
            network_target=account,
            kind=kind,
            name=f"{account.account_name} · {PostKind(kind).name.title()}",
            description=DESCRIPTIONS[kind],
            is_default=kind == default,
        )
        for kind in kinds
    ]


def ensure_default_posttypes(*, owner) -> int:
    """Create the default post types of the owner's accounts that have none; return how many were made.

    One query when there is nothing to do. Two requests racing here collide on the
    one-default-per-target constraint; the loser's rows roll back and the winner's stand.
    """
    created = 0
    for account in SocialAccount.objects.owned_by(owner).filter(publisher_posttypes__isnull=True):
        try:
            with transaction.atomic():
                created += len(PostType.objects.bulk_create(build_default_posttypes(account)))
        except IntegrityError:
            continue
    return created
