"""A publisher post's status, derived from its deliveries' Posts, and the only code that changes it.

    QUEUED → [SCHEDULED] → PROCESSED → FINISHED | ERROR      (QUEUED → ERROR when validation fails)

Nothing hooks into `posts`: the periodic refresh (and a call right after processing) recomputes
each unsettled post from its Posts' statuses. Every step is a compare-and-set on the status read
plus an outbox row, in one transaction, so each status is reported exactly once and in order.
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from kernel.periodic import DEFAULT_BUDGET_SECONDS, LoopReport, load_isolated, record_skips, run_isolated
from posts.models import PostStatus
from publisher.models import STATUS_RANK, CallbackStream, Delivery, PublisherPost, PublisherStatus
from publisher.outbox import enqueue_callback

S = PublisherStatus
LOOP = "publisher.refresh_statuses"
# A Post in one of these will not change any more on its own; None is a Post deleted since.
SETTLED_POST_STATUSES = frozenset({PostStatus.PUBLISHED, PostStatus.FAILED, PostStatus.CANCELLED, None})
# The engine has taken these up: the publisher post is PROCESSED even if it was scheduled for later.
STARTED_POST_STATUSES = frozenset({PostStatus.PUBLISHING, PostStatus.RECONCILING, PostStatus.PUBLISHED})


def derive_status(*, publisher_post: PublisherPost, post_statuses: list[str | None], now: datetime) -> str:
    """What the status should be now, from the Posts of the deliveries (None: no Post any more)."""
    if publisher_post.processed_at is None:
        return S.QUEUED
    if publisher_post.error:
        return S.ERROR
    if post_statuses and all(status == PostStatus.PUBLISHED for status in post_statuses):
        return S.FINISHED
    # ERROR waits until every delivery has settled, so it is final for the integrator too.
    if all(status in SETTLED_POST_STATUSES for status in post_statuses):
        return S.ERROR
    started = any(status in STARTED_POST_STATUSES for status in post_statuses)
    if publisher_post.scheduled_at is not None and publisher_post.scheduled_at > now and not started:
        return S.SCHEDULED
    return S.PROCESSED


def status_payload(publisher_post: PublisherPost) -> dict[str, str]:
    """The seed's post-status object, exactly."""
    return {"postId": publisher_post.public_id, "postStatus": publisher_post.status}


def report_status(publisher_post: PublisherPost) -> None:
    """Queue the status callback for the post's current status (inside the transaction that set it)."""
    if publisher_post.status_callback_url:
        enqueue_callback(
            publisher_post=publisher_post,
            stream=CallbackStream.STATUS,
            event=f"status.{publisher_post.status}",
            method="PUT",
            url=publisher_post.status_callback_url,
            payload=status_payload(publisher_post),
        )


def _steps(current: str, target: str, *, via_processed: bool) -> list[str]:
    """The statuses to pass through: a final status reached from a processed post goes via PROCESSED."""
    if STATUS_RANK[target] <= STATUS_RANK[current]:
        return []
    if via_processed and target in (S.FINISHED, S.ERROR) and STATUS_RANK[current] < STATUS_RANK[S.PROCESSED]:
        return [S.PROCESSED, target]
    return [target]


def advance_status(*, publisher_post: PublisherPost, to: str, via_processed: bool = True) -> bool:
    """Move forward to `to`, queueing one callback per step. False if another process moved it first."""
    steps = _steps(publisher_post.status, to, via_processed=via_processed)
    if not steps:
        return False
    with transaction.atomic():
        for step in steps:
            won = PublisherPost.objects.filter(pk=publisher_post.pk, status=publisher_post.status).update(
                status=step, updated_at=timezone.now()
            )
            if not won:
                transaction.set_rollback(True)
                publisher_post.refresh_from_db(fields=["status"])
                return False
            publisher_post.status = step
            report_status(publisher_post)
    return True


def _post_statuses(publisher_posts: list[PublisherPost]) -> dict[int, list[str | None]]:
    statuses: dict[int, list[str | None]] = defaultdict(list)
    rows = Delivery.objects.filter(publisher_post__in=[p.pk for p in publisher_posts]).values_list(
        "publisher_post_id", "post__status"
    )
    for publisher_post_id, post_status in rows:
        statuses[publisher_post_id].append(post_status)
    return statuses


def _refresh_one(publisher_post: PublisherPost, post_statuses: list[str | None], now: datetime) -> bool:
    target = derive_status(publisher_post=publisher_post, post_statuses=post_statuses, now=now)
    return advance_status(publisher_post=publisher_post, to=target)


def refresh_statuses(*, publisher_posts: list[PublisherPost], now: datetime | None = None) -> int:
    """Recompute each post's status from its Posts (one query) and advance those that changed."""
    now = now or timezone.now()
    statuses = _post_statuses(publisher_posts)
    return sum(_refresh_one(post, statuses[post.pk], now) for post in publisher_posts)


def record_task_problem(publisher_post_id: int, exc: BaseException) -> None:
    """Note on the row that background work failed on it (the class only: messages may carry data)."""
    PublisherPost.objects.filter(pk=publisher_post_id).update(
        task_error=f"{type(exc).__name__} at {timezone.now():%Y-%m-%d %H:%M:%S} UTC"[:200],
        task_failures=F("task_failures") + 1,
    )


def refresh_unsettled(
    *, now: datetime | None = None, chunk: int = 500, budget_seconds: float = DEFAULT_BUDGET_SECONDS
) -> int:
    """The periodic pass: every processed post that is not FINISHED or ERROR yet, a chunk at a time.

    Each post on its own: one whose row cannot be read or whose refresh fails is skipped and
    noted on the row; the others go on. Stops after `budget_seconds`; the next run starts over.
    """
    pending = PublisherPost.objects.unsettled().not_quarantined().filter(processed_at__isnull=False).order_by("id")
    changed: list[int] = []
    last_pk, started, run = 0, time.monotonic(), LoopReport(LOOP)
    while pks := list(pending.filter(pk__gt=last_pk).values_list("pk", flat=True)[:chunk]):
        batch, unreadable = load_isolated(pending, pks, name=LOOP, on_error=record_task_problem)
        statuses = _post_statuses(batch)

        def refresh(post: PublisherPost, statuses: dict = statuses) -> None:
            if _refresh_one(post, statuses[post.pk], now or timezone.now()):
                changed.append(post.pk)

        report = run_isolated(
            batch,
            refresh,
            name=LOOP,
            on_error=record_task_problem,
            budget_seconds=budget_seconds - (time.monotonic() - started),
            already_skipped=unreadable,
            record=False,
        )
        run.skipped += report.skipped
        if report.out_of_time:
            break
        last_pk = pks[-1]
    record_skips(run)
    return len(changed)
