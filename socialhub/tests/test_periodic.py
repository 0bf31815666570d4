"""The periodic tasks: created idempotently in django-celery-beat, intervals from settings, edits kept."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

from kernel.periodic import PERIODIC_TASKS, ensure_periodic_tasks
from socialhub.celery import app

pytestmark = pytest.mark.django_db


def test_every_periodic_task_is_a_registered_celery_task():
    app.loader.import_default_modules()
    assert {spec.task for spec in PERIODIC_TASKS} <= set(app.tasks)


def test_created_once_with_intervals_from_settings_and_edits_are_kept(settings):
    settings.ENGINE_DISPATCH_INTERVAL = 7
    assert sorted(ensure_periodic_tasks()) == sorted(spec.name for spec in PERIODIC_TASKS)
    dispatch = PeriodicTask.objects.get(task="posts.tasks.dispatch_due_posts")
    assert (dispatch.interval.every, dispatch.interval.period) == (7, "seconds")
    assert PeriodicTask.objects.get(task="posts.tasks.recover_posts").interval.every == settings.ENGINE_SWEEP_INTERVAL

    dispatch.enabled = False  # an operator paused it in admin
    dispatch.save()
    call_command("ensure_periodic_tasks")
    assert ensure_periodic_tasks() == []
    assert PeriodicTask.objects.filter(task="posts.tasks.dispatch_due_posts").count() == 1
    assert not PeriodicTask.objects.get(task="posts.tasks.dispatch_due_posts").enabled


def test_an_item_that_raises_is_skipped_logged_without_its_message_and_counted(caplog):
    from kernel.periodic import run_isolated, skipped_last_run

    def handle(item):
        if item == 2:
            raise ValueError("token=secret-abc123 leaked in a message")

    report = run_isolated([1, 2, 3], handle, name="publisher.sync_comments")
    assert (report.done, report.skipped, report.out_of_time) == (2, [2], False)
    assert "skipped 2 after ValueError" in caplog.text and "secret-abc123" not in caplog.text
    assert skipped_last_run()["publisher.sync_comments"] == 1


def test_a_run_stops_when_its_budget_is_spent():
    from kernel.periodic import run_isolated

    seen = []
    report = run_isolated([1, 2], seen.append, name="publisher.sync_comments", budget_seconds=-1)
    assert (seen, report.out_of_time) == ([], True)
