"""The client review page: `/review/<token>/`, no account needed (`posts.review_links` has the rules).

Whoever holds a usable link sees its posts as a month calendar and a list with previews, in the
workspace's timezone, and on a post pending approval may approve or request changes with a name and a
comment (a CSRF-protected form). Unknown, expired and revoked tokens get one and the same 404 page.
Each view and decision is logged; requests are rate-limited per client address.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from kernel.client_address import client_address
from kernel.errors import NotFound, ServiceError, TooManyAttempts
from posts import review_links
from posts.models import PostStatus, ReviewAction, ReviewLink
from web.common import error_message
from web.posts.calendar_grid import calendar_range, month_weeks
from web.review.forms import ReviewDecisionForm

logger = logging.getLogger("socialhub.review")
POSTS_PER_PAGE = 50
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
# The URL is the credential: it must not travel in a Referer, land in a shared cache or a search index.
PRIVATE_HEADERS = {"Referrer-Policy": "no-referrer", "Cache-Control": "no-store", "X-Robots-Tag": "noindex, nofollow"}


def _private(request: HttpRequest, response: HttpResponse, *, link: ReviewLink | None = None) -> HttpResponse:
    for name, value in PRIVATE_HEADERS.items():
        response[name] = value
    if response.status_code >= 400:
        # Django's request log would write the path, token included: say it here without the token.
        response._has_been_logged = True  # type: ignore[attr-defined]  # read by django.utils.log.log_response
        where = f"link {link.pk}" if link is not None else "no usable link"
        logger.warning("review page %s answered %s (%s)", request.method, response.status_code, where)
    return response


def _not_valid(request: HttpRequest, link: ReviewLink | None = None) -> HttpResponse:
    return _private(request, render(request, "review/not_valid.html", status=404), link=link)


def _too_many(request: HttpRequest, exc: TooManyAttempts) -> HttpResponse:
    response = render(request, "review/not_valid.html", {"detail": exc.detail}, status=429)
    response["Retry-After"] = exc.retry_after_header or "60"
    return _private(request, response)


def _open(request: HttpRequest, token: str) -> ReviewLink | HttpResponse:
    """The link, or the page to answer instead (rate limited, or not a usable link)."""
    try:
        review_links.review_link_throttle(client_ip=client_address(request))
        return review_links.review_link_for_token(token=token)
    except TooManyAttempts as exc:
        return _too_many(request, exc)
    except NotFound:
        return _not_valid(request)


def _anchor(request: HttpRequest, link: ReviewLink, today: dt.date) -> dt.date:
    try:
        chosen = dt.date.fromisoformat(request.GET.get("date") or "")
    except ValueError:
        chosen = review_links.review_link_first_day(link=link) or today
    return min(max(chosen, FIRST_DAY), LAST_DAY)


def _page(
    request: HttpRequest,
    link: ReviewLink,
    token: str,
    *,
    status: int = 200,
    failed: dict | None = None,
) -> HttpResponse:
    tz = link.workspace.tzinfo
    timezone.activate(tz)  # the page's times are the workspace's (the middleware deactivates it)
    now = timezone.localtime(timezone.now(), tz)
    rng = calendar_range(view="month", anchor=_anchor(request, link, now.date()))
    days = review_links.review_link_calendar(link=link, start_date=rng.start, end_date=rng.end)
    weeks = month_weeks(days=days, rng=rng, now=now, accounts={}, campaigns={}, publisher_ids=set())
    posts = (
        review_links.review_link_posts(link=link)
        .select_related("social_account")
        .order_by(F("scheduled_time").asc(nulls_last=True), "id")
    )
    page = Paginator(posts, POSTS_PER_PAGE).get_page(request.GET.get("page"))
    decisions = review_links.review_link_decisions(link=link, post_ids=[post.pk for post in page])
    for post in page:
        post.review_decisions = decisions.get(post.pk, [])  # type: ignore[attr-defined]  # for the template
    context = {
        "link": link,
        "workspace": link.workspace,
        "rng": rng,
        "weeks": weeks,
        "in_view": sum(day["total"] for day in days),
        "page": page,
        "pending_status": PostStatus.PENDING_APPROVAL,
        "failed": failed or {},
        "form": ReviewDecisionForm(),
        "token": token,
    }
    return _private(request, render(request, "review/review_page.html", context, status=status), link=link)


@require_GET
def review_page_view(request: HttpRequest, token: str) -> HttpResponse:
    opened = _open(request, token)
    if isinstance(opened, HttpResponse):
        return opened
    review_links.review_link_record_use(link=opened, action=ReviewAction.VIEWED, client_ip=client_address(request))
    return _page(request, opened, token)


@require_POST
def review_decision_view(request: HttpRequest, token: str, pk: int) -> HttpResponse:
    opened = _open(request, token)
    if isinstance(opened, HttpResponse):
        return opened
    form = ReviewDecisionForm(request.POST)
    if not form.is_valid():
        return _page(request, opened, token, status=400, failed={"post_id": pk, "form": form})
    try:
        post = review_links.review_link_decide(
            link=opened,
            post_id=pk,
            decision=form.cleaned_data["decision"],
            reviewer_name=form.cleaned_data["reviewer_name"],
            comment=form.cleaned_data["comment"],
            client_ip=client_address(request),
        )
    except NotFound:
        return _not_valid(request, opened)
    except ServiceError as exc:
        failed = {"post_id": pk, "form": form, "message": error_message(exc)}
        return _page(request, opened, token, status=exc.status_code, failed=failed)
    if form.cleaned_data["decision"] == "approve":
        messages.success(request, f"Thank you: post {post.pk} is approved.")
    else:
        messages.success(request, f"Thank you: your request for changes on post {post.pk} was sent.")
    return _private(request, redirect(reverse("review-page", args=[token]) + f"#post-{post.pk}"))
