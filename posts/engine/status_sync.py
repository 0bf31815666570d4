"""Status sync: posts handed to Buffer's queue become `published` once Buffer has sent them.

A handed-over post (`POST /posts/{id}/schedule`, or found pending by reconciliation) stays
`scheduled` with its `buffer_update_id` while Buffer holds it. Once its time has passed, one
`sent` list per account (one or a few requests, however many posts) tells which went out: those
become `published` with Buffer's `sent_at` and `service_link`. Runs every
ENGINE_STATUS_SYNC_INTERVAL seconds; each account costs its token one throttled request.
"""

from __future__ import annotations

import datetime as dt
import logging
from itertools import groupby

from django.conf import settings
from django.utils import timezone

from buffer_integration import throttle
from buffer_integration.backends import get_backend
from buffer_integration.exceptions import BufferError
from buffer_integration.services import buffer_credentials_for_account
from posts import transitions
from posts.models import Post, PostStatus
from socialhub.errors import DomainError
from socialhub.periodic import load_isolated, run_isolated

logger = logging.getLogger("socialhub.engine")

MAX_POSTS_PER_RUN = 2000
LOOP = "posts.status_sync"
SYNC_BUDGET_SECONDS = 60.0  # within the task time limit; the next run goes on


def sync_handed_over_posts(*, now: dt.datetime | None = None, budget_seconds: float = SYNC_BUDGET_SECONDS) -> int:
    """Mark handed-over posts Buffer has sent as published; returns how many were.

    Each account on its own: one that fails (or a post row that cannot be read) is skipped, logged
    and counted for /health; the others go on, until the run's time budget is spent.
    """
    now = now or timezone.now()
    waiting = (
        Post.objects.select_related("social_account")
        .filter(status=PostStatus.SCHEDULED, scheduled_time__lte=now)
        .exclude(buffer_update_id="")
        .order_by("social_account_id", "scheduled_time")
    )
    pks = list(waiting.values_list("pk", flat=True)[:MAX_POSTS_PER_RUN])
    posts, unreadable = load_isolated(waiting, pks, name=LOOP)
    groups = [list(group) for _, group in groupby(posts, key=lambda post: post.social_account_id)]
    published = 0

    def sync(group: list[Post]) -> None:
        nonlocal published
        published += _sync_account(group, now=now)

    run_isolated(
        groups,
        sync,
        name=LOOP,
        item_id=lambda group: f"account {group[0].social_account_id}",
        budget_seconds=budget_seconds,
        atomic=False,  # one Buffer call per account: no transaction held open meanwhile
        already_skipped=unreadable,
    )
    return published


def _sync_account(posts: list[Post], *, now: dt.datetime) -> int:
    account = posts[0].social_account
    try:
        token, api = buffer_credentials_for_account(account=account)
    except DomainError:
        return 0  # no credentials any more: nothing to ask; the account page says why
    if throttle.acquire(token):
        return 0  # this token is busy publishing; the next run catches up
    oldest = min(p.handed_to_buffer_at or p.scheduled_time for p in posts)
    since = oldest - dt.timedelta(seconds=settings.RECONCILE_MARGIN_SECONDS)
    try:
        sent = {u.id: u for u in get_backend(token, api=api).list_sent(account.buffer_profile_id, since=since)}
    except BufferError as exc:
        logger.warning("status sync: account %s: %s", account.pk, exc.message)
        return 0
    published = 0
    for post in posts:
        update = sent.get(post.buffer_update_id)
        if update is None:
            continue
        published_at = update.sent_at or now
        published += transitions.mark_published(
            post_id=post.pk,
            only_if={"buffer_update_id": post.buffer_update_id},
            published_at=published_at,
            service_link=update.service_link,
            lateness_seconds=(published_at - post.scheduled_time).total_seconds(),
        )
    return published
