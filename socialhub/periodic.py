"""The product's periodic tasks, created idempotently in django-celery-beat's tables.

They stay editable in admin (an operator may change an interval or disable one); running the
setup again re-creates missing ones and leaves edited ones alone.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicSpec:
    name: str
    task: str
    every_seconds: int
    description: str


PERIODIC_TASKS: list[PeriodicSpec] = [
    PeriodicSpec(
        name="Flush expired JWT blacklist rows",
        task="accounts.tasks.flush_expired_jwt_tokens",
        every_seconds=6 * 3600,
        description="Deletes outstanding/blacklisted refresh tokens that have expired anyway.",
    ),
]


def ensure_periodic_tasks(specs: list[PeriodicSpec] | None = None) -> list[str]:
    """Create missing periodic tasks; return the names of those created."""
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    created = []
    for spec in specs if specs is not None else PERIODIC_TASKS:
        schedule, _ = IntervalSchedule.objects.get_or_create(every=spec.every_seconds, period=IntervalSchedule.SECONDS)
        _, was_created = PeriodicTask.objects.get_or_create(
            name=spec.name,
            defaults={"task": spec.task, "interval": schedule, "description": spec.description},
        )
        if was_created:
            created.append(spec.name)
    return created
