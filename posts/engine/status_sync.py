"""Status sync: posts handed to Buffer's queue become `published` once Buffer has sent them.

A handed-over post (`POST /posts/{id}/schedule`, or found pending by reconciliation) stays `scheduled`
with its `buffer_update_id` while Buffer holds it. Once its time has passed, Buffer is asked — per
(API key, organization), one filtered `find_updates` for every channel with posts waiting and only the
due window they span — which of them went out: those become `published` with Buffer's `sent_at` and
`service_link`, those Buffer reports as errored become `failed`. The asking backs off while nothing
changes (`posts.polling`), and stops for a post ENGINE_STATUS_SYNC_HORIZON_SECONDS after its time.
A newly due post is asked about ENGINE_STATUS_SYNC_BATCH_SECONDS after its time at the latest (posts due
meanwhile share the request). Runs every ENGINE_STATUS_SYNC_INTERVAL seconds; requests go through the
key's budget at STATUS_SYNC priority, below publishing and reconciling.
"""

from __future__ import annotations

import datetime as dt
import logging
from itertools import groupby

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from buffer_integration.backends.base import BufferBackend, BufferUpdate
from buffer_integration.budget import Priority
from buffer_integration.exceptions import BufferBudgetExhausted, BufferError
from buffer_integration.services import backend_for_config, buffer_config_for_account
from kernel.errors import DomainError
from kernel.periodic import load_isolated, run_isolated
from posts import polling, transitions
from posts.models import PollStream, Post, PostStatus

logger = logging.getLogger("socialhub.engine")

MAX_POSTS_PER_RUN = 2000
LOOP = "posts.status_sync"
SYNC_BUDGET_SECONDS = 60.0  # within the task time limit; the next run goes on
BUFFER_ERROR_MESSAGE = "Buffer could not send this post"


def waiting_posts(*, now: dt.datetime) -> QuerySet[Post]:
    """Handed over, due, not settled and within the horizon: what the status sync still asks about."""
    horizon = dt.timedelta(seconds=settings.ENGINE_STATUS_SYNC_HORIZON_SECONDS)
    return (
        Post.objects.select_related("social_account")
        .filter(status=PostStatus.SCHEDULED, scheduled_time__lte=now, scheduled_time__gte=now - horizon)
        .exclude(buffer_update_id="")
    )


def sync_handed_over_posts(*, now: dt.datetime | None = None, budget_seconds: float = SYNC_BUDGET_SECONDS) -> int:
    """Settle handed-over posts Buffer has sent (or failed); returns how many were published.

    Each (workspace, organization) on its own: one that fails (or a post row that cannot be read) is
    skipped, logged and counted for /health; the others go on, until the run's time budget is spent.
    """
    now = now or timezone.now()
    waiting = waiting_posts(now=now).order_by(
        "social_account__workspace_id", "social_account__buffer_organization_id", "scheduled_time", "id"
    )
    pks = list(waiting.values_list("pk", flat=True)[:MAX_POSTS_PER_RUN])
    posts, unreadable = load_isolated(waiting, pks, name=LOOP)

    def group_key(post: Post) -> tuple[int, str]:
        # One Buffer config per workspace, and Buffer is asked per organization of that key.
        return post.social_account.workspace_id, post.social_account.buffer_organization_id

    groups = [list(group) for _, group in groupby(posts, key=group_key)]
    published = 0

    def sync(group: list[Post]) -> None:
        nonlocal published
        published += _sync_organization(group, now=now)

    run_isolated(
        groups,
        sync,
        name=LOOP,
        item_id=lambda group: f"workspace {group[0].workspace_id} organization {group_key(group[0])[1] or '-'}",
        budget_seconds=budget_seconds,
        atomic=False,  # one Buffer call per organization: no transaction held open meanwhile
        already_skipped=unreadable,
    )
    return published


