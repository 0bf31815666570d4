"""Recovery: claims of dead workers, and publishes whose outcome is unknown.

`sweep_stale_claims` — a publish a worker *started* (its attempt is recorded before the Buffer call)
and did not finish within the task time limit plus a margin (ENGINE_STALE_CLAIM_SECONDS) lost its
worker (SIGKILL, OOM, machine gone). Its Buffer call may or may not have happened, so it goes to
`reconciling`, never straight back to `scheduled`.

`requeue_unstarted_claims` — a claim no worker has started is not dead: its task waits in a backed-up
broker, or was lost before any worker saw it. Buffer was never called for it, so it needs no
reconciling: its task is sent again under the same claim, and its age restarts. The attempt is unique
per claim, so whichever delivery starts first publishes and the other does nothing. (Taking queued
claims for dead turned every backlog into a reconcile storm.)

`reconcile_post` — asks Buffer: the profile's sent and pending updates since the claim (minus
RECONCILE_MARGIN_SECONDS for clock skew), matched by exact text and not already owned by another
post. Sent → `published` with that update; pending → `scheduled` at Buffer (status sync publishes
it); absent → back to `scheduled` for a retry (or `failed` once the retry budget is spent).
Reconciliation waits RECONCILE_GRACE_SECONDS after the unknown outcome: a slow write may still land.
Its two list calls are counted at priority RECONCILE (below publishing, above all polling); when the
key's budget has no room, the post stays `reconciling` with its next check at the budget's `retry_at`.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from buffer_integration.backends.base import BufferUpdate
from buffer_integration.budget import Priority
from buffer_integration.exceptions import BufferAuthError, BufferBudgetExhausted, BufferError
from kernel.errors import DomainError
from kernel.periodic import run_isolated
from posts import transitions
from posts.engine.buffer_calls import backend_for, log_budget_deferral
from posts.engine.dispatch import Claim, enqueue_publish
from posts.engine.publish import _mark_account_failing, publish_retry_delay
from posts.models import AttemptOutcome, Post, PostStatus, PublishAttempt

logger = logging.getLogger("socialhub.engine")

SWEEP_BATCH = 500
STALE_MESSAGE = "The worker publishing this post stopped (its claim expired); checking Buffer before any retry."


def _attempt_of_claim() -> QuerySet[PublishAttempt]:
    return PublishAttempt.objects.filter(post_id=OuterRef("pk"), claim_id=OuterRef("claim_id"))


def sweep_stale_claims(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.ENGINE_STALE_CLAIM_SECONDS)
    # Liveness, not age: the attempt's own start, not the claim's, says how long a worker has held it.
    abandoned = _attempt_of_claim().filter(finished_at=None, started_at__lt=cutoff)
    stale = Post.objects.filter(status=PostStatus.PUBLISHING, claimed_at__lt=cutoff).filter(Exists(abandoned))
    moved = 0

    def sweep(row: tuple[int, uuid.UUID | None]) -> None:  # inside its own savepoint (run_isolated)
        nonlocal moved
        post_id, claim_id = row
        if claim_id is None:  # a publishing post always has its claim
            return
        if transitions.mark_reconciling(post_id=post_id, claim_id=claim_id, error=STALE_MESSAGE, check_after=now):
            PublishAttempt.objects.filter(post_id=post_id, claim_id=claim_id, finished_at=None).update(
                finished_at=now, outcome=AttemptOutcome.UNKNOWN, error=STALE_MESSAGE
            )
            moved += 1

    run_isolated(
        list(stale.values_list("pk", "claim_id")[:SWEEP_BATCH]),
        sweep,
        name="posts.sweep_stale_claims",
        item_id=lambda row: f"post {row[0]}",
    )
    if moved:
        logger.warning("sweeper: %d post(s) with a dead worker's claim moved to reconciling", moved)
    return moved


def requeue_unstarted_claims(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.ENGINE_STALE_CLAIM_SECONDS)
    unstarted = Post.objects.filter(status=PostStatus.PUBLISHING, claimed_at__lt=cutoff).exclude(
        Exists(_attempt_of_claim())
    )
    renewed: list[Claim] = []

    def renew(row: tuple[int, uuid.UUID | None]) -> None:
        post_id, claim_id = row
        if claim_id is None:  # a publishing post always has its claim
            return
        if transitions.renew_claim(post_id=post_id, claim_id=claim_id, claimed_at=now, stale_before=cutoff):
            renewed.append(Claim(post_id, claim_id))

    run_isolated(
        list(unstarted.values_list("pk", "claim_id")[:SWEEP_BATCH]),
        renew,
        name="posts.requeue_unstarted_claims",
        item_id=lambda row: f"post {row[0]}",
    )
    if renewed:
        enqueue_publish(renewed)
        logger.warning("sweeper: %d claim(s) no worker had started yet sent to the workers again", len(renewed))
    return len(renewed)


def queue_due_reconciliations(*, now: dt.datetime | None = None) -> int:
    """Queue a reconcile task per reconciling post whose check is due, leasing it so no sweep doubles it."""
    from posts.tasks import reconcile_post as reconcile_task

    now = now or timezone.now()
    lease_until = now + dt.timedelta(seconds=settings.ENGINE_STALE_CLAIM_SECONDS)
    due = Post.objects.filter(status=PostStatus.RECONCILING).filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
    queued = 0

    def lease(row: tuple[int, uuid.UUID | None, dt.datetime | None]) -> None:
        nonlocal queued
        post_id, claim_id, retry_at = row
        leased = Post.objects.filter(pk=post_id, status=PostStatus.RECONCILING, claim_id=claim_id, retry_at=retry_at)
        if leased.update(retry_at=lease_until, updated_at=now):

            def enqueue(p: int = post_id, c: uuid.UUID | None = claim_id) -> None:
                reconcile_task.delay(p, str(c))

            transaction.on_commit(enqueue)
            queued += 1

    run_isolated(
        list(due.values_list("pk", "claim_id", "retry_at")[:SWEEP_BATCH]),
        lease,
        name="posts.queue_reconciliations",
        item_id=lambda row: f"post {row[0]}",
    )
    return queued


def _find(post: Post, updates: list[BufferUpdate]) -> BufferUpdate | None:
    """Our update among Buffer's: exact text, and not an update another post already owns."""
    candidates = [u for u in updates if u.text == post.content and u.id]
    owned = set(
        Post.objects.filter(buffer_update_id__in=[u.id for u in candidates])
        .exclude(pk=post.pk)
        .values_list("buffer_update_id", flat=True)
    )
    return next((u for u in candidates if u.id not in owned), None)


