"""Adding an internal comment from the post page (the same service as `POST /api/v1/posts/{id}/comments`)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import Capability
from accounts.scoping import request_membership
from kernel.errors import ServiceError
from kernel.users import request_user
from posts.comments import BODY_MAX, post_comment_create
from posts.models import Post
from web.common import error_message, requires


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Only your team sees it. @username tells a member.",
    )


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)  # before the form: a viewer learns about their role, not the comment
def post_comment_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    membership = request_membership(request)
    post = get_object_or_404(Post.objects.filter(workspace=membership.workspace), pk=pk)
    back = reverse("post-detail", args=[post.pk]) + "#comments"
    form = CommentForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"Comment not added: {error}")
        return redirect(back)
    try:
        comment = post_comment_create(post=post, author=request_user(request), body=form.cleaned_data["body"])
    except ServiceError as exc:
        messages.error(request, f"Comment not added: {error_message(exc)}")
        return redirect(back)
    messages.success(request, "Comment added.")
    return redirect(reverse("post-detail", args=[post.pk]) + f"#comment-{comment.pk}")
