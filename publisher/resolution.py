"""Which post types a post is published with: the seed's three filters, narrowing each other.

    posttypes given        → those post types (and, with channels, only those the channels reference)
    else channels given    → every post type the channels reference
    else                   → the default post type of each network target (the `networktargets`
                             given, else every target that any channel references)
    networktargets given   → in every case, only post types of those targets

    {}                                           → default type of each target in any channel
    {"channels": ["ch_1"]}                       → ch_1's post types
    {"channels": ["ch_1"], "networktargets": ["nt_2"]} → ch_1's post types on nt_2
    {"posttypes": ["pt_5", "pt_9"]}              → pt_5 and pt_9
    {"networktargets": ["nt_2"]}                 → nt_2's default post type

Only active accounts count as network targets; ids of other users, inactive accounts or unknown
objects are errors naming the id, and filters that leave nothing to publish to are an error too.
"""

from __future__ import annotations

from django.db.models import QuerySet

from accounts.models import SocialAccount
from kernel.errors import InvalidInput
from publisher.defaults import ensure_publisher_defaults
from publisher.models import (
    CHANNEL_PREFIX,
    NETWORKTARGET_PREFIX,
    POSTTYPE_PREFIX,
    Channel,
    PostType,
    parse_config_id,
)


def _known_pks(
    ids: list[str] | None, *, prefix: str, queryset: QuerySet, what: str, field: str, errors: dict
) -> list[int] | None:
    if ids is None:
        return None
    wanted = {value: parse_config_id(value, prefix) for value in ids}
    found = set(queryset.filter(pk__in=[pk for pk in wanted.values() if pk is not None]).values_list("pk", flat=True))
    unknown = [value for value, pk in wanted.items() if pk not in found]
    if unknown:
        errors[field] = [f"Unknown {what} id {value!r} (see GET /configs/{field})." for value in unknown]
    return [pk for pk in wanted.values() if pk is not None and pk in found]


def resolve_posttypes(
    *,
    workspace,
    channels: list[str] | None = None,
    posttypes: list[str] | None = None,
    networktargets: list[str] | None = None,
) -> list[PostType]:
    """The post types to publish with, each with its network target loaded; InvalidInput otherwise."""
    ensure_publisher_defaults(workspace=workspace)
    usable = PostType.objects.in_workspace(workspace).usable()
    errors: dict[str, list[str]] = {}
    channel_pks = _known_pks(
        channels,
        prefix=CHANNEL_PREFIX,
        queryset=Channel.objects.in_workspace(workspace),
        what="channel",
        field="channels",
        errors=errors,
    )
    posttype_pks = _known_pks(
        posttypes, prefix=POSTTYPE_PREFIX, queryset=usable, what="post type", field="posttypes", errors=errors
    )
    target_pks = _known_pks(
        networktargets,
        prefix=NETWORKTARGET_PREFIX,
        queryset=SocialAccount.objects.in_workspace(workspace).filter(is_active=True),
        what="network target",
        field="networktargets",
        errors=errors,
    )
    if errors:
        raise InvalidInput.from_errors(errors)

    selected = usable
    if channel_pks is not None:
        selected = selected.filter(channels__pk__in=channel_pks)
    if posttype_pks is not None:
        selected = selected.filter(pk__in=posttype_pks)
    if channel_pks is None and posttype_pks is None:
        selected = selected.filter(is_default=True)
        if target_pks is None:
            in_channels = usable.filter(channels__isnull=False).values("network_target_id")
            selected = selected.filter(network_target_id__in=in_channels)
    if target_pks is not None:
        selected = selected.filter(network_target_id__in=target_pks)
    resolved = list(selected.select_related("network_target").distinct().order_by("network_target_id", "pk"))
    if not resolved:
        message = (
            "You have no active social account to publish to yet: connect one first (POST /api/v1/social-accounts)."
            if not (channels or posttypes or networktargets)
            else "These filters select no post type of an active network target: nothing would be published."
        )
        raise InvalidInput(message, errors={"non_field_errors": [message]})
    return resolved
