"""Approvals: who needs one, and submitting, approving and rejecting a post.

A contributor's posts always need a manager's approval; in a workspace with `approval_required`
every post does; otherwise editors, managers and owners publish without one (`needs_approval`, the
one place that says so). A post that needs approval goes to `pending_approval` when it is submitted
(`post_submit`, or scheduled by such a member: `posts.services` routes it there); a manager or owner
approves it (-> scheduled at its time, the approval stamped) or rejects it with a comment (-> draft,
the comment kept and shown). A client approves or rejects through a review link: `approver=None`
with the `reviewer_name` they gave. The engine never claims a post that needs an approval it does
not have (`posts.transitions.claim`), and editing an approved post's content or media withdraws the
approval (`posts.services.post_update`).

Every status change here is a compare-and-set in `posts.transitions`; losing it is a 409.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from accounts.models import Role, User, Workspace
from accounts.roles import Capability, require, role_allows
from accounts.workspaces import membership_for
from kernel.errors import Conflict, Forbidden, InvalidInput
from posts import alerts, transitions
from posts.models import Post, PostStatus
from posts.scheduling import schedulable_errors

if TYPE_CHECKING:
    from accounts.models import Membership

COMMENT_MAX = 2000
REVIEWER_NAME_MAX = 100


class ApprovalEvent:
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


def needs_approval(*, workspace: Workspace, role: str) -> bool:
    """Whether a member with `role` needs approval for their posts to go out in `workspace`."""
    return workspace.approval_required or not role_allows(role, Capability.EDIT_CAMPAIGNS)


# An integrator's app (the publisher API) posts as an editor would: it needs approval only where every post does.
INTEGRATOR_ROLE = Role.EDITOR


def membership_needs_approval(membership: Membership) -> bool:
    return needs_approval(workspace=membership.workspace, role=membership.role)


def _announce(*, post: Post, event: str, actor: User | None, reviewer_name: str = "", comment: str = "") -> None:
    """Where approval events leave this module: the team hears of them (`posts.alerts`; in-app rows now,
    emails once the caller's transaction commits). The audit log needs nothing here: `posts.transitions`
    recorded the transition itself."""
    if event == ApprovalEvent.SUBMITTED:
        return  # posts.transitions tells the managers of every post that enters pending approval, this one too
    alerts.notify_approval_decided(
        post=post,
        approved=event == ApprovalEvent.APPROVED,
        actor=actor,
        reviewer_name="" if actor is not None else reviewer_name,
        comment=comment,
    )


def _lost(post: Post, action: str) -> Conflict:
    status = Post.objects.filter(pk=post.pk).values_list("status", flat=True).first()
    shown = PostStatus(status).label.lower() if status else "deleted"
    return Conflict(f"Post {post.pk} is now {shown}: it cannot be {action}. Fetch it and try again.")


def _clean_comment(comment: str, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise InvalidInput.from_errors({"comment": ["Say what should change: a rejection needs a comment."]})
    if len(comment) > COMMENT_MAX:
        raise InvalidInput.from_errors({"comment": [f"At most {COMMENT_MAX} characters."]})
    return comment


def _reviewer(*, post: Post, approver: User | None, reviewer_name: str) -> tuple[User | None, str]:
    """The member deciding (who must be a manager or owner of the post's workspace), or a named client."""
    if approver is not None:
        membership = membership_for(user=approver, workspace_id=post.workspace_id)
        if membership is None:
            raise Forbidden("Only a manager or owner of the post's workspace can approve or reject it.")
        require(membership, Capability.APPROVE)
        return approver, approver.get_username()
    name = (reviewer_name or "").strip()
    if not name:
        raise InvalidInput.from_errors({"reviewer_name": ["Give your name to approve or reject."]})
    if len(name) > REVIEWER_NAME_MAX:
        raise InvalidInput.from_errors({"reviewer_name": [f"At most {REVIEWER_NAME_MAX} characters."]})
    return None, name


def _ensure_pending(post: Post, action: str) -> None:
    if post.status != PostStatus.PENDING_APPROVAL:
        raise Conflict(
            f"Post {post.pk} is {post.get_status_display().lower()}, not waiting for approval: it cannot be {action}."
        )


def post_submit(*, post: Post, actor: User) -> Post:
    """Ask for approval of a draft (a rejected post is one): it must have a time and be schedulable there."""
    if post.status not in transitions.ALLOWED_FROM["submit"]:
        raise Conflict(
            f"Post {post.pk} is {post.get_status_display().lower()}: only a draft is submitted for approval."
        )
    if post.scheduled_time is None:
        raise InvalidInput.from_errors({"scheduled_time": ["Choose a date and time before submitting the post."]})
    errors = schedulable_errors(post=post, scheduled_time=post.scheduled_time)
    if errors:
        raise InvalidInput.from_errors(errors)
    if not transitions.submit(post_id=post.pk, submitted_at=timezone.now()):
        raise _lost(post, "submitted")
    post.refresh_from_db()
    _announce(post=post, event=ApprovalEvent.SUBMITTED, actor=actor)
    return post


def post_approve(*, post: Post, approver: User | None, reviewer_name: str = "", comment: str = "") -> Post:
    """Approve a waiting post: it is scheduled at its time (a time already past: it goes out now)."""
    _ensure_pending(post, "approved")
    user, name = _reviewer(post=post, approver=approver, reviewer_name=reviewer_name)
    note = _clean_comment(comment, required=False)
    won = transitions.approve(
        post_id=post.pk,
        approved_at=timezone.now(),
        approved_by=user,
        approved_by_name="" if user is not None else name,
        note=note,
    )
    if not won:
        raise _lost(post, "approved")
    post.refresh_from_db()
    _announce(post=post, event=ApprovalEvent.APPROVED, actor=user, reviewer_name=name, comment=note)
    return post


def post_reject(*, post: Post, approver: User | None, reviewer_name: str = "", comment: str) -> Post:
    """Send a waiting post back to draft with a comment saying what should change (required)."""
    _ensure_pending(post, "rejected")
    comment = _clean_comment(comment, required=True)
    user, name = _reviewer(post=post, approver=approver, reviewer_name=reviewer_name)
    if not transitions.reject(post_id=post.pk, rejected_at=timezone.now(), rejected_by_name=name, comment=comment):
        raise _lost(post, "rejected")
    post.refresh_from_db()
    _announce(post=post, event=ApprovalEvent.REJECTED, actor=user, reviewer_name=name, comment=comment)
    return post


def pending_posts(*, workspace: Workspace):
    """The approval queue: the workspace's posts waiting, oldest submission first."""
    return (
        Post.objects.filter(workspace=workspace, status=PostStatus.PENDING_APPROVAL)
        .with_relations()
        .select_related("owner")
        .order_by("submitted_at", "scheduled_time", "id")
    )
