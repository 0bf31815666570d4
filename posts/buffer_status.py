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

logger = logging.getLogger("socialhub.engine")

MAX_POSTS_PER_RUN = 2000


def sync_handed_over_posts(*, now: dt.datetime | None = None) -> int:
    """Mark handed-over posts Buffer has sent as published; returns how many were."""
    now = now or timezone.now()
    waiting = (
        Post.objects.select_related("social_account")
        .filter(status=PostStatus.SCHEDULED, scheduled_time__lte=now)
        .exclude(buffer_update_id="")
        .order_by("social_account_id", "scheduled_time")[:MAX_POSTS_PER_RUN]
    )
    published = 0
    for _, group in groupby(waiting, key=lambda post: post.social_account_id):
        published += _sync_account(list(group), now=now)
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
