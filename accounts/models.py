from __future__ import annotations

import functools
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from kernel.models import EncryptedAccessTokenModel, TimestampedModel


@functools.cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())  # reads the tz database from disk: once per process


def validate_timezone(value: str) -> None:
    """Only names of the tz database: never a path handed to ZoneInfo (a long or odd name is an OSError there)."""
    if value not in _known_timezones():
        raise ValidationError(f"{value!r} is not a known IANA timezone (e.g. Europe/Berlin).")


class User(AbstractUser):
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Platform(models.TextChoices):
    """The networks Buffer publishes to."""

    TWITTER = "twitter", "X / Twitter"
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    PINTEREST = "pinterest", "Pinterest"
    TIKTOK = "tiktok", "TikTok"
    MASTODON = "mastodon", "Mastodon"
    THREADS = "threads", "Threads"
    BLUESKY = "bluesky", "Bluesky"
    YOUTUBE = "youtube", "YouTube"
    GOOGLEBUSINESS = "googlebusiness", "Google Business Profile"


class ConnectionStatus(models.TextChoices):
    UNKNOWN = "unknown", "Unknown"
    OK = "ok", "OK"
    ERROR = "error", "Error"


class SocialAccountQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> SocialAccountQuerySet:
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(workspace=workspace)


class SocialAccount(TimestampedModel, EncryptedAccessTokenModel):
    # Who created it (kept for the record); the workspace owns it and is the only scope.
    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="social_accounts")
    workspace = models.ForeignKey("Workspace", on_delete=models.CASCADE, related_name="social_accounts")
    platform = models.CharField(max_length=20, choices=Platform.choices)
    account_name = models.CharField(max_length=255)
    buffer_profile_id = models.CharField(max_length=64, blank=True, default="")
    is_active = models.BooleanField(default=True)
    connection_status = models.CharField(
        max_length=10, choices=ConnectionStatus.choices, default=ConnectionStatus.UNKNOWN
    )
    last_checked_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    # What the last sync from the Buffer profile brought.
    service_type = models.CharField(max_length=20, blank=True, default="")
    service_username = models.CharField(max_length=255, blank=True, default="")
    avatar_url = models.URLField(max_length=500, blank=True, default="")
    profile_timezone = models.CharField(max_length=64, blank=True, default="")
    posting_schedule = models.JSONField(default=list, blank=True)
    # Buffer's organization that holds the channel (GraphQL): posts are queried per organization.
    buffer_organization_id = models.CharField(max_length=64, blank=True, default="")
    # Pinterest boards from the last sync ([{"id", "name"}]) and the board a post uses when it names none.
    pinterest_boards = models.JSONField(default=list, blank=True)
    default_pinterest_board_id = models.CharField(max_length=64, blank=True, default="")
    last_synced_at = models.DateTimeField(null=True, blank=True)

    objects = SocialAccountQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "platform", "buffer_profile_id"],
                condition=~Q(buffer_profile_id=""),
                name="unique_buffer_profile_per_workspace_platform",
            )
        ]
        indexes = [models.Index(fields=["workspace", "platform"], name="account_workspace_platform")]

    def __str__(self) -> str:
        return f"{self.account_name} ({self.platform})"


class Role(models.TextChoices):
    """A member's role in a workspace, strongest first; `accounts.roles` says what each may do."""

    OWNER = "owner", "Owner"
    MANAGER = "manager", "Manager"
    EDITOR = "editor", "Editor"
    CONTRIBUTOR = "contributor", "Contributor"
    VIEWER = "viewer", "Viewer"


class WorkspaceQuerySet(models.QuerySet):
    def of_member(self, user) -> WorkspaceQuerySet:
        return self.filter(memberships__user=user)


class Workspace(TimestampedModel):
    """Owns what a team shares: Buffer configs, social accounts, campaigns, posts, publisher setup.

    Every user has one personal workspace (`personal_for`), made the first time it is needed; it is the
    default when a request names none.
    """

    name = models.CharField(max_length=100)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    approval_required = models.BooleanField(default=False)
    personal_for = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="personal_workspace"
    )

    objects = WorkspaceQuerySet.as_manager()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)


class Membership(TimestampedModel):
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["workspace", "user"], name="one_membership_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.workspace_id} as {self.role}"
