"""An upload, as a `PostImportJob`: run inline when small, by a Celery worker (with progress) when large.

Every upload is kept as a job (file, report, counts), so the page's "Import" after a dry run imports
exactly the file that was checked, and `GET /api/v1/posts/imports/{id}` shows any of them.
"""

from __future__ import annotations

import logging
import zoneinfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User, Workspace
from kernel.errors import InvalidInput, ServiceError
from posts.csv_io.importing import ERROR, EXISTS, ImportReport, import_rows, timezone_or_error
from posts.csv_io.reading import SourceRow, read_posts_file
from posts.models import ImportJobStatus, PostImportJob

logger = logging.getLogger("socialhub.posts.import")


def import_timezone(*, name: str, actor: User) -> zoneinfo.ZoneInfo:
    """The file's timezone: the one named, else the uploader's (as the API reads a time without offset)."""
    if not name:
        return actor.tzinfo
    tz, why = timezone_or_error(name)
    if tz is None:
        raise InvalidInput.from_errors({"timezone": [why]})
    return tz


def import_start(
    *,
    workspace: Workspace,
    actor: User,
    data: bytes,
    filename: str,
    dry_run: bool,
    timezone_name: str = "",
    needs_approval: bool = False,
) -> PostImportJob:
    """Read the file (InvalidInput when it cannot be read: no job then) and check or import it.

    Up to `POSTS_IMPORT_SYNC_MAX_ROWS` rows the job has finished when this returns; above, it is
    pending and a worker runs it once this transaction commits."""
    import_timezone(name=timezone_name, actor=actor)
    rows = read_posts_file(data=data, filename=filename)
    job = PostImportJob.objects.create(
        workspace=workspace,
        owner=actor,
        filename=filename[:255],
        file_data=data,
        timezone=timezone_name,
        dry_run=dry_run,
        needs_approval=needs_approval,
        total_rows=len(rows),
    )
    return _run_or_enqueue(job, rows)


def import_after_dry_run(*, job: PostImportJob, actor: User, needs_approval: bool = False) -> PostImportJob:
    """The real import of a dry run's file (the page's "Import" button), as a new job."""
    if not job.dry_run or not job.file_data:
        raise InvalidInput.from_errors({"job": ["Only a dry run's file can be imported again: upload it."]})
    return import_start(
        workspace=job.workspace,
        actor=actor,
        data=bytes(job.file_data),
        filename=job.filename,
        dry_run=False,
        timezone_name=job.timezone,
        needs_approval=needs_approval,
    )


def _run_or_enqueue(job: PostImportJob, rows: list[SourceRow]) -> PostImportJob:
    if len(rows) <= settings.POSTS_IMPORT_SYNC_MAX_ROWS:
        job.status, job.started_at = ImportJobStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at", "updated_at"])
        _run(job, rows, inline=True)
        return job
    from posts.tasks import run_post_import

    transaction.on_commit(lambda: run_post_import.delay(job.pk))
    return job


def import_job_run(*, job_id: int) -> None:
    """The worker's side: claim the pending job (a second delivery finds it claimed and does nothing)."""
    claimed = PostImportJob.objects.filter(pk=job_id, status=ImportJobStatus.PENDING).update(
        status=ImportJobStatus.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = PostImportJob.objects.select_related("workspace", "owner").get(pk=job_id)
    try:
        rows = read_posts_file(data=bytes(job.file_data), filename=job.filename)
    except ServiceError as exc:
        _finish(job, status=ImportJobStatus.FAILED, error=exc.detail)
        return
    _run(job, rows)


def _run(job: PostImportJob, rows: list[SourceRow], *, inline: bool = False) -> None:
    """`inline` (in the request): a service error is recorded on the job and raised for the caller's answer."""

    def progress(done: int) -> None:
        PostImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    try:
        report = import_rows(
            workspace=job.workspace,
            actor=job.owner,
            rows=rows,
            tz=import_timezone(name=job.timezone, actor=job.owner),
            dry_run=job.dry_run,
            needs_approval=job.needs_approval,
            job=job,
            progress=progress,
        )
    except ServiceError as exc:
        _finish(job, status=ImportJobStatus.FAILED, error=exc.detail)
        if inline:
            raise
        return
    except Exception:
        logger.exception("post import %s failed", job.pk)
        _finish(job, status=ImportJobStatus.FAILED, error="The import failed unexpectedly; nothing was written.")
        raise
    _finish(job, status=ImportJobStatus.SUCCEEDED if report.valid else ImportJobStatus.INVALID, report=report)


def _finish(job: PostImportJob, *, status: str, error: str = "", report: ImportReport | None = None) -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.processed_rows = job.total_rows
    fields = ["status", "error", "finished_at", "processed_rows", "updated_at"]
    if report is not None:
        job.report = report.as_dict()
        job.created_count = report.created
        job.existing_count = report.count(EXISTS)
        job.invalid_count = report.count(ERROR)
        fields += ["report", "created_count", "existing_count", "invalid_count"]
    if not job.dry_run and status == ImportJobStatus.SUCCEEDED:
        job.file_data = b""  # imported: the posts are the record now
        fields.append("file_data")
    job.save(update_fields=fields)
