"""What the audit log records: the one list of audited models and their fields (`accounts.audit.track`).

The workspace-owned objects people create and change. Left out on purpose: high-volume rows the
engine keeps for itself (publish attempts, Buffer poll state, callback deliveries and attempts,
publisher posts and deliveries, analytics snapshots and sync jobs) — their own tables are their
history — and bookkeeping columns (timestamps, `last_used_at`, sync results). Secrets are listed as
`secret`: the log says only that they changed, never a value or ciphertext.

A post's status and the engine's columns change through `posts.transitions`, which records each won
transition itself (signals never see an `.update()`); `status` is tracked here too for the rare save.
"""

from __future__ import annotations

from accounts.audit import track
from accounts.models import Invitation, Membership, SocialAccount, Workspace
from buffer_integration.models import BufferConfig
from campaigns.models import Campaign
from posts.models import Post, PostComment, ReviewLink
from publisher.models import Channel, IntegratorApp, PostType, WebhookSecret

TOKEN = "access_token_encrypted"  # noqa: S105  (a column name)


def register() -> None:
    track(Workspace, fields=["name", "timezone", "approval_required"])
    track(Membership, fields=["user_id", "role"])
    track(Invitation, fields=["email", "role", "expires_at", "accepted_at"], secret=["token_hash"])
    track(BufferConfig, fields=["api", "is_active", "plan"], secret=[TOKEN])
    track(
        SocialAccount,
        fields=[
            "platform",
            "account_name",
            "buffer_profile_id",
            "is_active",
            "connection_status",
            "default_pinterest_board_id",
            "queue_schedule",
        ],
        secret=[TOKEN],
    )
    track(Campaign, fields=["name", "description", "start_date", "end_date", "status"])
    track(
        Post,
        fields=[
            "social_account_id",
            "campaign_id",
            "platform",
            "content",
            "media_urls",
            "network_options",
            "scheduled_time",
            "status",
            "hold_reason",  # the engine's hold of a due post (inactive account, paused campaign)
            "queued",
        ],
    )
    track(PostComment, fields=["post_id", "body"])
    track(
        ReviewLink,
        fields=["campaign_id", "start_date", "end_date", "expires_at", "revoked_at"],
        secret=["token_hash"],
    )
    track(Channel, fields=["name", "description"])
    track(PostType, fields=["network_target_id", "kind", "name", "description", "is_default", "network_options"])
    track(IntegratorApp, fields=["name", "app_id", "revoked_at"], secret=["secret_encrypted"])
    track(WebhookSecret, fields=["rotated_at"], secret=["secret_encrypted", "previous_secret_encrypted"])
