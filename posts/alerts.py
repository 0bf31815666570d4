"""What the team hears about posts: a failed post tells its workspace's managers and owners, and its creator.

`posts.transitions` calls `post_failed_on_commit` from the one write that moves a post to `failed`
(a compare-and-set: exactly one caller wins it), so each failure notifies once — never a retry, which
goes back to `scheduled` — and only once that write has committed.
"""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse

from accounts.models import NotificationKind
from accounts.notifications import MANAGERS, notify
from accounts.workspaces import workspace_personal_for
from kernel.wording import one_line
from posts.models import Post

_EXCERPT = 60


def post_failed_on_commit(*, post_id: int) -> None:
    """Notify about the failure once the caller's transaction commits; a failure to notify is logged, not raised."""
    transaction.on_commit(lambda: notify_post_failed(post_id=post_id), robust=True)


def notify_post_failed(*, post_id: int) -> int:
    post = Post.objects.select_related("workspace", "owner", "social_account").filter(pk=post_id).first()
    if post is None:
        return 0
    workspace = post.workspace or workspace_personal_for(post.owner)
    excerpt = one_line(post.content, _EXCERPT)
    reason = f": {post.last_error}" if post.last_error else "."
    return notify(
        workspace=workspace,
        kind=NotificationKind.POST_FAILED,
        text=f"Post #{post.pk} “{excerpt}” on {post.social_account.account_name} failed{reason}",
        url=reverse("post-detail", args=[post.pk]),
        roles=MANAGERS,
        recipients=[post.owner],
    )