def reconcile_post(*, post_id: int, claim_id: uuid.UUID) -> str:
    post = (
        Post.objects.select_related("social_account")
        .filter(pk=post_id, status=PostStatus.RECONCILING, claim_id=claim_id)
        .first()
    )
    if post is None:
        return "stale"
    if not PublishAttempt.objects.filter(post=post, claim_id=claim_id).exists():
        # The attempt row is written in the same transaction that checks the claim, before any call;
        # with the post out of `publishing`, none can be written any more: Buffer was never asked.
        return _resolve(post, claim_id, AttemptOutcome.RETRY, "The claim expired before Buffer was called.")
    now = timezone.now()
    try:
        backend, token = backend_for(post.social_account, priority=Priority.RECONCILE)
    except DomainError as exc:
        return _resolve(post, claim_id, AttemptOutcome.FAILED, f"Cannot check Buffer: {exc.message}")
    profile_id = post.social_account.buffer_profile_id
    since = (post.claimed_at or now) - dt.timedelta(seconds=settings.RECONCILE_MARGIN_SECONDS)
    try:
        updates = backend.list_sent(profile_id, since=since) + backend.list_pending(profile_id, since=since)
    except BufferAuthError as exc:
        _mark_account_failing(post.social_account_id, exc.message)
        return _resolve(post, claim_id, AttemptOutcome.FAILED, f"Cannot check Buffer: {exc.message}")
    except BufferBudgetExhausted as exc:  # reads only: nothing to undo, the check just waits for room
        log_budget_deferral(exc, token=token, what=f"reconcile: post {post.pk}")
        reason = f"this Buffer key's {exc.window} request budget has no room for reconciling"
        return _check_later(post, claim_id, exc.retry_at, reason, outcome="deferred")
    except BufferError as exc:
        delay = publish_retry_delay(post.attempts, retry_after=getattr(exc, "retry_after", None))
        later = now + dt.timedelta(seconds=delay)
        return _check_later(post, claim_id, later, exc.message)
    found = _find(post, updates)
    if found is not None and found.status == "sent":
        with transaction.atomic():
            if transitions.mark_published(
                post_id=post.pk,
                claim_id=claim_id,
                published_at=found.sent_at or now,
                service_link=found.service_link,
                buffer_update_id=found.id,
                handed_to_buffer_at=found.created_at or now,
                lateness_seconds=((found.sent_at or now) - post.due_time).total_seconds(),
            ):
                _record(post, claim_id, AttemptOutcome.PUBLISHED, "Found at Buffer (sent) by reconciliation.", found.id)
        return "found"
    if found is not None:
        with transaction.atomic():
            if transitions.found_at_buffer(
                post_id=post.pk, claim_id=claim_id, buffer_update_id=found.id, handed_at=now
            ):
                message = "Found at Buffer (pending; Buffer sends it) by reconciliation."
                _record(post, claim_id, AttemptOutcome.PUBLISHED, message, found.id)
        return "found_pending"
    if post.attempts >= settings.PUBLISH_RETRY_BUDGET:
        return _resolve(
            post, claim_id, AttemptOutcome.FAILED, f"Gave up after {post.attempts} attempts: not found at Buffer."
        )
    return _resolve(post, claim_id, AttemptOutcome.RETRY, "Not found at Buffer: safe to send again.")


def _resolve(post: Post, claim_id: uuid.UUID, outcome: str, message: str) -> str:
    with transaction.atomic():
        if outcome == AttemptOutcome.RETRY:
            moved = transitions.release_for_retry(
                post_id=post.pk, claim_id=claim_id, error=message, retry_at=timezone.now()
            )
        else:
            moved = transitions.mark_failed(post_id=post.pk, claim_id=claim_id, error=message)
        if moved:
            _record(post, claim_id, outcome, message)
    logger.info("reconcile: post %s -> %s: %s", post.pk, outcome, message)
    return "absent" if outcome == AttemptOutcome.RETRY else "failed"


def _check_later(
    post: Post, claim_id: uuid.UUID, when: dt.datetime, reason: str, *, outcome: str = "unreachable"
) -> str:
    Post.objects.filter(pk=post.pk, status=PostStatus.RECONCILING, claim_id=claim_id).update(
        retry_at=when,
        last_error=f"Could not check Buffer yet ({reason}); next check at {when:%H:%M:%S} UTC.",
        updated_at=timezone.now(),
    )
    return outcome


def _record(post: Post, claim_id: uuid.UUID, outcome: str, message: str, update_id: str = "") -> None:
    """The unknown attempt of this claim learns how it ended."""
    PublishAttempt.objects.filter(post=post, claim_id=claim_id).update(
        outcome=outcome, error=message, buffer_update_id=update_id, finished_at=timezone.now()
    )
