from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from kernel.models import TimestampedModel


class PostStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SCHEDULED = "scheduled", "Scheduled"
    PUBLISHING = "publishing", "Publishing"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    # Buffer may or may not have it (lost answer, dead worker): the engine asks Buffer before any resend.
    RECONCILING = "reconciling", "Reconciling"
    # Submitted by a member who needs approval (posts.approvals): a manager approves (-> scheduled) or
    # rejects (-> draft, with the comment). Never claimed by the engine.
    PENDING_APPROVAL = "pending_approval", "Needs approval"


def is_in_buffer_queue(status: str, buffer_update_id: str) -> bool:
    """The one rule, for model instances and for `.values()` rows alike."""
    return status == PostStatus.SCHEDULED and bool(buffer_update_id)


# A post in one of these holds its time: a queue slot it sits in is taken (posts.queueing).
HOLDS_SLOT = (PostStatus.SCHEDULED, PostStatus.PENDING_APPROVAL, PostStatus.PUBLISHING, PostStatus.RECONCILING)


# A post that needs approval goes out only once approved (posts.approvals); the engine's claim checks it too.
APPROVED_OR_NOT_REQUIRED = Q(approval_required=False) | Q(approved_at__isnull=False)


class PostQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> PostQuerySet:
        """What the workspace owns: the only scope there is (`owner` is just who created it)."""
        return self.filter(workspace=workspace)

    def with_relations(self) -> PostQuerySet:
        return self.select_related("social_account", "campaign", "approved_by", "series")

    def with_media(self) -> PostQuerySet:
        """Each post's library items (`media_ids`, in order) in one more query for the whole list."""
        return self.prefetch_related("media_links__media")

    def due(self, *, now) -> PostQuerySet:
        """What the dispatcher may claim: scheduled, due, ours to send (not at Buffer), not held, retry time reached."""
        return (
            self.filter(status=PostStatus.SCHEDULED, scheduled_time__lte=now, buffer_update_id="", hold_reason="")
            .filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
            .filter(APPROVED_OR_NOT_REQUIRED)
        )


class PostGroupQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> PostGroupQuerySet:
        return self.filter(workspace=workspace)


