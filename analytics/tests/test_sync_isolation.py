"""The periodic analytics pass starts each user's job on its own: one failing user never blocks the others."""

from __future__ import annotations

import pytest

from accounts.workspaces import workspace_personal_for
from analytics import services
from analytics.models import AnalyticsSyncJob
from analytics.tests.test_sync import _account, _sent_post
from kernel.periodic import skipped_last_run

pytestmark = pytest.mark.django_db


def test_one_workspaces_failure_is_skipped_and_counted(owner, outsider, sandbox, monkeypatch):
    _sent_post(_account(owner))
    _sent_post(_account(outsider, service="mastodon"))
    real = services.analytics_sync_start

    def start(*, workspace, actor):
        if workspace == workspace_personal_for(owner):
            raise RuntimeError("this workspace's job cannot be created")
        return real(workspace=workspace, actor=actor)

    monkeypatch.setattr(services, "analytics_sync_start", start)
    job_ids = services.analytics_sync_all_workspaces()
    assert [AnalyticsSyncJob.objects.get(pk=pk).workspace for pk in job_ids] == [workspace_personal_for(outsider)]
    assert skipped_last_run()["analytics.sync_all_workspaces"] == 1
