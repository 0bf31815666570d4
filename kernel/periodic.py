"""The product's periodic tasks, created idempotently in django-celery-beat's tables, and the rule
every periodic loop follows: each item on its own.

They stay editable in admin (an operator may change an interval or disable one); running the
setup again re-creates missing ones and leaves edited ones alone.

`run_isolated` runs a loop's items one at a time: an item that raises is skipped, logged (its
exception class and id only: messages may carry data or secrets) and counted, and never stops the
batch; the loop stops when its time budget is spent and the next run goes on. `load_isolated`
reads rows the same way: one query normally, row by row when a stored value cannot be read, so one
unreadable row (a date out of range, broken JSON) is skipped instead of hiding every other row.
The skips of each loop's last run are kept in the cache for /api/v1/health.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, models, transaction
from django.db.models import QuerySet

logger = logging.getLogger("socialhub.periodic")
T = TypeVar("T")
M = TypeVar("M", bound=models.Model)
# What reading a stored value can raise: the database (PostgreSQL's loaders) or Django's converters.
UNREADABLE = (DatabaseError, ValueError, TypeError, OverflowError, AttributeError)
SKIPPED_KEY = "periodic:skipped:{}"
# Well inside CELERY_TASK_TIME_LIMIT (default 120 s): a run that reaches it stops and leaves the rest.
DEFAULT_BUDGET_SECONDS = 60.0


@dataclass
class LoopReport:
    name: str
    done: int = 0
    skipped: list[Any] = field(default_factory=list)
    out_of_time: bool = False


def _skip(
    report: LoopReport, item_id: Any, exc: BaseException, on_error: Callable[[Any, BaseException], None] | None
) -> None:
    report.skipped.append(item_id)
    logger.error("%s: skipped %s after %s", report.name, item_id, type(exc).__name__)
    if on_error is not None:
        try:
            on_error(item_id, exc)
        except Exception as again:  # recording the problem must not stop the loop either
            logger.error("%s: could not record the problem of %s: %s", report.name, item_id, type(again).__name__)


def run_isolated(
    items: Iterable[T],
    handle: Callable[[T], Any],
    *,
    name: str,
    item_id: Callable[[T], Any] = lambda item: getattr(item, "pk", item),
    on_error: Callable[[Any, BaseException], None] | None = None,
    budget_seconds: float = DEFAULT_BUDGET_SECONDS,
    atomic: bool = True,
    already_skipped: Iterable[Any] = (),
    record: bool = True,
) -> LoopReport:
    """`handle(item)` for each item, each isolated from the others (see the module docstring).

    `atomic` wraps each item in a savepoint, so a database error rolls back that item only; loops
    that wait on the network pass False and keep their own transactions short. `already_skipped`:
    ids `load_isolated` could not read, counted with this run's skips. `record=False`: the caller
    runs several batches and records their skips together.
    """
    report, started = LoopReport(name, skipped=list(already_skipped)), time.monotonic()
    for item in items:
        if time.monotonic() - started > budget_seconds:
            report.out_of_time = True
            logger.warning("%s: time budget of %.0f s spent; the next run goes on", name, budget_seconds)
            break
        try:
            if atomic:
                with transaction.atomic():
                    handle(item)
            else:
                handle(item)
            report.done += 1
        except Exception as exc:
            _skip(report, item_id(item), exc, on_error)
    if record:
        record_skips(report)
    return report


def load_isolated(
    queryset: QuerySet[M],
    pks: list[int],
    *,
    name: str,
    on_error: Callable[[Any, BaseException], None] | None = None,
) -> tuple[list[M], list[int]]:
    """(rows of `queryset` with these pks in their order, pks whose row cannot be read)."""
    try:
        with transaction.atomic():
            by_pk = {row.pk: row for row in queryset.filter(pk__in=pks)}
        return [by_pk[pk] for pk in pks if pk in by_pk], []
    except UNREADABLE:
        pass
    rows: list[M] = []
    unreadable: list[int] = []
    report = LoopReport(name)
    for pk in pks:
        try:
            with transaction.atomic():
                rows.extend(queryset.filter(pk=pk))
        except UNREADABLE as exc:
            unreadable.append(pk)
            _skip(report, pk, exc, on_error)
    return rows, unreadable


def record_skips(report: LoopReport) -> None:
    cache.set(SKIPPED_KEY.format(report.name), len(report.skipped), timeout=None)


def skipped_last_run() -> dict[str, int]:
    """For /health: how many items each loop skipped in its last run (loops that never ran: absent)."""
    found = cache.get_many([SKIPPED_KEY.format(name) for name in LOOP_NAMES])
    return {name: found[SKIPPED_KEY.format(name)] for name in LOOP_NAMES if SKIPPED_KEY.format(name) in found}


LOOP_NAMES = (
    "publisher.process_stragglers",
    "publisher.refresh_statuses",
    "publisher.send_callbacks",
    "publisher.sync_comments",
    "posts.status_sync",
    "posts.sweep_stale_claims",
    "posts.queue_reconciliations",
    "posts.extend_series",
    "analytics.sync_all_workspaces",
)


@dataclass(frozen=True)
class PeriodicSpec:
    name: str
    task: str
    every_seconds: int | str  # seconds, or the name of the setting that holds them
    description: str

    def interval(self) -> int:
        if isinstance(self.every_seconds, str):
            return int(getattr(settings, self.every_seconds))
        return self.every_seconds


PERIODIC_TASKS: list[PeriodicSpec] = [
    PeriodicSpec(
        name="Flush expired JWT blacklist rows",
        task="accounts.tasks.flush_expired_jwt_tokens",
        every_seconds=6 * 3600,
        description="Deletes outstanding/blacklisted refresh tokens that have expired anyway.",
    ),
    PeriodicSpec(
        name="Publishing: dispatch due posts",
        task="posts.tasks.dispatch_due_posts",
        every_seconds="ENGINE_DISPATCH_INTERVAL",
        description="Claims due scheduled posts (scheduled -> publishing) and queues one publish task per post. "
        "Also the beat heartbeat reported by /api/v1/health.",
    ),
    PeriodicSpec(
        name="Publishing: recover stuck posts and reconcile unknown outcomes",
        task="posts.tasks.recover_posts",
        every_seconds="ENGINE_SWEEP_INTERVAL",
        description="Moves claims of dead workers (publishing too long) to reconciling, and asks Buffer about "
        "reconciling posts: found -> published, absent -> scheduled for a retry.",
    ),
    PeriodicSpec(
        name="Publishing: sync Buffer status of handed-over posts",
        task="posts.tasks.sync_buffer_statuses",
        every_seconds="ENGINE_STATUS_SYNC_INTERVAL",
        description="Posts handed to Buffer's queue become published (published_at, service_link) once Buffer "
        "has sent them.",
    ),
    PeriodicSpec(
        name="Recurring posts: extend the window",
        task="posts.tasks.extend_recurring_posts",
        every_seconds="RECURRENCE_EXTEND_INTERVAL",
        description="Materialises each open series' occurrences as ordinary scheduled posts up to "
        "RECURRENCE_WINDOW_DAYS ahead (never in the past: missed ones are not made up as a burst).",
    ),
    PeriodicSpec(
        name="Analytics: sync statistics of sent updates",
        task="analytics.tasks.sync_analytics_for_all_users",
        every_seconds="ENGINE_ANALYTICS_SYNC_INTERVAL",
        description="One analytics sync job per user with posts Buffer has sent (snapshots).",
    ),
    PeriodicSpec(
        name="Publisher: derive post statuses",
        task="publisher.tasks.refresh_publisher_statuses",
        every_seconds="PUBLISHER_STATUS_INTERVAL",
        description="Recomputes each unsettled publisher post's status from its deliveries' Posts and queues "
        "a status callback on every change; processes posts whose processing task was lost.",
    ),
    PeriodicSpec(
        name="Publisher: send due callbacks",
        task="publisher.tasks.send_callbacks",
        every_seconds="PUBLISHER_CALLBACK_INTERVAL",
        description="Sends the oldest pending callback of each post and stream (signed, in order) and "
        "schedules retries of failed ones.",
    ),
    PeriodicSpec(
        name="Publisher: sync comments",
        task="publisher.tasks.sync_publisher_comments",
        every_seconds="PUBLISHER_COMMENT_SYNC_INTERVAL",
        description="Diffs Buffer comments on published deliveries with those reported and queues "
        "POST/PUT/DELETE comment callbacks.",
    ),
    PeriodicSpec(
        name="Media: remove expired chunked uploads",
        task="media_library.tasks.purge_expired_uploads",
        every_seconds=3600,
        description="Deletes chunked uploads not completed within MEDIA_UPLOAD_EXPIRY_SECONDS, with their bytes.",
    ),
]


def ensure_periodic_tasks(specs: list[PeriodicSpec] | None = None) -> list[str]:
    """Create missing periodic tasks; return the names of those created."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    created = []
    for spec in specs if specs is not None else PERIODIC_TASKS:
        schedule, _ = IntervalSchedule.objects.get_or_create(every=spec.interval(), period=IntervalSchedule.SECONDS)
        _, was_created = PeriodicTask.objects.get_or_create(
            name=spec.name,
            defaults={"task": spec.task, "interval": schedule, "description": spec.description},
        )
        if was_created:
            created.append(spec.name)
    return created