class PostGroup(TimestampedModel):
    """Written once for several accounts: each delivery stays an ordinary Post, linked here by `group`."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="post_groups")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_groups")
    content = models.TextField()  # the shared text; a delivery's own `content` is its (possibly customised) variant

    objects = PostGroupQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["workspace", "created_at"], name="postgroup_workspace_created")]

    def __str__(self) -> str:
        return f"Post group #{self.pk}"


class PostSeries(TimestampedModel):
    """A recurring post: an RFC 5545 rule in a timezone, and the template its occurrences are made from.

    Occurrences are materialised ahead as ordinary Posts (`posts.recurrence`), each linked here by
    `Post.series` with its `occurrence_at` as the key: the engine only ever sees ordinary scheduled posts.
    """

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="post_series")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_series")
    social_account = models.ForeignKey("accounts.SocialAccount", on_delete=models.CASCADE, related_name="post_series")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="post_series"
    )
    rule = models.CharField(max_length=500)  # the RRULE, without DTSTART (that is `start_date` + `start_time`)
    timezone = models.CharField(max_length=64)  # the account's (or the workspace's) when the series was made
    # DTSTART as a local wall-clock time of `timezone`: occurrences keep it across DST changes.
    start_date = models.DateField()
    start_time = models.TimeField()
    # The template of every occurrence not edited on its own.
    content = models.TextField()
    media_urls = models.JSONField(default=list, blank=True)
    media_ids = models.JSONField(default=list, blank=True)  # library items, in order (each occurrence's PostMedia)
    network_options = models.JSONField(default=dict, blank=True)
    post_status = models.CharField(max_length=20, default="scheduled")  # draft or scheduled, as the first post
    # No occurrence at or after this instant belongs to the series (split by "this and following", or ended).
    ends_before = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # Every occurrence up to this instant has been materialised (or skipped): the window's edge.
    materialised_until = models.DateTimeField(null=True, blank=True)
    # The last occurrence the periodic extension could not create, and why (shown on the post page).
    last_error = models.TextField(blank=True, default="")

    class Meta:
        verbose_name_plural = "post series"
        indexes = [models.Index(fields=["ended_at", "materialised_until"], name="postseries_open_window")]

    def __str__(self) -> str:
        return f"Series #{self.pk} ({self.rule})"


class Post(TimestampedModel):
    """One piece of content for one social account. Status changes only through `posts.transitions`."""

    # Who created it (kept for the record); the workspace owns it and is the only scope, denormalised from
    # the account so every list is scoped and indexed by workspace without a join.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="posts")
    social_account = models.ForeignKey("accounts.SocialAccount", on_delete=models.CASCADE, related_name="posts")
    campaign = models.ForeignKey(
        "campaigns.Campaign", on_delete=models.SET_NULL, null=True, blank=True, related_name="posts"
    )
    platform = models.CharField(max_length=20)
    content = models.TextField()
    media_urls = models.JSONField(default=list, blank=True)
    # Library items, in order (`PostMedia.position`), besides the seed's plain `media_urls`.
    media_items = models.ManyToManyField(
        "media_library.MediaItem", through="PostMedia", related_name="posts", blank=True
    )
    group = models.ForeignKey(PostGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts")
    # Recurring posts (`posts.recurrence`): the series this occurrence was made from, its occurrence's time
    # (the key: never materialised twice), and whether it was edited on its own ("this occurrence").
    series = models.ForeignKey(PostSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="posts")
    occurrence_at = models.DateTimeField(null=True, blank=True)
    series_detached = models.BooleanField(default=False)
    # Options for the post's own network (Instagram type, Pinterest board, YouTube title, a thread...),
    # in SocialHub's names; posts.network_options validates them and fills Buffer's defaults.
    network_options = models.JSONField(default=dict, blank=True)
    scheduled_time = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=PostStatus.choices, default=PostStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    # Set when the post was handed to Buffer ("schedule via Buffer" or published through it).
    buffer_update_id = models.CharField(max_length=64, blank=True, default="")
    handed_to_buffer_at = models.DateTimeField(null=True, blank=True)
    service_link = models.URLField(max_length=500, blank=True, default="")
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True, default="")
    # The publishing engine (posts.engine.dispatch, posts.engine.publish, posts.engine.reconcile). A claim is the
    # dispatcher's lease: every publish/reconcile task carries its claim_id and acts only under it.
    claim_id = models.UUIDField(null=True, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True)
    # scheduled: the next attempt is not before this (backoff, our Buffer throttle); reconciling: next check.
    retry_at = models.DateTimeField(null=True, blank=True)
    # Why a due post is not going out (inactive account, paused campaign); cleared on resume.
    hold_reason = models.CharField(max_length=200, blank=True, default="")
    # published_at - scheduled_time, or how late a post was found due when LATE_POST_POLICY failed it.
    lateness_seconds = models.FloatField(null=True, blank=True)
    # Approvals (posts.approvals; changed only through posts.transitions). `approval_required`: it may go out
    # only once approved; `approved_at` is set while the current content is approved (an edit clears it).
    approval_required = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who approved or rejected it when that was no member: the name a client gave on a review link.
    approved_by_name = models.CharField(max_length=100, blank=True, default="")
    approval_note = models.TextField(blank=True, default="")
    # The last rejection, kept (and shown) until the post is approved.
    rejected_at = models.DateTimeField(null=True, blank=True)
    rejected_by_name = models.CharField(max_length=150, blank=True, default="")
    rejection_comment = models.TextField(blank=True, default="")
    # In its account's queue (posts.queueing): `scheduled_time` is a slot of the account's posting schedule,
    # the queue's order is their order, and shuffle / move to top move only these. A time set by hand
    # (reschedule, edit) or leaving the slot-holding statuses takes the post out (posts.transitions).
    queued = models.BooleanField(default=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["scheduled_time", "id"]
        constraints = [
            # One queued post per slot of an account: two requests racing for a slot cannot both get it.
            models.UniqueConstraint(
                fields=["social_account", "scheduled_time"],
                condition=Q(queued=True, status__in=HOLDS_SLOT),
                name="post_one_queued_per_slot",
            ),
            # An occurrence of a recurring post is materialised once (posts.recurrence).
            models.UniqueConstraint(
                fields=["series", "occurrence_at"],
                condition=Q(series__isnull=False),
                name="post_series_occurrence_once",
            ),
        ]
        indexes = [
            models.Index(fields=["workspace", "scheduled_time"], name="post_workspace_scheduled"),
            # The queue's reads: an account's posts around its next slots.
            models.Index(fields=["social_account", "scheduled_time"], name="post_account_scheduled"),
            models.Index(fields=["workspace", "status"], name="post_workspace_status"),
            models.Index(fields=["workspace", "created_at"], name="post_workspace_created"),
            # The dispatcher's query: due scheduled posts, oldest first.
            models.Index(fields=["status", "scheduled_time"], name="post_status_scheduled"),
            models.Index(fields=["campaign", "status"], name="post_campaign_status"),
            # Exactly the dispatcher's claim query (`PostQuerySet.due`), oldest first.
            models.Index(
                fields=["scheduled_time", "id"],
                condition=Q(status="scheduled", buffer_update_id="", hold_reason=""),
                name="post_due_for_dispatch",
            ),
        ]

    def __str__(self) -> str:
        return f"Post #{self.pk} ({self.platform}, {self.status})"

    @property
    def due_time(self) -> dt.datetime:
        """`scheduled_time` of a post the engine handles: only posts with a time are claimed or handed over."""
        if self.scheduled_time is None:
            raise ValueError(f"Post #{self.pk} has no scheduled time")
        return self.scheduled_time

    @property
    def awaits_approval(self) -> bool:
        """It needs an approval it does not have (so the engine will not send it)."""
        return self.approval_required and self.approved_at is None

    @property
    def is_rejected(self) -> bool:
        return self.status == PostStatus.DRAFT and self.rejected_at is not None

    @property
    def approver_name(self) -> str:
        """Who approved the current content: a member's username or a review link's reviewer; "" if nobody."""
        if self.approved_at is None:
            return ""
        return self.approved_by.get_username() if self.approved_by is not None else self.approved_by_name

    @property
    def is_handed_to_buffer(self) -> bool:
        return bool(self.buffer_update_id)

    @property
    def in_buffer_queue(self) -> bool:
        """Handed to Buffer's queue ("schedule via Buffer"): Buffer, not our engine, publishes it at its time."""
        return is_in_buffer_queue(self.status, self.buffer_update_id)


