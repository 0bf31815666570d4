from __future__ import annotations

import functools
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kernel.models import EncryptedAccessTokenModel, TimestampedModel


@functools.cache
def _known_timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())  # reads the tz database from disk: once per process


def known_timezone(value: str) -> bool:
    return value in _known_timezones()


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
    # The queue's time slots (`accounts.posting_schedule`: local times per weekday, paused days). Imported
    # from Buffer on every sync while `queue_schedule_edited_at` is null; once edited in SocialHub it is
    # kept, and a sync only refreshes `queue_schedule_buffer` (Buffer's, shown beside it to switch back).
    queue_schedule = models.JSONField(default=dict, blank=True)
    queue_schedule_buffer = models.JSONField(default=dict, blank=True)
    queue_schedule_edited_at = models.DateTimeField(null=True, blank=True)
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


class InvitationQuerySet(models.QuerySet):
    def pending(self, now) -> InvitationQuerySet:
        """Neither accepted nor expired: the ones whose link still works."""
        return self.filter(accepted_at__isnull=True, expires_at__gt=now)


class Invitation(TimestampedModel):
    """An invitation to a workspace for an email without an account yet (`accounts.workspaces`).

    The link's token is never stored: only its keyed hash (`token_hash`), as for refresh tokens. Revoking
    deletes the row; an accepted one is kept with `accepted_at` and its link no longer works.
    """

    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=12, choices=Role.choices)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            # One open invitation per address and workspace: inviting again renews it (a new link).
            models.UniqueConstraint(
                fields=["workspace", "email"],
                condition=Q(accepted_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} to {self.workspace_id} as {self.role}"


class NotificationKind(models.TextChoices):
    """What a notification is about; each member chooses per kind whether it arrives in-app and by email."""

    APPROVAL_REQUESTED = "approval_requested", "Approval requested"
    APPROVED = "approved", "Post approved"
    REJECTED = "rejected", "Post rejected"
    POST_FAILED = "post_failed", "Post failed"
    CONNECTION_BROKEN = "connection_broken", "Buffer connection broke"
    MENTION = "mention", "Mentioned in a comment"


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user) -> NotificationQuerySet:
        return self.filter(recipient=user)

    def unread(self) -> NotificationQuerySet:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One in-app notification of one person; written by `accounts.notifications.notify` only."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    workspace = models.ForeignKey(Workspace, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    text = models.CharField(max_length=500)
    url = models.CharField(max_length=500, help_text="A path in the app, e.g. /posts/12/.")
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recipient_new"),
            # The bell: unread count of one person.
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


class NotificationPreference(TimestampedModel):
    """A member's choice for one kind in one workspace; without a row, `accounts.notifications.DEFAULTS` apply."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="notification_preferences")
    kind = models.CharField(max_length=24, choices=NotificationKind.choices)
    in_app = models.BooleanField()
    email = models.BooleanField()

    class Meta:
        ordering = ["membership", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "kind"], name="one_notification_preference_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} for membership {self.membership_id}: in_app={self.in_app} email={self.email}"


class AuditEvent(models.Model):
    """One write: who (a user, or which process), what, which object, and the fields it changed.

    Written by `accounts.audit` only, never changed. The workspace and the object are kept as ids
    without database constraints: the history of a workspace or an object outlives it (deleting one
    neither cascades into its log nor fails on it), and `object_repr` names what is gone.
    """

    workspace = models.ForeignKey(
        Workspace,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,  # the indexes below start with it
        related_name="+",
    )
    actor = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_label = models.CharField(max_length=120)  # "alice", "admin:alice", "engine", "system", ...
    action = models.CharField(max_length=40)  # created, updated, deleted, or a transition's name
    object_type = models.CharField(max_length=60)  # app_label.model, e.g. "posts.post"
    object_id = models.CharField(max_length=40)
    object_repr = models.CharField(max_length=200)
    # {field: [before, after]} with short values; a secret field only as {field: "changed"}.
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["workspace", "-created_at"], name="audit_workspace_time"),
            models.Index(fields=["workspace", "object_type", "object_id"], name="audit_workspace_object"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.object_type} {self.object_id}"
