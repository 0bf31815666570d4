"""Web pages of posts: the calendar (home page), the list, a post's page and its actions.

Thin: parse, call `posts.services` / `posts.selectors`, respond. The composer lives in `web.posts.composer`.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Platform, SocialAccount
from accounts.roles import Capability, role_allows
from accounts.scoping import request_membership
from analytics.services import analytics_statistics_note, analytics_statistics_unavailable
from campaigns.models import Campaign
from kernel.errors import ServiceError
from kernel.users import request_user
from posts import approvals, groups, services, transitions
from posts.capacity import capacity_warnings
from posts.comments import post_comments_for
from posts.filters import PostFilter
from posts.models import Post, PostStatus
from posts.previews.service import post_preview
from posts.selectors import calendar_page_for
from posts.timeline import post_timeline
from publisher.models import Delivery
from web.charts import snapshot_chart
from web.common import (
    error_message,
    errors_in_words,
    format_date,
    format_datetime,
    format_time,
    next_url,
    page_workspace,
    requires,
    run_action,
    status_for,
    wants_json,
)
from web.first_run import first_run_for_workspace
from web.posts.calendar_chips import chip_look_answer
from web.posts.calendar_grid import (
    VIEWS,
    calendar_range,
    legend,
    list_days,
    month_weeks,
    week_columns,
    week_start_hour,
)
from web.posts.comments import CommentForm
from web.posts.forms import RescheduleForm
from web.posts.repeat_fields import series_context

# The calendar's filters, named as the API names them, so a calendar URL reads like a `GET /posts` query.
CALENDAR_FILTERS = ("campaign_id", "social_account_id", "platform", "status")
HOURLY_VIEWS = ("week", "day")  # hour slots, the current-time line, the whole-day toggle
POSTS_PER_PAGE = 50


def _get_post_for_user(request: HttpRequest, pk: int) -> Post:
    """Another workspace's post is as absent as a deleted one: 404 either way."""
    return get_object_or_404(Post.objects.in_workspace(page_workspace(request)).with_relations(), pk=pk)


def _needs_approval(request: HttpRequest) -> bool:
    """The caller's posts need approval in the workspace they act in (`posts.approvals.needs_approval`)."""
    return approvals.membership_needs_approval(request_membership(request))


def _filter_context(request: HttpRequest, keys: tuple[str, ...]) -> dict:
    workspace = page_workspace(request)
    return {
        "accounts": list(SocialAccount.objects.in_workspace(workspace)),
        "campaigns": list(Campaign.objects.in_workspace(workspace).order_by("name")),
        "platforms": Platform.choices,
        "statuses": PostStatus.choices,
        "selected": {key: request.GET.getlist(key) if key == "status" else request.GET.get(key, "") for key in keys},
    }


def _filter_query(request: HttpRequest, keys: tuple[str, ...]) -> str:
    pairs = [(key, value) for key in keys for value in request.GET.getlist(key) if value]
    return urlencode(pairs)


def _given(request: HttpRequest, keys: tuple[str, ...]) -> QueryDict:
    """The filters the person set: a form's "All …" option sends an empty value, which means no filter."""
    given = QueryDict(mutable=True)
    for key in keys:
        given.setlist(key, [value for value in request.GET.getlist(key) if value])
    return given


def _parse_date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


# The calendar's reach. Near year 1 or 9999 a view's surrounding weeks (and their local midnights
# in UTC) fall outside what a date can hold; nothing can be scheduled that far anyway.
CALENDAR_FIRST_DAY = dt.date(1900, 1, 1)
CALENDAR_LAST_DAY = dt.date(2999, 12, 31)


def _calendar_anchor(request: HttpRequest, today: dt.date) -> dt.date:
    """The day the calendar shows: `?date=`, else today; a day beyond its reach is brought back with a note."""
    anchor = _parse_date(request.GET.get("date")) or today
    clamped = min(max(anchor, CALENDAR_FIRST_DAY), CALENDAR_LAST_DAY)
    if clamped != anchor:
        reach = f"{CALENDAR_FIRST_DAY.year} to {CALENDAR_LAST_DAY.year}"
        messages.info(request, f"The calendar covers {reach}: showing {format_date(clamped)}.")
    return clamped


