"""A large import on a real Celery worker: the request answers 202, the worker checks and imports the file."""

from __future__ import annotations

import pytest

from posts.models import Post, PostImportJob
from posts.tests.csv_helpers import csv_file, upload
from socialhub.tests.celery_workers import wait_until

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_a_worker_imports_a_large_file(celery_workers, api, account, settings):
    settings.POSTS_IMPORT_SYNC_MAX_ROWS = 5
    worker = celery_workers.start(concurrency=1)
    response = upload(api, csv_file([["@brand", f"Post {n}", f"2030-02-01T10:{n:02d}"] for n in range(20)]))
    assert response.status_code == 202

    def finished():
        return api.get(response.json()["url"]).json()["status"] in ("succeeded", "invalid", "failed")

    wait_until(finished, timeout=60, message=celery_workers.logs)
    job = api.get(response.json()["url"]).json()
    assert (job["status"], job["created_count"], job["progress"]) == ("succeeded", 20, 100), job
    assert Post.objects.count() == 20 and PostImportJob.objects.get().file_data == b""
    assert "Task posts.tasks.run_post_import[" in worker.log(200)  # it ran there, not eagerly here
