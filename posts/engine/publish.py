"""Publish one claimed post through Buffer: the service behind the `publish_post` task.

Exactly-once over an outside API is impossible; what we guarantee is that Buffer is asked at most
once per claim, and that every outcome is known or found out before anything is resent:

- The task carries (post_id, claim_id). It acts only while the post is `publishing` under that
  claim, and records a PublishAttempt (unique per claim) *before* calling Buffer: a redelivered or
  duplicate task finds the attempt and does nothing, so a claim never reaches Buffer twice.
- Buffer accepted → `published`. A transient failure (Buffer unreachable, 503, 429) → back to
  `scheduled` with `retry_at` (exponential backoff, full jitter, Retry-After honoured) until
  PUBLISH_RETRY_BUDGET attempts are spent → `failed`. Refused (content, token) → `failed` at once;
  a rejected token also marks the account's connection as failing.
- The write may have landed (timeout after sending, 5xx on the write, soft time limit during the
  call) → `reconciling`: `posts.engine.reconcile` asks Buffer before any resend.
- Held (inactive account, paused campaign) → back to `scheduled` untried, no attempt spent.
- Out of the key's request budget (`buffer_integration.budget`, counted inside the Buffer seam for every
  request, at priority PUBLISH, the highest: lower priorities leave it a reserve) → the seam refuses
  the call *before sending it* (BufferBudgetExhausted). The claim goes back untried: the post is
  `scheduled` again with `retry_at` = when the window has room, its attempt is withdrawn and not
  counted, and the deferral is logged once per key and window, not once per post.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import uuid

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from accounts import audit
from accounts.models import ConnectionStatus, SocialAccount
from buffer_integration.backends.base import UpdateDraft
from buffer_integration.budget import Priority
from buffer_integration.exceptions import (
    BufferAuthError,
    BufferBudgetExhausted,
    BufferError,
    BufferOutcomeUnknown,
    BufferUnavailable,
)
from kernel.errors import DomainError
from kernel.http_retry import FULL_JITTER, RetryAfter, exponential, retry_delay
from posts import transitions
from posts.engine.buffer_calls import backend_for, budget_message, log_budget_deferral
from posts.engine.dispatch import hold_reason_for, record_cleared
from posts.models import AttemptOutcome, Post, PostStatus, PublishAttempt
from posts.scheduling import _draft

logger = logging.getLogger("socialhub.engine")


def publish_retry_delay(attempts: int, *, retry_after: float | None = None) -> float:
    """Full jitter: uniform(0, min(max, base * 2**(attempts-1))); never sooner than Buffer's Retry-After."""
    return retry_delay(
        attempts,
        schedule=exponential(base=settings.PUBLISH_RETRY_BASE_SECONDS, maximum=settings.PUBLISH_RETRY_MAX_SECONDS),
        jitter=FULL_JITTER,
        retry_after=retry_after,
        retry_after_rule=RetryAfter.AT_LEAST,
    )


def draft_now(post: Post) -> UpdateDraft:
    draft = _draft(post=post, content=post.content, media_urls=post.media_urls, scheduled_time=None)
    return dataclasses.replace(draft, now=True)


def late_by(post: Post) -> float | None:
    """Seconds the post was found due after its time, when LATE_POST_POLICY=fail refuses it; else None."""
    if settings.LATE_POST_POLICY != "fail" or post.attempts or post.claimed_at is None:
        return None  # retries are late because of Buffer, not because we were down
    lateness = (post.claimed_at - post.due_time).total_seconds()
    return lateness if lateness > settings.LATE_POST_THRESHOLD_SECONDS else None


def publish_claimed_post(*, post_id: int, claim_id: uuid.UUID) -> str:
    """Returns what happened (an AttemptOutcome value, or stale/held/deferred/late) for logs and tests."""
    outcome = _publish(post_id, claim_id)
    if outcome != "stale":  # a stale delivery let go of nothing: another one holds (or held) the claim
        record_cleared()
    return outcome


def _publish(post_id: int, claim_id: uuid.UUID) -> str:
    post = (
        Post.objects.select_related("social_account", "campaign")
        .filter(pk=post_id, status=PostStatus.PUBLISHING, claim_id=claim_id)
        .first()
    )
    if post is None:
        return "stale"  # redelivered or duplicate task: the post moved on under another claim or status
    now = timezone.now()
    hold = hold_reason_for(post)
    if hold:
        transitions.defer(post_id=post.pk, claim_id=claim_id, hold_reason=hold)
        return "held"
    lateness = late_by(post)
    if lateness is not None:
        transitions.mark_failed(
            post_id=post.pk,
            claim_id=claim_id,
            lateness_seconds=lateness,
            error=f"Not published: found due {lateness:.0f} s after its scheduled time (LATE_POST_POLICY=fail, "
            f"threshold {settings.LATE_POST_THRESHOLD_SECONDS} s). Reschedule it to publish it.",
        )
        return "late"
    try:
        # We own the retry policy (durably, in the database): the client must not resend on its own.
        backend, token = backend_for(post.social_account, priority=Priority.PUBLISH, max_retries=0)
    except DomainError as exc:
        return _fail_untried(post, claim_id, exc.message)
    if not post.social_account.buffer_profile_id:
        return _fail_untried(post, claim_id, "The account has no buffer_profile_id: connect it to a Buffer profile.")
    attempt = _start_attempt(post, claim_id, now)
    if attempt is None:
        return "stale"
    try:
        update = backend.create_update(draft_now(post))
    except BufferBudgetExhausted as exc:  # refused before sending: Buffer never saw this call
        return _defer_for_budget(post, attempt, exc, token=token)
    except (BufferOutcomeUnknown, SoftTimeLimitExceeded) as exc:
        message = exc.message if isinstance(exc, BufferError) else "The publish task ran out of time during the call"
        return _finish(post, attempt, AttemptOutcome.UNKNOWN, message)
    except BufferUnavailable as exc:  # unreachable, 503, 429: Buffer did not apply it
        return _finish(post, attempt, AttemptOutcome.RETRY, exc.message, retry_after=exc.retry_after)
    except BufferError as exc:  # refused: content, profile or token
        if isinstance(exc, BufferAuthError):
            _mark_account_failing(post.social_account_id, exc.message)
        return _finish(post, attempt, AttemptOutcome.FAILED, exc.message)
    return _finish(post, attempt, AttemptOutcome.PUBLISHED, update_id=update.id, service_link=update.service_link)