def _calendar_grid(request: HttpRequest, *, view: str, days: list[dict], rng, now: dt.datetime, **lookups) -> dict:
    """The view's cells: month weeks, week columns from its first hour (or the whole day), or the list."""
    if view == "month":
        return {"weeks": month_weeks(days=days, rng=rng, now=now, **lookups)}
    if view == "list":
        return {"list_days": list_days(days=days, now=now, **lookups)}
    whole_day = request.GET.get("hours") == "all"
    first_hour = 0 if whole_day else week_start_hour(days)
    return {
        "columns": week_columns(days=days, now=now, first_hour=first_hour, **lookups),
        "hours": range(first_hour, 24),
        "first_hour": first_hour,
        "whole_day": whole_day,
    }


def _view_query(request: HttpRequest, view: str) -> str:
    """What every link of the calendar keeps: the filters, and the week's whole-day choice."""
    query = _filter_query(request, CALENDAR_FILTERS)
    if view in HOURLY_VIEWS and request.GET.get("hours") == "all":
        query = f"{query}&hours=all" if query else "hours=all"
    return query


@login_required
@require_GET
def calendar_view(request: HttpRequest) -> HttpResponse:
    user = request_user(request)
    workspace = page_workspace(request)
    tz = user.tzinfo
    now = timezone.localtime(timezone.now(), tz)
    view = request.GET.get("view") or "month"
    if view not in VIEWS:
        view = "month"
    rng = calendar_range(view=view, anchor=_calendar_anchor(request, now.date()))
    filterset = PostFilter(_given(request, CALENDAR_FILTERS), queryset=Post.objects.in_workspace(workspace))
    context = _filter_context(request, CALENDAR_FILTERS)
    days = calendar_page_for(workspace=workspace, start_date=rng.start, end_date=rng.end, tz=tz, posts=filterset.qs)
    start = dt.datetime.combine(rng.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(rng.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    # Posts that came through the publisher API are marked on their chip (one query for the range).
    from_publisher = Delivery.objects.filter(
        post__workspace=workspace, post__scheduled_time__gte=start, post__scheduled_time__lt=end
    ).values_list("post_id", flat=True)
    lookups = {
        "accounts": {a.pk: a.account_name for a in context["accounts"]},
        "campaigns": {c.pk: c.name for c in context["campaigns"]},
        "publisher_ids": set(from_publisher),
    }
    context.update(_calendar_grid(request, view=view, days=days, rng=rng, now=now, **lookups))
    total = sum(day["total"] for day in days)
    context.update(
        rng=rng,
        today=now.date(),
        total=total,
        # Only an empty view can belong to a new user; a busy one costs no query for this.
        first_run=first_run_for_workspace(workspace, has_accounts=bool(context["accounts"])) if not total else None,
        filter_query=_filter_query(request, CALENDAR_FILTERS),
        view_query=_view_query(request, view),
        filter_errors=errors_in_words(filterset.errors),
        legend=legend(),
        reschedulable=sorted(transitions.ALLOWED_FROM["reschedule"]),
        capacity_warning=capacity_warnings(workspace=workspace, tz=tz, start=rng.start, end=rng.end),
        # The workspace's timezone is its members' default; a member elsewhere is told, and offered it.
        workspace_timezone=workspace.timezone if workspace.timezone != user.timezone else None,
    )
    return render(request, "posts/calendar.html", context)


LIST_FILTERS = (*CALENDAR_FILTERS, "q", "scheduled_from", "scheduled_to", "ordering")


@login_required
@require_GET
def post_list_view(request: HttpRequest) -> HttpResponse:
    queryset = Post.objects.in_workspace(page_workspace(request)).with_relations().select_related("publisher_delivery")
    filterset = PostFilter(_given(request, LIST_FILTERS), queryset=queryset)
    page = Paginator(filterset.qs, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    context = _filter_context(request, LIST_FILTERS)
    context.update(
        page=page,
        filter_errors=errors_in_words(filterset.errors),
        filter_query=_filter_query(request, LIST_FILTERS),
    )
    return render(request, "posts/post_list.html", context)


@login_required
@require_GET
def post_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post_for_user(request, pk)
    delivery = Delivery.objects.filter(post=post).select_related("publisher_post__app").first()
    # The newest snapshots, oldest first for the chart.
    snapshots = list(post.analytics.order_by("-recorded_at", "-id")[:60])[::-1]
    attempts = list(post.publish_attempts.order_by("number", "id"))
    allowed = {name: post.status in states for name, states in transitions.ALLOWED_FROM.items()}
    membership = request_membership(request)
    needs_approval = approvals.membership_needs_approval(membership)
    in_workspace = post.workspace_id == membership.workspace.pk
    writes = role_allows(membership.role, Capability.EDIT_POSTS)  # a viewer is shown no button it cannot use
    context = {
        "post": post,
        "delivery": delivery,
        "timeline": post_timeline(post, attempts),
        "snapshots": snapshots,
        "latest": snapshots[-1] if snapshots else None,
        "chart": snapshot_chart(snapshots, tz=request_user(request).tzinfo),
        # Never promise numbers Buffer cannot give for this workspace's config.
        "analytics_unavailable": ""
        if snapshots
        else analytics_statistics_unavailable(workspace=page_workspace(request)),
        "analytics_note": analytics_statistics_note(workspace=page_workspace(request)),
        "can": {
            "write": writes,
            "cancel": writes and allowed["cancel"],
            "reschedule": writes and allowed["reschedule"],
            "edit": writes and post.status in transitions.EDITABLE,
            "buffer": writes
            and allowed["hand_to_buffer"]
            and not post.is_handed_to_buffer
            and not ((post.approval_required or needs_approval) and post.approved_at is None),
            "delete": writes and post.status != PostStatus.PUBLISHING,
            "submit": writes and allowed["submit"] and in_workspace and (post.approval_required or needs_approval),
            "decide": post.status == PostStatus.PENDING_APPROVAL
            and in_workspace
            and role_allows(membership.role, Capability.APPROVE),
        },
        "comment_max": approvals.COMMENT_MAX,
        "preview": post_preview(post=post),  # as the network will show it (posts.previews)
        "reschedule_form": RescheduleForm(initial={"scheduled_time": post.scheduled_time}),
        "comments": list(post_comments_for(post=post)),
        "comment_form": CommentForm(),
        "group_siblings": groups.siblings_of(post),
        **series_context(post),  # a recurring post's series box (web.posts.series)
    }
    return render(request, "posts/post_detail.html", context)


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def post_reschedule_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The calendar's drag and drop (fetch, JSON) and the reschedule dialog / form (plain POST)."""
    post = _get_post_for_user(request, pk)
    form = RescheduleForm(request.POST)
    if not form.is_valid():
        message = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return _answer(request, post, ok=False, message=f"Not rescheduled: {message}", status=400)
    try:
        post = services.post_reschedule(
            post=post, scheduled_time=form.cleaned_data["scheduled_time"], needs_approval=_needs_approval(request)
        )
    except ServiceError as exc:
        return _answer(
            request, post, ok=False, message=f"Not rescheduled: {error_message(exc)}", status=status_for(exc)
        )
    return _answer(
        request, post, ok=True, message=f"Post #{post.pk} rescheduled to {format_datetime(post.scheduled_time)}."
    )


def _answer(request: HttpRequest, post: Post, *, ok: bool, message: str, status: int = 200) -> HttpResponse:
    if wants_json(request):
        body = {"ok": ok, "message": message, "status": post.status, "status_label": post.get_status_display()}
        body.update(chip_look_answer(post))
        if ok:
            local = timezone.localtime(post.scheduled_time)
            body.update(scheduled_time=local.isoformat(), time=format_time(local), date=local.date().isoformat())
        return JsonResponse(body, status=200 if ok else status)
    (messages.success if ok else messages.error)(request, message)
    return redirect(next_url(request, reverse("post-detail", args=[post.pk])))


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def post_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post_for_user(request, pk)
    return run_action(
        request,
        lambda: services.post_cancel(post=post),
        success=f"Post #{post.pk} cancelled.",
        default_next=reverse("post-detail", args=[post.pk]),
    )


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def post_schedule_via_buffer_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post_for_user(request, pk)
    return run_action(
        request,
        lambda: services.post_schedule_via_buffer(post=post, needs_approval=_needs_approval(request)),
        success=f"Post #{post.pk} is scheduled at Buffer.",
        default_next=reverse("post-detail", args=[post.pk]),
    )


@login_required
@require_POST
@requires(Capability.EDIT_POSTS)
def post_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    post = _get_post_for_user(request, pk)
    try:
        services.post_delete(post=post)
    except ServiceError as exc:
        messages.error(request, error_message(exc))
        return redirect("post-detail", pk=post.pk)
    messages.success(request, f"Post #{pk} deleted.")
    return redirect("calendar")