class PostMedia(models.Model):
    """A library item in a post, at a position. PROTECT: a file a post still refers to cannot vanish under it."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media_links")
    media = models.ForeignKey("media_library.MediaItem", on_delete=models.PROTECT, related_name="post_links")
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["post", "position"]
        constraints = [
            models.UniqueConstraint(fields=["post", "position"], name="postmedia_unique_position"),
            models.UniqueConstraint(fields=["post", "media"], name="postmedia_unique_media"),
        ]

    def __str__(self) -> str:
        return f"Post #{self.post_id} media #{self.media_id} at {self.position}"


class AttemptOutcome(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    PUBLISHED = "published", "Published"
    RETRY = "retry", "Failed, retried later"
    FAILED = "failed", "Failed"
    UNKNOWN = "unknown", "Unknown (reconciling)"


class PublishAttempt(models.Model):
    """One publish of a post under one claim: at most one updates/create call. Written by the engine."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="publish_attempts")
    claim_id = models.UUIDField()
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=AttemptOutcome.choices, default=AttemptOutcome.IN_PROGRESS)
    error = models.TextField(blank=True, default="")
    buffer_update_id = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["post", "number", "id"]
        constraints = [
            # A second delivery of the same publish task cannot start a second call to Buffer.
            models.UniqueConstraint(fields=["post", "claim_id"], name="publish_attempt_one_per_claim")
        ]

    def __str__(self) -> str:
        return f"Attempt {self.number} of post {self.post_id}: {self.outcome}"


class PollStream(models.TextChoices):
    STATUS = "status", "Status sync"
    COMMENTS = "comments", "Comment sync"


class BufferPollState(models.Model):
    """When background polling may next ask Buffer about one (API key, organization), per stream.

    Durable, so the backoff survives restarts and is shared by every worker: see `posts.polling`.
    """

    # A keyed hash of the API key (as the throttle's): the key itself is never stored twice.
    key_digest = models.CharField(max_length=64)
    organization_id = models.CharField(max_length=64, blank=True, default="")  # "" on v1
    stream = models.CharField(max_length=16, choices=PollStream.choices)
    next_poll_at = models.DateTimeField(null=True, blank=True)
    interval_seconds = models.PositiveIntegerField(default=0)  # the current backoff; 0 = none yet
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_changed_at = models.DateTimeField(null=True, blank=True)
    polls = models.PositiveIntegerField(default=0)  # requests' worth of polls, for admins and the bench
    updated_at = models.DateTimeField(auto_now=True)
    # Not a field: `posts.polling.take` sets it when this run had taken the poll already.
    joined: bool = False

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["key_digest", "organization_id", "stream"], name="buffer_poll_state_one_per_key_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stream} poll of {self.key_digest[:8]}/{self.organization_id or '-'}"