def _start_attempt(post: Post, claim_id: uuid.UUID, now: dt.datetime) -> PublishAttempt | None:
    """Count and record the attempt iff the claim is still ours and was never started before."""
    try:
        with transaction.atomic():
            counted = Post.objects.filter(pk=post.pk, status=PostStatus.PUBLISHING, claim_id=claim_id).update(
                attempts=post.attempts + 1, updated_at=now
            )
            if not counted:
                return None
            attempt = PublishAttempt.objects.create(
                post=post, claim_id=claim_id, number=post.attempts + 1, started_at=now
            )
    except IntegrityError:
        # Another delivery of this task started the claim (and may be calling Buffer, or died doing
        # so): never call twice. If it died, the sweeper moves the post to reconciling.
        logger.warning("publish: claim %s of post %s was already started; skipping", claim_id, post.pk)
        return None
    post.attempts += 1
    return attempt


def _finish(
    post: Post,
    attempt: PublishAttempt,
    outcome: str,
    error: str = "",
    *,
    update_id: str = "",
    service_link: str = "",
    retry_after: float | None = None,
) -> str:
    """Record the attempt's outcome and move the post, in one transaction."""
    now = timezone.now()
    claim_id = attempt.claim_id
    budget = settings.PUBLISH_RETRY_BUDGET
    if outcome == AttemptOutcome.RETRY and post.attempts >= budget:
        outcome, error = AttemptOutcome.FAILED, f"Gave up after {post.attempts} attempts: {error}"
    with transaction.atomic():
        if outcome == AttemptOutcome.PUBLISHED:
            transitions.mark_published(
                post_id=post.pk,
                claim_id=claim_id,
                published_at=now,
                service_link=service_link,
                buffer_update_id=update_id,
                handed_to_buffer_at=now,
                lateness_seconds=(now - post.due_time).total_seconds(),
            )
        elif outcome == AttemptOutcome.RETRY:
            delay = publish_retry_delay(post.attempts, retry_after=retry_after)
            error = f"Attempt {post.attempts} of {budget} failed, retrying in {delay:.0f} s: {error}"
            transitions.release_for_retry(
                post_id=post.pk, claim_id=claim_id, error=error, retry_at=now + dt.timedelta(seconds=delay)
            )
        elif outcome == AttemptOutcome.UNKNOWN:
            error = f"Buffer may or may not have this post ({error}); checking Buffer before any retry."
            check_after = now + dt.timedelta(seconds=settings.RECONCILE_GRACE_SECONDS)
            transitions.mark_reconciling(post_id=post.pk, claim_id=claim_id, error=error, check_after=check_after)
        else:
            transitions.mark_failed(post_id=post.pk, claim_id=claim_id, error=error)
        PublishAttempt.objects.filter(pk=attempt.pk).update(
            finished_at=now, outcome=outcome, error=error, buffer_update_id=update_id
        )
    logger.info("publish: post %s attempt %s -> %s %s", post.pk, attempt.number, outcome, error)
    return outcome


def _defer_for_budget(post: Post, attempt: PublishAttempt, exc: BufferBudgetExhausted, *, token: str) -> str:
    """The claim goes back untried: scheduled again at `retry_at`, and the attempt is withdrawn.

    Withdrawing is safe because the budget refuses a request before sending it, and a publish sends
    one request, the write, once (max_retries=0): a refusal means Buffer never saw this post. Once the
    post has left this claim, no delivery of the claim can start again.
    """
    message = budget_message(exc)
    with transaction.atomic():
        if transitions.defer(post_id=post.pk, claim_id=attempt.claim_id, retry_at=exc.retry_at):
            PublishAttempt.objects.filter(pk=attempt.pk).delete()
            Post.objects.filter(pk=post.pk).update(attempts=F("attempts") - 1, last_error=message)
        else:  # the claim moved on meanwhile: the attempt stays on record, finished, as it sent nothing
            PublishAttempt.objects.filter(pk=attempt.pk).update(
                finished_at=timezone.now(), outcome=AttemptOutcome.RETRY, error=message
            )
    log_budget_deferral(exc, token=token, what=f"publish: post {post.pk}")
    return "deferred"


def _fail_untried(post: Post, claim_id: uuid.UUID, error: str) -> str:
    transitions.mark_failed(post_id=post.pk, claim_id=claim_id, error=error)
    return AttemptOutcome.FAILED


def _mark_account_failing(account_id: int, message: str) -> None:
    audit.record_update(
        SocialAccount.objects.filter(pk=account_id),
        connection_status=ConnectionStatus.ERROR,
        last_error=f"Buffer rejected the token while publishing: {message}",
        last_checked_at=timezone.now(),
        updated_at=timezone.now(),
    )
