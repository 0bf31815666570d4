"""The Approvals page (the workspace's posts waiting, approved or rejected inline) and the post's approval buttons.

Thin: the rules are `posts.approvals`'. Managers and owners decide; every other member sees the queue
read-only. A post of another workspace is a 404, as everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Membership
from accounts.roles import Capability, role_allows
from accounts.scoping import request_membership
from kernel.users import request_user
from posts import approvals
from posts.models import Post
from web.common import requires, run_action


def _post_in_workspace(request: HttpRequest, pk: int) -> tuple[Post, Membership]:
    membership = request_membership(request)
    post = get_object_or_404(Post.objects.with_relations(), pk=pk, workspace=membership.workspace)
    return post, membership


@login_required
@require_GET
def approvals_view(request: HttpRequest) -> HttpResponse:
    membership = request_membership(request)
    context = {
        "posts": list(approvals.pending_posts(workspace=membership.workspace)),
        "workspace": membership.workspace,
        "can_decide": role_allows(membership.role, Capability.APPROVE),
        "comment_max": approvals.COMMENT_MAX,
    }
    return render(request, "posts/approvals.html", context)


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def post_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    post, _membership = _post_in_workspace(request, pk)

    def submit() -> None:
        approvals.post_submit(post=post, actor=request_user(request))

    return run_action(
        request,
        submit,
        success=f"Post #{post.pk} submitted for approval.",
        default_next=reverse("post-detail", args=[post.pk]),
    )


def _decide(request: HttpRequest, pk: int, decide: Callable[..., Post], success: str) -> HttpResponse:
    """Approve or reject (`decide`) with the form's comment, as a manager or owner; back to the queue."""
    post, _membership = _post_in_workspace(request, pk)

    def action() -> None:
        decide(post=post, approver=request_user(request), comment=request.POST.get("comment", ""))

    return run_action(request, action, success=success.format(pk=post.pk), default_next=reverse("approvals"))


@login_required
@require_POST
@requires(Capability.APPROVE)
def post_approve_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approvals.post_approve, "Post #{pk} approved: it is scheduled.")


@login_required
@require_POST
@requires(Capability.APPROVE)
def post_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, approvals.post_reject, "Post #{pk} rejected: it is a draft again.")
