"""The product's periodic tasks, created idempotently in django-celery-beat's tables.

They stay editable in admin (an operator may change an interval or disable one); running the
setup again re-creates missing ones and leaves edited ones alone.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


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
