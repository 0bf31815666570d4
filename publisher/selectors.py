"""Reads for integrators, in the seed's shapes: configuration objects and post status details."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import SocialAccount
from publisher.models import (
    CHANNEL_PREFIX,
    NETWORKTARGET_PREFIX,
    POSTTYPE_PREFIX,
    Channel,
    PostType,
    PublisherPost,
    config_id,
)
from publisher.status import status_payload


def _nt(pk: int | None) -> str | None:
    return config_id(NETWORKTARGET_PREFIX, pk) if pk is not None else None


def _pt(pk: int | None) -> str | None:
    return config_id(POSTTYPE_PREFIX, pk) if pk is not None else None


# The readers expect `publisher.defaults.ensure_publisher_defaults` to have run in the request.


def config_posttypes(*, workspace) -> list[dict]:
    return [
        {
            "id": _pt(posttype.pk),
            "name": posttype.name,
            "description": posttype.description,
            "type": posttype.kind,
            "networktarget": _nt(posttype.network_target_id),
            "default": posttype.is_default,
        }
        for posttype in PostType.objects.in_workspace(workspace).usable()
    ]


def config_channels(*, workspace) -> list[dict]:
    usable = PostType.objects.in_workspace(workspace).usable().only("pk")
    channels = Channel.objects.in_workspace(workspace).prefetch_related(Prefetch("posttypes", queryset=usable))
    return [
        {
            "id": config_id(CHANNEL_PREFIX, channel.pk),
            "name": channel.name,
            "description": channel.description,
            "posttypes": [_pt(posttype.pk) for posttype in channel.posttypes.all()],
            "isDefault": channel.is_default,
        }
        for channel in channels
    ]


def _target_description(account: SocialAccount) -> str:
    who = account.service_username or account.account_name
    return f"{account.get_platform_display()} {account.service_type or 'profile'} {who}"


def config_networktargets(*, workspace) -> list[dict]:
    accounts = (
        SocialAccount.objects.in_workspace(workspace)
        .filter(is_active=True)
        .prefetch_related(Prefetch("publisher_posttypes", queryset=PostType.objects.only("pk", "network_target_id")))
    )
    return [
        {
            "id": _nt(account.pk),
            "name": account.account_name,
            "description": _target_description(account),
            "networkType": account.platform,
            "anchorType": account.service_type or "profile",
            "posttypes": [_pt(posttype.pk) for posttype in account.publisher_posttypes.all()],
        }
        for account in accounts
    ]


def post_detail(publisher_post: PublisherPost) -> dict:
    """The status object plus, for humans, what happened to each delivery."""
    return {
        **status_payload(publisher_post),
        # In the caller's timezone, like every datetime the API writes.
        "created": timezone.localtime(publisher_post.created_at),
        "scheduled": timezone.localtime(publisher_post.scheduled_at) if publisher_post.scheduled_at else None,
        "strict": publisher_post.strict,
        "failOn": publisher_post.fail_on,
        "error": publisher_post.error,
        "taskError": publisher_post.task_error or None,
        "deliveries": [
            {
                "networktarget": _nt(delivery.network_target_id),
                "networkType": delivery.network_target.platform if delivery.network_target else None,
                "posttype": _pt(delivery.post_type_id),
                "type": delivery.requested_kind,
                "renderedType": delivery.kind or None,
                "status": delivery.status,
                "warnings": delivery.warnings,
                "errors": delivery.errors,
                "link": delivery.post.service_link if delivery.post else "",
                "post": delivery.post_id,
            }
            for delivery in publisher_post.deliveries.all()
        ],
    }


# The columns of a publisher post that SocialHub writes itself: readable even when a stored value is not.
READABLE_FIELDS = ("id", "public_id", "owner", "status", "processed_at", "error", "task_error", "task_failures")
UNREADABLE_MESSAGE = (
    "A value stored with this post cannot be read back (it was accepted before input was bounded), so it "
    "is left out of background work. Delete it and send it again."
)


def readable_part(queryset, pks=None):
    queryset = queryset.only(*READABLE_FIELDS)
    return queryset if pks is None else queryset.filter(pk__in=pks)


def post_summary(publisher_post: PublisherPost) -> dict:
    """What can be shown of a post whose stored data cannot be read: its status and why."""
    return {
        **status_payload(publisher_post),
        "error": publisher_post.error or UNREADABLE_MESSAGE,
        "taskError": publisher_post.task_error or None,
    }


def posts_with_deliveries():
    return PublisherPost.objects.prefetch_related("deliveries__post", "deliveries__network_target")
