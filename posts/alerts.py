"""What the team hears about posts: a failed post tells its workspace's managers and owners, and its creator;
a post waiting for approval tells the managers and owners; a decision tells the post's creator.

`posts.transitions` calls `post_failed_on_commit` from the one write that moves a post to `failed`
(a compare-and-set: exactly one caller wins it), so each failure notifies once — never a retry, which
goes back to `scheduled` — and only once that write has committed.
"""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction
from django.urls import reverse

from accounts.models import NotificationKind, User
from accounts.notifications import MANAGERS, notify
from kernel.actor import current_actor
from kernel.wording import one_line
from posts.models import Post, PostStatus

_EXCERPT = 60


def post_failed_on_commit(*, post_id: int) -> None:
    """Notify about the failure once the caller's transaction commits; a failure to notify is logged, not raised."""
    transaction.on_commit(lambda: notify_post_failed(post_id=post_id), robust=True)


def notify_post_failed(*, post_id: int) -> int:
    post = Post.objects.select_related("workspace", "owner", "social_account").filter(pk=post_id).first()
    if post is None:
        return 0
    workspace = post.workspace
    reason = f": {post.last_error}" if post.last_error else "."
    return notify(
        workspace=workspace,
        kind=NotificationKind.POST_FAILED,
        text=f"{_about(post)} failed{reason}",
        url=reverse("post-detail", args=[post.pk]),
        roles=MANAGERS,
        recipients=[post.owner],
    )


def _about(post: Post) -> str:
    return f"Post #{post.pk} “{one_line(post.content, _EXCERPT)}” on {post.social_account.account_name}"


def approval_requested_on_commit(*, post_ids: Collection[int]) -> None:
    """Posts just entered `pending_approval` (created so, submitted, rescheduled, or edited after approval):
    once that write commits, the managers and owners hear of it — not the member who did it."""
    if not post_ids:
        return
    ids, actor = list(post_ids), current_actor().user
    transaction.on_commit(lambda: notify_approval_requested(post_ids=ids, actor=actor), robust=True)


def notify_approval_requested(*, post_ids: Collection[int], actor: User | None = None) -> int:
    """One notification per workspace and manager: the post itself, or how many wait (a bulk or an import)."""
    waiting = Post.objects.select_related("workspace", "social_account").filter(
        pk__in=list(post_ids), status=PostStatus.PENDING_APPROVAL
    )
    by_workspace: dict[int, list[Post]] = {}
    for post in waiting:
        by_workspace.setdefault(post.workspace_id, []).append(post)
    sent = 0
    source = f" (from {actor.get_username()})." if actor else "."
    for posts in by_workspace.values():
        if len(posts) == 1:
            text, url = f"{_about(posts[0])} waits for approval{source}", reverse("post-detail", args=[posts[0].pk])
        else:
            text, url = f"{len(posts)} posts wait for approval{source}", reverse("approvals")
        sent += notify(
            workspace=posts[0].workspace,
            kind=NotificationKind.APPROVAL_REQUESTED,
            text=text,
            url=url,
            roles=MANAGERS,
            exclude=actor,
        )
    return sent


def notify_approval_decided(
    *, post: Post, approved: bool, actor: User | None = None, reviewer_name: str = "", comment: str = ""
) -> int:
    """A manager (or a client through a review link, `reviewer_name`) approved or rejected the post: its
    creator hears it, with the comment (not when it was them)."""
    by = f" by {actor.get_username()}" if actor else f" by {reviewer_name} (review link)" if reviewer_name else ""
    said = f": {comment}" if comment.strip() else "."
    return notify(
        workspace=post.workspace,
        kind=NotificationKind.APPROVED if approved else NotificationKind.REJECTED,
        text=f"{_about(post)} was {'approved' if approved else 'rejected'}{by}{said}",
        url=reverse("post-detail", args=[post.pk]),
        recipients=[post.owner],
        exclude=actor,
    )