class ReviewLinkQuerySet(models.QuerySet):
    def of_workspace(self, workspace) -> ReviewLinkQuerySet:
        return self.filter(workspace=workspace)

    def usable(self, *, now) -> ReviewLinkQuerySet:
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ReviewLink(TimestampedModel):
    """A link a client opens without an account to review posts: a campaign's, or those of a date range.

    The token is never stored: `token_hash` is its keyed hash (`posts.review_links.token_fingerprint`), so
    the URL is shown once, when the link is made. Expired, revoked and unknown tokens look alike (404).
    """

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="review_links")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="review_links"
    )
    # Either a campaign or a date range (days of the workspace's timezone, both inclusive).
    campaign = models.ForeignKey(
        "campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE, related_name="review_links"
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    token_hash = models.CharField(max_length=100, unique=True, editable=False)

    objects = ReviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(campaign__isnull=False, start_date__isnull=True, end_date__isnull=True)
                    | Q(campaign__isnull=True, start_date__isnull=False, end_date__isnull=False)
                ),
                name="review_link_campaign_xor_range",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="review_link_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"Review link #{self.pk}"

    def is_usable(self, *, now: dt.datetime) -> bool:
        return self.revoked_at is None and self.expires_at > now


class ReviewAction(models.TextChoices):
    VIEWED = "viewed", "Viewed"
    APPROVED = "approved", "Approved"
    CHANGES_REQUESTED = "changes_requested", "Changes requested"


class ReviewLinkUse(models.Model):
    """One use of a review link: a page view, or a reviewer's decision on one post."""

    link = models.ForeignKey(ReviewLink, on_delete=models.CASCADE, related_name="uses")
    at = models.DateTimeField(db_index=True)
    action = models.CharField(max_length=20, choices=ReviewAction.choices)
    post = models.ForeignKey(Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="review_uses")
    reviewer_name = models.CharField(max_length=100, blank=True, default="")
    comment = models.TextField(blank=True, default="")
    client_ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["link", "at"], name="review_use_link_at")]

    def __str__(self) -> str:
        return f"{self.action} via review link {self.link_id}"


class PostComment(models.Model):
    """An internal comment on a post by a member of its workspace (never sent to Buffer or the network)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="internal_comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_comments")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    # Members of the post's workspace named by @username when the comment was written.
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="post_comment_mentions")

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["post", "created_at", "id"], name="post_comment_post_created")]

    def __str__(self) -> str:
        return f"Comment {self.pk} on post {self.post_id}"


class ImportJobStatus(models.TextChoices):
    PENDING = "pending", "Waiting to run"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Done"  # a dry run checked every row, or the real run created its posts
    INVALID = "invalid", "Invalid rows"  # a real run refused (nothing written): see the report
    FAILED = "failed", "Failed"  # the file could not be read, or the run broke: see `error`


class PostImportJobQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> PostImportJobQuerySet:
        return self.filter(workspace=workspace)


class PostImportJob(TimestampedModel):
    """One upload of a posts file (posts.csv_io): checked (dry run) or imported, inline or by a worker."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="post_import_jobs")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="post_import_jobs")
    filename = models.CharField(max_length=255, blank=True, default="")
    # The file itself, bounded by POSTS_IMPORT_MAX_BYTES: a worker reads it from here, and the page's
    # "Import" after a dry run imports exactly the file that was checked. Emptied after a real run.
    file_data = models.BinaryField(default=bytes)
    timezone = models.CharField(max_length=64, blank=True, default="")  # for rows without one ("": the owner's)
    dry_run = models.BooleanField(default=False)
    needs_approval = models.BooleanField(default=False)  # the owner's posts need approval (at upload)
    status = models.CharField(max_length=12, choices=ImportJobStatus.choices, default=ImportJobStatus.PENDING)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    existing_count = models.PositiveIntegerField(default=0)
    invalid_count = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True, default="")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = PostImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "created_at"], name="post_import_workspace_created")]

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.status})"

    @property
    def progress(self) -> int:
        """Percent of the rows checked (100 once finished)."""
        if self.status in (ImportJobStatus.SUCCEEDED, ImportJobStatus.INVALID, ImportJobStatus.FAILED):
            return 100
        return self.processed_rows * 100 // self.total_rows if self.total_rows else 0


class ImportedPost(models.Model):
    """A post an import created, by its row's import key: importing the same row again creates nothing.

    The key is the row's `external_id`, or a hash of its account, time and content (posts.csv_io.importing);
    unique per workspace, so two imports of one file racing cannot both create its posts.
    """

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="import_record")
    key = models.CharField(max_length=64)  # sha256, hex
    external_id = models.CharField(max_length=200, blank=True, default="")
    job = models.ForeignKey(PostImportJob, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["workspace", "key"], name="imported_post_unique_key")]

    def __str__(self) -> str:
        return f"Post #{self.post_id} imported as {self.key}"
