"""The worker harness itself: a real worker shares the test database and the broker, and dies on kill()."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from socialhub.tests.celery_workers import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_worker_runs_tasks_against_the_test_database(celery_workers, owner):
    from accounts.tasks import flush_expired_jwt_tokens

    expired = timezone.now() - dt.timedelta(days=1)
    OutstandingToken.objects.create(user=owner, jti="old", token="x", created_at=expired, expires_at=expired)
    worker = celery_workers.start(concurrency=1)

    flush_expired_jwt_tokens.delay()
    wait_until(lambda: not OutstandingToken.objects.exists(), timeout=30, message=celery_workers.logs)

    assert "Task accounts.tasks.flush_expired_jwt_tokens[" in worker.log(200)  # it ran there, not eagerly here
    celery_workers.kill(worker)
    assert not worker.alive
