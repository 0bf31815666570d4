"""Dispatch: claim due posts and queue one publish task per claim.

Beat runs `dispatch_due_posts` every ENGINE_DISPATCH_INTERVAL seconds (one periodic task for all
posts; the post's own time lives in the database, never in a Celery ETA). Several dispatchers may
run at once — a second beat started by mistake, two machines — because a claim is an UPDATE that
only moves `scheduled` rows: under `SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, and inside
SQLite's write-locked (IMMEDIATE) transaction otherwise, so each due post is claimed exactly once.

The in-flight cap follows what the workers actually clear. Every publish task that lets go of its
claim (published, retry, failed, unknown, held, deferred) counts one "clear" in the shared cache, in a
bucket per dispatch interval. Each tick then allows

    cap = clamp(IN_FLIGHT_FACTOR x best clears per interval over the last CLEAR_BUCKETS intervals,
                ENGINE_MIN_IN_FLIGHT, ENGINE_MAX_IN_FLIGHT)

claims in flight: about IN_FLIGHT_FACTOR ticks of work, so the workers never run dry between ticks
(and, as with TCP's slow start, the cap multiplies while they keep up with it), while a slow or loaded
machine gets only what it can clear soon, not a thousand claims that wait in the broker. The best
recent interval, not the average, so a single slow tick does not halve the cap. With nothing cleared
recently (idle engine, dead workers) the floor ENGINE_MIN_IN_FLIGHT applies; ENGINE_MAX_IN_FLIGHT stays
the upper bound on the broker's queue whatever the rate.

A claim that still waits in the broker longer than the sweeper's patience is not taken for dead
(posts.engine.reconcile): only a publish a worker started and abandoned is reconciled; an unstarted
one is sent again under the same claim.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from accounts import audit
from campaigns.models import CampaignStatus
from kernel.heartbeat import record_beat_tick
from posts import transitions
from posts.models import Post, PostStatus

logger = logging.getLogger("socialhub.engine")

HOLD_ACCOUNT_INACTIVE = "Held: the social account is inactive; the post goes out once it is active again."
HOLD_CAMPAIGN_PAUSED = "Held: the campaign is paused; the post goes out once the campaign is resumed."

IN_FLIGHT_FACTOR = 4  # dispatch intervals of work kept in flight
CLEAR_BUCKETS = 3  # complete dispatch intervals the clearing rate is measured over
CLEARED_KEY = "engine-cleared"


@dataclass(frozen=True)
class Claim:
    post_id: int
    claim_id: uuid.UUID


def hold_reason_for(post: Post) -> str:
    """Why a due post must not go out now ("" = it may). Checked again by the publish task at send time."""
    if not post.social_account.is_active:
        return HOLD_ACCOUNT_INACTIVE
    if post.campaign is not None and post.campaign.status == CampaignStatus.PAUSED:
        return HOLD_CAMPAIGN_PAUSED
    return ""


def refresh_holds(*, now: dt.datetime) -> None:
    """Hold due posts of inactive accounts / paused campaigns (reason visible), release resumed ones."""
    due = Post.objects.filter(status=PostStatus.SCHEDULED, scheduled_time__lte=now, buffer_update_id="")
    inactive = Q(social_account__is_active=False)
    paused = Q(campaign__status=CampaignStatus.PAUSED)
    # Each change of a hold is in the audit log (`hold` / `release`); with nothing to change, one query each.
    newly_inactive = due.filter(inactive).exclude(hold_reason=HOLD_ACCOUNT_INACTIVE)
    audit.record_update(newly_inactive, action="hold", hold_reason=HOLD_ACCOUNT_INACTIVE, updated_at=now)
    newly_paused = due.filter(paused).exclude(inactive).exclude(hold_reason=HOLD_CAMPAIGN_PAUSED)
    audit.record_update(newly_paused, action="hold", hold_reason=HOLD_CAMPAIGN_PAUSED, updated_at=now)
    released = due.exclude(hold_reason="").exclude(inactive).exclude(paused)
    audit.record_update(released, action="release", hold_reason="", updated_at=now)


def claim_due_posts(*, now: dt.datetime, limit: int) -> list[Claim]:
    """Claim up to `limit` due posts, oldest first, under one new claim id (committed on return)."""
    claim_id = uuid.uuid4()
    with transaction.atomic():
        due = Post.objects.due(now=now).order_by("scheduled_time", "id")
        if connection.features.has_select_for_update_skip_locked:
            # Concurrent dispatchers each lock a different set of rows instead of queueing behind one.
            due = due.select_for_update(skip_locked=True, of=("self",))
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        transitions.claim(post_ids=ids, claim_id=claim_id, claimed_at=now)
        won = Post.objects.filter(pk__in=ids, claim_id=claim_id, status=PostStatus.PUBLISHING)
        return [Claim(pk, claim_id) for pk in won.values_list("pk", flat=True)]


def enqueue_publish(claims: list[Claim]) -> None:
    from posts.tasks import publish_post

    def send() -> None:
        for claim in claims:
            publish_post.delay(claim.post_id, str(claim.claim_id))

    # A claim that never reaches the broker (crash right here) is recovered by the sweeper.
    transaction.on_commit(send)


def _bucket(when: dt.datetime) -> int:
    return int(when.timestamp() // settings.ENGINE_DISPATCH_INTERVAL)


def record_cleared(*, now: dt.datetime | None = None) -> None:
    """A publish task let go of its claim (whatever the outcome): one more for the clearing rate."""
    key = f"{CLEARED_KEY}:{_bucket(now or timezone.now())}"
    ttl = (CLEAR_BUCKETS + 2) * settings.ENGINE_DISPATCH_INTERVAL
    cache.add(key, 0, timeout=ttl)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=ttl)


def in_flight_cap(*, now: dt.datetime) -> int:
    """How many claims may be in flight now: IN_FLIGHT_FACTOR x the best recent interval, bounded."""
    current = _bucket(now)
    keys = [f"{CLEARED_KEY}:{current - back}" for back in range(1, CLEAR_BUCKETS + 1)]
    best = max((int(value or 0) for value in cache.get_many(keys).values()), default=0)
    ceiling = settings.ENGINE_MAX_IN_FLIGHT
    return min(max(IN_FLIGHT_FACTOR * best, settings.ENGINE_MIN_IN_FLIGHT), ceiling)


def dispatch_due_posts(*, now: dt.datetime | None = None) -> int:
    """One beat tick: record the heartbeat, refresh holds, claim due posts and queue their publishing."""
    record_beat_tick()
    now = now or timezone.now()
    refresh_holds(now=now)
    room = in_flight_cap(now=now) - Post.objects.filter(status=PostStatus.PUBLISHING).count()
    dispatched = 0
    while room > 0:
        batch = min(settings.ENGINE_DISPATCH_BATCH, room)
        claims = claim_due_posts(now=now, limit=batch)
        if not claims:
            break
        enqueue_publish(claims)
        dispatched += len(claims)
        room -= len(claims)
        if len(claims) < batch:
            break
    if dispatched:
        logger.info("dispatch: claimed %d due post(s)", dispatched)
    return dispatched


def due_backlog(*, now: dt.datetime) -> dict[str, Any]:
    """For /health: due posts nobody has claimed yet, the oldest one's due time, and held posts."""
    due = Post.objects.due(now=now).aggregate(count=Count("id"), oldest=Min("scheduled_time"))
    held = Post.objects.filter(status=PostStatus.SCHEDULED, scheduled_time__lte=now).exclude(hold_reason="").count()
    return {"count": due["count"], "oldest": due["oldest"], "held": held}
