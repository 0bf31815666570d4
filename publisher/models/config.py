"""Configuration objects integrators address: post types (one way of posting to a network target) and channels.

A network target is a `SocialAccount`. Integrators see all three with string ids carrying a type
prefix (`ch_12`, `pt_7`, `nt_3`), so a channel id pasted where a post type belongs is reported as
unknown instead of silently matching another object with the same number.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from kernel.models import TimestampedModel

CHANNEL_PREFIX = "ch_"
POSTTYPE_PREFIX = "pt_"
NETWORKTARGET_PREFIX = "nt_"


def config_id(prefix: str, pk: int | None) -> str:
    return f"{prefix}{pk}"


def parse_config_id(value: str, prefix: str) -> int | None:
    """The pk inside `value`, or None when it is not an id of this kind."""
    if not isinstance(value, str) or not value.startswith(prefix):
        return None
    digits = value[len(prefix) :]
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) < 19 else None


class PostKind(models.TextChoices):
    STATUS = "STATUS", "Status (text only)"
    LINK = "LINK", "Link (text and link)"
    IMAGE = "IMAGE", "Image (text, link and images)"
    VIDEO = "VIDEO", "Video (text, link and a video)"


class PostTypeQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> PostTypeQuerySet:
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(workspace=workspace)

    def usable(self) -> PostTypeQuerySet:
        """Post types of active accounts: the only ones integrators see and publish with."""
        return self.filter(network_target__is_active=True)


class PostType(TimestampedModel):
    # Who created it (kept for the record); the workspace owns it and is the only scope, denormalised from
    # the account like Post.workspace: every list is scoped without a join.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="publisher_posttypes")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="publisher_posttypes")
    network_target = models.ForeignKey(
        "accounts.SocialAccount", on_delete=models.CASCADE, related_name="publisher_posttypes"
    )
    kind = models.CharField(max_length=10, choices=PostKind.choices)
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, default="")
    is_default = models.BooleanField(default=False)
    # Defaults for the post's network options (posts.network_options), e.g. a Pinterest board;
    # well-known payload keys override them (publisher.rendering.payload_network_options).
    network_options = models.JSONField(default=dict, blank=True)

    objects = PostTypeQuerySet.as_manager()

    class Meta:
        ordering = ["network_target_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["network_target"], condition=Q(is_default=True), name="one_default_posttype_per_target"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def config_id(self) -> str:
        return config_id(POSTTYPE_PREFIX, self.pk)


class ChannelQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> ChannelQuerySet:
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(workspace=workspace)


class Channel(TimestampedModel):
    """A named category ("Marketing", "HR") that posts are addressed to; it references post types.

    Each user also has one default channel (`is_default`), kept by SocialHub: it references the
    default post type of every active network target (see `publisher.defaults`).
    """

    # Who created it (kept for the record); the workspace owns it and is the only scope.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="publisher_channels")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="publisher_channels")
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True, default="")
    posttypes = models.ManyToManyField(PostType, related_name="channels", blank=True)
    is_default = models.BooleanField(default=False, editable=False)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["-is_default", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="unique_channel_name_per_workspace"),
            models.UniqueConstraint(
                fields=["workspace"], condition=Q(is_default=True), name="one_default_channel_per_workspace"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def config_id(self) -> str:
        return config_id(CHANNEL_PREFIX, self.pk)
