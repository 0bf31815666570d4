"""The publishing engine's Celery tasks: thin wrappers that take ids and call a service.

Retry policy: none in Celery. A transient Buffer failure is rescheduled in the database
(`retry_at`, see posts.engine.publish), so a retry survives restarts and never rides on a broker
countdown (Redis would redeliver a long one after its visibility timeout). A task that dies
leaves its claim behind, and the sweeper (`recover_posts`) picks it up.

Every task is safe to run twice: publish and reconcile act only under the claim they carry, and
the periodic ones claim their work with conditional updates.
"""

from __future__ import annotations

import uuid

from celery import shared_task

from posts import recurrence
from posts.engine import dispatch as engine
from posts.engine import publish as publishing
from posts.engine import reconcile
from posts.engine import status_sync as buffer_status


@shared_task(ignore_result=True)
def dispatch_due_posts() -> int:
    return engine.dispatch_due_posts()


@shared_task(ignore_result=True)
def publish_post(post_id: int, claim_id: str) -> str:
    return publishing.publish_claimed_post(post_id=post_id, claim_id=uuid.UUID(claim_id))


@shared_task(ignore_result=True)
def recover_posts() -> int:
    """Sweeper: dead workers' claims → reconciling, unstarted ones sent again; then due reconciliations."""
    reconcile.sweep_stale_claims()
    reconcile.requeue_unstarted_claims()
    return reconcile.queue_due_reconciliations()


@shared_task(ignore_result=True)
def reconcile_post(post_id: int, claim_id: str) -> str:
    return reconcile.reconcile_post(post_id=post_id, claim_id=uuid.UUID(claim_id))


@shared_task(ignore_result=True)
def sync_buffer_statuses() -> int:
    return buffer_status.sync_handed_over_posts()


@shared_task(ignore_result=True)
def run_post_import(job_id: int) -> None:
    """A large posts file (posts.csv_io.jobs): no retry, the job records how it ended."""
    from posts.csv_io.jobs import import_job_run

    import_job_run(job_id=job_id)


@shared_task(ignore_result=True)
def extend_recurring_posts() -> int:
    """Materialise recurring posts' occurrences up to RECURRENCE_WINDOW_DAYS ahead (posts.recurrence)."""
    return recurrence.series_extend_all().done
