"""The periodic analytics pass starts each user's job on its own: one failing user never blocks the others."""

from __future__ import annotations

import pytest

from analytics import services
from analytics.models import AnalyticsSyncJob
from analytics.tests.test_sync import _account, _sent_post
from kernel.periodic import skipped_last_run

pytestmark = pytest.mark.django_db


def test_one_users_failure_is_skipped_and_counted(owner, outsider, sandbox, monkeypatch):
    _sent_post(_account(owner))
    _sent_post(_account(outsider, service="mastodon"))
    real = services.analytics_sync_start

    def start(*, user):
        if user == owner:
            raise RuntimeError("this user's job cannot be created")
        return real(user=user)

    monkeypatch.setattr(services, "analytics_sync_start", start)
    job_ids = services.analytics_sync_all_users()
    assert [AnalyticsSyncJob.objects.get(pk=pk).owner for pk in job_ids] == [outsider]
    assert skipped_last_run()["analytics.sync_all_users"] == 1
