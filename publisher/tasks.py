"""Thin Celery tasks: take ids, call a service. Retries of callbacks live in the outbox rows, not here."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from kernel.periodic import run_isolated
from publisher import comments, outbox, services, status
from publisher.models import PublisherPost

# A QUEUED post is normally processed right after commit; one still unprocessed after this long
# lost its task (a worker died) and the periodic refresh processes it.
STRAGGLER_SECONDS = 30
# Together well inside the task time limit (CELERY_TASK_TIME_LIMIT, 120 s by default).
STRAGGLER_BUDGET_SECONDS = 20.0
REFRESH_BUDGET_SECONDS = 40.0


@shared_task(ignore_result=True)
def process_publisher_post(publisher_post_id: int) -> None:
    services.publisher_post_process(publisher_post_id=publisher_post_id)
    send_callbacks.delay()


@shared_task(ignore_result=True)
def refresh_publisher_statuses() -> None:
    """Beat, every few seconds: process stragglers, then derive statuses from the deliveries' Posts."""
    cutoff = timezone.now() - timedelta(seconds=STRAGGLER_SECONDS)
    stragglers = PublisherPost.objects.not_quarantined().filter(processed_at__isnull=True, created_at__lt=cutoff)
    run_isolated(
        list(stragglers.values_list("pk", flat=True)[:100]),
        lambda pk: services.publisher_post_process(publisher_post_id=pk),
        name="publisher.process_stragglers",
        on_error=status.record_task_problem,
        budget_seconds=STRAGGLER_BUDGET_SECONDS,
    )
    if status.refresh_unsettled(budget_seconds=REFRESH_BUDGET_SECONDS):
        send_callbacks.delay()


@shared_task(ignore_result=True)
def send_callbacks() -> None:
    """Beat, every few seconds, and right after anything queues a callback."""
    outbox.send_due_callbacks()


@shared_task(ignore_result=True)
def sync_publisher_comments() -> None:
    if comments.sync_all_comments():
        send_callbacks.delay()
