"""Recurring posts in the pages: the composer's "Repeat" fields and preview, the post page's series box,
"edit this and following" and "end series". Every rule is `posts.recurrence`'s; this only parses and shows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import SocialAccount
from accounts.roles import Capability
from kernel.api.datetimes import parse_datetime_input
from kernel.errors import DomainError, ServiceError
from kernel.users import request_user
from posts import recurrence
from posts.composing import ComposerAction
from posts.models import Post, PostStatus
from posts.services import PostChanges
from web.common import add_service_errors, error_message, page_workspace, requires
from web.posts.repeat_fields import PREVIEW_COUNT, repeat_rule
from web.posts.views import _get_post_for_user

SERIES_ACTIONS = (ComposerAction.DRAFT, ComposerAction.SCHEDULE)


FIELD_MAP = {"social_account_id": "accounts", "campaign_id": "campaign", "platform": "accounts"}


def create_series(
    request: HttpRequest,
    form: Any,
    *,
    rule: str,
    accounts: list[SocialAccount],
    action: ComposerAction,
    needs_approval: bool,
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """One series per ticked account, all or nothing; then the first post's page."""
    if action not in SERIES_ACTIONS:
        form.add_error("repeat", "A repeating post is scheduled or saved as a draft: use Schedule or Save draft.")
        return render()
    status = PostStatus.DRAFT if action == ComposerAction.DRAFT else PostStatus.SCHEDULED
    try:
        with transaction.atomic():
            firsts = [
                recurrence.series_create(
                    workspace=page_workspace(request),
                    actor=request_user(request),
                    recurrence=rule,
                    social_account_id=account.pk,
                    status=status,
                    network_options=form.network_options_for(account.platform),
                    needs_approval=needs_approval,
                    **form.post_fields(),
                )
                for account in accounts
            ]
    except DomainError as exc:
        add_service_errors(form, exc, {**FIELD_MAP, "recurrence": "recurrence"})
        return render()
    made = sum(post.series.posts.count() for post in firsts if post.series is not None)
    messages.success(request, f"Repeating post created: {made} occurrence(s) planned so far.")
    return redirect("post-detail", pk=firsts[0].pk)


def edit_following(
    request: HttpRequest,
    form: Any,
    *,
    post: Post,
    changes: PostChanges,
    needs_approval: bool,
    render: Callable[[], HttpResponse],
) -> HttpResponse:
    """ "This and following": the series is split at this occurrence (`recurrence.series_split`)."""
    rule = repeat_rule(form) or None
    try:
        first = recurrence.series_split(
            post=post, actor=request_user(request), recurrence=rule, needs_approval=needs_approval, **changes
        )
    except ServiceError as exc:
        add_service_errors(form, exc, {"social_account_id": "social_account", "campaign_id": "campaign"})
        return render()
    messages.success(request, "This and the following occurrences were changed (a new series from here on).")
    return redirect("post-detail", pk=first.pk)


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def post_series_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post_for_user(request, pk)
    try:
        ended = recurrence.series_end(post=post)
    except ServiceError as exc:
        messages.error(request, error_message(exc))
        return redirect("post-detail", pk=post.pk)
    messages.success(request, f"Series ended: {len(ended.deleted)} future occurrence(s) deleted.")
    if Post.objects.filter(pk=post.pk).exists():
        return redirect("post-detail", pk=post.pk)
    return redirect("calendar")


@login_required
@require_GET
def recurrence_preview_view(request: HttpRequest) -> JsonResponse:
    """The composer's preview (fetch, JSON): the next occurrences of a rule from a start, in the account's
    timezone, by the same service the posts are made with."""
    rule = request.GET.get("rule", "")
    workspace = page_workspace(request)
    account_id = request.GET.get("account", "")
    accounts = SocialAccount.objects.in_workspace(workspace)
    account = accounts.filter(pk=int(account_id)).first() if account_id.isdigit() else None
    tz = recurrence.account_timezone(account, workspace) if account else workspace.tzinfo
    try:
        start = parse_datetime_input(request.GET.get("start", ""), tz=request_user(request).tzinfo)
    except ValueError:
        start = timezone.now()
    try:
        found = recurrence.preview(rule=rule, start=start, tz=tz, count=PREVIEW_COUNT)
    except DomainError as exc:
        return JsonResponse({"ok": False, "error": error_message(exc), "occurrences": []}, status=400)
    rows = [{"local": f"{o.local:%a %Y-%m-%d %H:%M %Z}", "note": o.note} for o in found]
    return JsonResponse({"ok": True, "timezone": str(tz), "occurrences": rows})