def _sync_organization(posts: list[Post], *, now: dt.datetime) -> int:
    account = posts[0].social_account
    try:
        config = buffer_config_for_account(account=account)
        token = config.get_access_token()
    except DomainError:
        return 0  # no credentials any more: nothing to ask; the account page says why
    organization_id = account.buffer_organization_id
    state = polling.state_for(token=token, organization_id=organization_id, stream=PollStream.STATUS)

    # New since the last poll: a post whose time came, or that was handed over (e.g. rescheduled at Buffer).
    def news(post: Post) -> dt.datetime:
        return max(post.due_time, post.handed_to_buffer_at or post.due_time)

    previous_poll = state.last_polled_at
    fresh = {p.pk for p in posts if previous_poll is None or news(p) > previous_poll}
    # Posts that came due close together share one request: a new one waits up to the batch delay.
    batch = dt.timedelta(seconds=settings.ENGINE_STATUS_SYNC_BATCH_SECONDS)
    ripe = [news(p) for p in posts if p.pk in fresh and news(p) + batch <= now]
    if not polling.is_due(state, now=now, fresh_since=max(ripe, default=None)) or not polling.take(state, now=now):
        return 0
    oldest = min(p.due_time for p in posts)  # Buffer's dueAt is the post's time (± clock skew)
    margin = dt.timedelta(seconds=settings.RECONCILE_MARGIN_SECONDS)
    profile_ids = sorted({p.social_account.buffer_profile_id for p in posts})
    backend = backend_for_config(config=config, priority=Priority.STATUS_SYNC)
    try:
        updates = _find(
            backend, config.api, profile_ids, organization_id, due_after=oldest - margin, due_before=now + margin
        )
    except BufferBudgetExhausted as exc:
        polling.defer(state, until=exc.retry_at)  # publishing has the key's remaining budget
        return 0
    except BufferError as exc:
        logger.warning("status sync: workspace %s: %s", account.workspace_id, exc.message)
        polling.record(state, now=now, changed=False, base_seconds=settings.ENGINE_STATUS_SYNC_INTERVAL)
        return 0
    by_id = {u.id: u for u in updates}
    published, look_again_soon = 0, False
    for post in posts:
        update = by_id.get(post.buffer_update_id)
        if update is None or update.status not in ("sent", "error"):
            # Just due and not sent yet: Buffer is usually minutes behind, so ask again at the next tick.
            look_again_soon |= post.pk in fresh
            continue
        # A post that had already been asked about moved: Buffer's queue is moving again.
        look_again_soon |= post.pk not in fresh
        if update.status == "error":
            transitions.transition(
                post_id=post.pk,
                to=PostStatus.FAILED,
                allowed_from=transitions.ALLOWED_FROM["mark_failed"],
                only_if={"buffer_update_id": post.buffer_update_id},
                last_error=BUFFER_ERROR_MESSAGE,
                retry_at=None,
            )
            continue
        published_at = update.sent_at or now
        published += transitions.mark_published(
            post_id=post.pk,
            only_if={"buffer_update_id": post.buffer_update_id},
            published_at=published_at,
            service_link=update.service_link,
            lateness_seconds=(published_at - post.due_time).total_seconds(),
        )
    # Otherwise (only newly due posts, all sent; or nothing moved) the wait keeps growing.
    polling.record(state, now=now, changed=look_again_soon, base_seconds=settings.ENGINE_STATUS_SYNC_INTERVAL)
    return published


def _find(
    backend: BufferBackend,
    api: str,
    profile_ids: list[str],
    organization_id: str,
    *,
    due_after: dt.datetime,
    due_before: dt.datetime,
) -> list[BufferUpdate]:
    """Every update of these channels due in the window, sent or not, filtered at Buffer."""
    # GraphQL answers every status in one request, errored posts included; v1 would list pending and
    # sent separately (two requests per channel) and has no errored list: there, only the sent one.
    status = "" if api == "graphql" else "sent"
    return backend.find_updates(
        profile_ids, organization_id=organization_id, status=status, due_after=due_after, due_before=due_before
    )
