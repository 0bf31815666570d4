"""Large imports run as a background job (Celery, eager in tests): 202, progress, the report at the job's URL."""

from __future__ import annotations

import pytest
import time_machine

from posts.csv_io import importing, jobs
from posts.csv_io.reading import read_posts_file
from posts.models import ImportJobStatus, Post, PostImportJob
from posts.tests.csv_helpers import NOW, csv_file, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def small_sync_limit(settings):
    settings.POSTS_IMPORT_SYNC_MAX_ROWS = 3


def rows(count: int, *, broken: int | None = None) -> str:
    return csv_file([["@brand", "" if n == broken else f"Post {n}", f"2026-02-01T10:{n:02d}"] for n in range(count)])


def test_a_large_file_answers_202_and_the_job_shows_progress_then_the_report(
    api, account, small_sync_limit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = upload(api, rows(8))
    assert response.status_code == 202
    body = response.json()
    assert response["Location"] == body["url"] == f"http://testserver/api/v1/posts/imports/{body['id']}"
    assert (body["status"], body["total_rows"], body["progress"]) == ("pending", 8, 0)
    assert not Post.objects.exists()

    pending = api.get(body["url"])
    assert pending.status_code == 200 and pending.json()["status"] == "pending"

    for callback in callbacks:  # the commit: the worker (eager here) runs the job
        callback()
    done = api.get(body["url"]).json()
    assert (done["status"], done["progress"], done["processed_rows"], done["created_count"]) == ("succeeded", 100, 8, 8)
    assert done["report"]["created"] == 8 and len(done["report"]["rows"]) == 8
    assert Post.objects.count() == 8
    assert PostImportJob.objects.get().file_data == b""  # imported: the file is not kept


def test_a_background_run_with_an_invalid_row_writes_nothing(
    api, account, small_sync_limit, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(api, rows(6, broken=4))
    job = api.get(response.json()["url"]).json()
    assert job["status"] == "invalid" and job["invalid_count"] == 1
    assert response.status_code == 202 and response.json()["report"] == {}  # no report until it has run
    assert {row["row"]: row["status"] for row in job["report"]["rows"]}[6] == "error"
    assert not Post.objects.exists()


def test_progress_is_reported_as_rows_are_checked(owner, account, monkeypatch):
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    seen: list[int] = []
    importing.import_rows(
        workspace=account.workspace,
        actor=owner,
        rows=read_posts_file(data=rows(5).encode(), filename="p.csv"),
        tz=owner.tzinfo,
        dry_run=True,
        progress=seen.append,
    )
    assert seen == [2, 4, 5]


def test_the_job_records_progress_while_it_runs(owner, account, monkeypatch):
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 2)
    job = PostImportJob.objects.create(
        workspace=account.workspace, owner=owner, filename="p.csv", file_data=rows(5).encode(), total_rows=5
    )
    seen: list[tuple[str, int]] = []
    real_check = importing.services.posts_check

    def spy(**kwargs):  # between checking the rows and writing: what a poller would read now
        job_now = PostImportJob.objects.get(pk=job.pk)
        seen.append((job_now.status, job_now.processed_rows))
        return real_check(**kwargs)

    monkeypatch.setattr(importing.services, "posts_check", spy)
    jobs.import_job_run(job_id=job.pk)
    assert seen == [("running", 4)]
    job.refresh_from_db()
    assert (job.status, job.processed_rows, job.progress, job.created_count) == ("succeeded", 5, 100, 5)
    assert job.started_at is not None and job.finished_at is not None


def test_a_second_delivery_of_the_task_does_nothing(owner, account):
    job = PostImportJob.objects.create(
        workspace=account.workspace, owner=owner, filename="p.csv", file_data=rows(2).encode(), total_rows=2
    )
    jobs.import_job_run(job_id=job.pk)
    jobs.import_job_run(job_id=job.pk)
    assert Post.objects.count() == 2


def test_an_unreadable_stored_file_fails_the_job(owner, account):
    job = PostImportJob.objects.create(
        workspace=account.workspace, owner=owner, filename="p.csv", file_data=b"content\nx\n", total_rows=1
    )
    jobs.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportJobStatus.FAILED and job.error == "file: Missing column(s): account."


def test_another_workspaces_job_is_404(outsider_api, api, account):
    response = upload(api, rows(1), dry_run="true")
    assert outsider_api.get(response.json()["url"]).json() == {"detail": "Not found."}
