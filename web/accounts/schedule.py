"""An account's posting schedule page: the days-by-times grid with paused days, and its queue's next slots.

Thin: the form's text is parsed into the API's shape and validated by `accounts.posting_schedule.clean_schedule`
(the one set of rules); the queue is `posts.queueing.queue_for`.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts import posting_schedule as schedules
from accounts.models import SocialAccount
from accounts.roles import Capability
from kernel.errors import InvalidInput
from kernel.users import request_user
from posts.models import Post
from posts.queueing import move_to_top, queue_for, shuffle_queue
from web.common import page_workspace, requires, run_action

UPCOMING = 10
_SEPARATORS = re.compile(r"[\s,;]+")


def _account(request: HttpRequest, pk: int) -> SocialAccount:
    accounts = SocialAccount.objects.in_workspace(page_workspace(request)).select_related("workspace")
    return get_object_or_404(accounts, pk=pk)


def _form_data(post: Any) -> dict[str, Any]:
    """The grid's fields (`times_<day>`: times separated by spaces or commas; `paused_<day>`) in the API's shape."""
    return {
        "days": {
            day: [t for t in _SEPARATORS.split(post.get(f"times_{day}", "").strip()) if t] for day in schedules.DAYS
        },
        "paused_days": [day for day in schedules.DAYS if post.get(f"paused_{day}")],
    }


def _rows(data: dict[str, Any], errors: dict[str, Any]) -> list[dict[str, Any]]:
    found = errors.get("days")
    day_errors: dict[str, Any] = found if isinstance(found, dict) else {}
    return [
        {
            "day": day,
            "name": schedules.DAY_NAMES[day],
            "times": ", ".join(data["days"].get(day, [])),
            "paused": day in data["paused_days"],
            "errors": day_errors.get(day, []),
        }
        for day in schedules.DAYS
    ]


def _render(request: HttpRequest, account: SocialAccount, data: dict[str, Any], errors: dict[str, Any]) -> HttpResponse:
    payload = schedules.schedule_payload(account)
    slots = [
        {"label": slot.local.strftime("%a %-d %b %Y, %H:%M %Z"), "post": slot.post}
        for slot in queue_for(account, count=UPCOMING)
    ]
    context = {
        "account": account,
        "rows": _rows(data, errors),
        "errors": errors,
        "schedule": payload,
        "buffer_summary": schedules.schedule_summary(schedules.PostingSchedule.from_json(payload["buffer_schedule"])),
        "slots": slots,
    }
    return render(request, "accounts/account_schedule.html", context, status=400 if errors else 200)


@login_required
@requires(Capability.MANAGE)
def account_schedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    """GET shows the schedule and the next slots; POST saves the grid (managers and owners, as the API's PUT)."""
    account = _account(request, pk)
    if request.method != "POST":
        return _render(request, account, schedules.account_schedule(account).to_json(), {})
    data = _form_data(request.POST)
    try:
        cleaned = schedules.clean_schedule(data)
    except InvalidInput as exc:
        messages.error(request, f"The schedule was not saved: {exc.detail}")
        return _render(request, account, data, exc.errors)
    schedules.account_schedule_set(account=account, schedule=cleaned)
    messages.success(request, f"Saved {account.account_name}'s posting schedule. Syncs from Buffer now keep it.")
    return redirect("account-schedule", pk=account.pk)


@login_required
@require_POST
@requires(Capability.MANAGE)
def account_schedule_buffer_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    schedules.account_schedule_follow_buffer(account=account)
    messages.success(request, f"{account.account_name} follows Buffer's posting schedule again.")
    return redirect("account-schedule", pk=account.pk)


# The queue's order (EDIT_POSTS, as the API's shuffle and move-to-top): buttons of the schedule page's slot list.


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def account_queue_shuffle_view(request: HttpRequest, pk: int) -> HttpResponse:
    account = _account(request, pk)
    return run_action(
        request,
        lambda: shuffle_queue(account=account, actor=request_user(request)),
        success=f"{account.account_name}'s queue is shuffled.",
        default_next=reverse("account-schedule", args=[account.pk]),
    )


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def post_queue_top_view(request: HttpRequest, pk: int) -> HttpResponse:
    posts = Post.objects.in_workspace(page_workspace(request)).select_related("social_account")
    post = get_object_or_404(posts, pk=pk)
    return run_action(
        request,
        lambda: move_to_top(post=post, actor=request_user(request)),
        success=f"Post #{post.pk} is at the top of {post.social_account.account_name}'s queue.",
        default_next=reverse("account-schedule", args=[post.social_account_id]),
    )
