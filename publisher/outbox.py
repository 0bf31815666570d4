"""Callback delivery: an outbox of signed requests, sent strictly in order per post and stream.

`enqueue_callback` appends a row inside the transaction that makes the change it reports. The
sender sends only the oldest pending row of each (post, stream); retries live in the row
(`next_attempt_at`), never in long Celery countdowns, so a restart loses nothing. A row is
claimed with a compare-and-set on `next_attempt_at` (a lease), so two senders never send it at
once. Delivery is at-least-once; the `webhook-id` is the same on every try for de-duplication.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, F, Max, OuterRef
from django.utils import timezone

from kernel.http_retry import RetryAfter, retry_delay, stepped
from kernel.periodic import LoopReport, record_skips, run_isolated
from publisher.models import CallbackAttempt, CallbackDelivery, CallbackState, PublisherPost
from publisher.webhook_client import send_signed

logger = logging.getLogger("publisher.callbacks")
LOOP = "publisher.send_callbacks"

# Seconds to wait after the 1st, 2nd, ... failed attempt: 8 attempts over about 27 hours.
RETRY_DELAYS = (5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 10 * 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
JITTER = 0.1  # ±10 %, so receivers that failed together are not retried together
LEASE = timedelta(seconds=60)  # longer than one attempt (15 s timeout) can take
MAX_ROUNDS = 20
SEND_BUDGET_SECONDS = 60.0


def enqueue_callback(
    *, publisher_post: PublisherPost, stream: str, event: str, method: str, url: str, payload: dict
) -> CallbackDelivery:
    """Append a row after the stream's last one; call inside the transaction of the change it reports."""
    last = CallbackDelivery.objects.filter(publisher_post=publisher_post, stream=stream).aggregate(n=Max("sequence"))
    return CallbackDelivery.objects.create(
        owner_id=publisher_post.owner_id,
        workspace_id=publisher_post.workspace_id,
        publisher_post=publisher_post,
        stream=stream,
        sequence=(last["n"] or 0) + 1,
        event=event,
        method=method,
        url=url,
        webhook_id="msg_" + secrets.token_urlsafe(18),
        body=json.dumps(payload, separators=(",", ":"), ensure_ascii=False),
        next_attempt_at=timezone.now(),
    )


def callback_retry_delay(failed_attempts: int, retry_after: float | None = None) -> timedelta:
    """The wait before the next attempt: the receiver's Retry-After when it sent one, else the schedule."""
    seconds = retry_delay(
        failed_attempts,
        schedule=stepped(RETRY_DELAYS),
        jitter=(1 - JITTER, 1 + JITTER),
        retry_after=retry_after,
        retry_after_rule=RetryAfter.EXACTLY,
    )
    return timedelta(seconds=seconds)


def due_heads(now: datetime, limit: int = 100):
    """The oldest pending row of each (post, stream), if it is due."""
    earlier = CallbackDelivery.objects.filter(
        publisher_post=OuterRef("publisher_post"),
        stream=OuterRef("stream"),
        state=CallbackState.PENDING,
        sequence__lt=OuterRef("sequence"),
    )
    return (
        CallbackDelivery.objects.filter(state=CallbackState.PENDING, next_attempt_at__lte=now)
        .exclude(Exists(earlier))
        .order_by("next_attempt_at", "id")[:limit]
    )


def _claim(callback: CallbackDelivery, now: datetime) -> bool:
    return (
        CallbackDelivery.objects.filter(
            pk=callback.pk, state=CallbackState.PENDING, next_attempt_at=callback.next_attempt_at
        ).update(next_attempt_at=now + LEASE)
        == 1
    )


def attempt_callback(callback: CallbackDelivery, *, is_replay: bool = False) -> CallbackAttempt:
    """Send once, log the attempt and record the outcome (delivered, retry at, or gave up)."""
    started = timezone.now()
    outcome = send_signed(callback, at=started)
    finished = timezone.now()
    fields: dict = {
        "attempts": F("attempts") + 1,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
        "updated_at": finished,
    }
    number = callback.attempts + 1
    if outcome.ok:
        fields.update(state=CallbackState.DELIVERED, delivered_at=finished, next_attempt_at=None)
    elif not is_replay:
        if number >= MAX_ATTEMPTS:
            fields.update(state=CallbackState.FAILED, next_attempt_at=None)
            logger.warning("callback %s gave up after %s attempts: %s", callback.pk, number, outcome.summary)
        else:
            fields["next_attempt_at"] = finished + callback_retry_delay(number, outcome.retry_after)
    with transaction.atomic():
        attempt = CallbackAttempt.objects.create(
            callback=callback,
            number=number,
            is_replay=is_replay,
            started_at=started,
            duration_ms=int((finished - started).total_seconds() * 1000),
            status_code=outcome.status_code,
            error=outcome.error,
            response_excerpt=outcome.excerpt,
        )
        CallbackDelivery.objects.filter(pk=callback.pk).update(**fields)
    callback.refresh_from_db()
    return attempt


def send_due_callbacks(*, limit: int = 100, budget_seconds: float = SEND_BUDGET_SECONDS) -> int:
    """Send due heads, each claimed just before it is sent; after a success the stream's next row is
    due at once, so loop a few rounds. Stops after `budget_seconds`, well inside the task time limit
    (one slow receiver may take the whole timeout); the next run goes on where this one stopped."""
    started, sent, run = time.monotonic(), 0, LoopReport(LOOP)

    def send(callback: CallbackDelivery) -> None:
        nonlocal sent
        if _claim(callback, timezone.now()):
            attempt_callback(callback)
            sent += 1

    for _ in range(MAX_ROUNDS):
        before = sent
        report = run_isolated(
            list(due_heads(timezone.now(), limit)),
            send,
            name=LOOP,
            # A row that cannot be sent at all (e.g. its secret no longer decrypts) waits out its lease.
            on_error=_record_send_problem,
            budget_seconds=budget_seconds - (time.monotonic() - started),
            atomic=False,  # never hold a transaction open while a receiver answers
            record=False,
        )
        run.skipped += report.skipped
        if report.out_of_time or sent == before:
            break
    record_skips(run)
    return sent


def _record_send_problem(callback_id: int, exc: BaseException) -> None:
    CallbackDelivery.objects.filter(pk=callback_id).update(
        last_error=f"Not sent: internal error ({type(exc).__name__}); retried after {LEASE.seconds} s.",
        updated_at=timezone.now(),
    )


def callback_replay(*, callback: CallbackDelivery) -> CallbackAttempt:
    """Send a row again now, whatever its state; a successful replay marks it delivered."""
    return attempt_callback(callback, is_replay=True)
