"""Import posts from rows: each row checked exactly as `POST /api/v1/posts` checks a body, then all or nothing.

A row becomes an API body (its account and campaign resolved by name or id, `posts.csv_io.resolving`),
which goes through the API's `PostSerializer` (the row's timezone active, so a local time reads as the
API reads one) and then the create rules and the day-capacity rule (`posts.services.posts_check`).
So the report shows the API's own 400 messages, by row and column.

Idempotent: a row's import key is its `external_id`, or else a hash of its account, time and content.
A row whose key was imported before, or (without an external_id) that matches a post already in the
workspace with the same account, time and content, "exists" and is skipped; `ImportedPost` keeps the
keys, unique per workspace.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework import serializers

from accounts.models import User, Workspace, validate_timezone
from kernel.errors import Conflict
from posts import services
from posts.csv_io import columns as col
from posts.csv_io import queueing
from posts.csv_io.reading import SourceRow
from posts.csv_io.resolving import Directory
from posts.models import ImportedPost, Post, PostImportJob
from posts.serializers import PostSerializer

OK, EXISTS, ERROR = "ok", "exists", "error"
Progress = Callable[[int], None]  # rows checked so far
PROGRESS_EVERY = 250
_LOOKUP_CHUNK = 500  # ids or times per IN (...) query


@dataclass
class RowResult:
    row: int
    status: str = OK
    errors: list[dict[str, str]] = field(default_factory=list)
    post_id: int | None = None

    def add(self, column: str, message: str) -> None:
        self.status = ERROR
        self.errors.append({"column": column, "message": message})

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"row": self.row, "status": self.status}
        if self.errors:
            data["errors"] = self.errors
        if self.post_id is not None:
            data["post_id"] = self.post_id
        return data


@dataclass
class ImportReport:
    dry_run: bool
    rows: list[RowResult]
    created: int = 0

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)

    @property
    def valid(self) -> bool:
        return not any(row.status == ERROR for row in self.rows)

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "total": len(self.rows),
            "ok": self.count(OK),
            "exists": self.count(EXISTS),
            "invalid": self.count(ERROR),
            "created": self.created,
            "rows": [row.as_dict() for row in self.rows],
        }


@dataclass
class _Candidate:
    """A row that read as a valid API body: what `posts_check` gets, and its import key."""

    result: RowResult
    item: dict[str, Any]
    key: str
    external_id: str
    natural_key: str | None  # account, UTC time and content: also matched against posts already there
    queued: bool


def timezone_or_error(name: str) -> tuple[zoneinfo.ZoneInfo | None, str]:
    try:
        validate_timezone(name)
    except DjangoValidationError as exc:
        return None, " ".join(exc.messages)
    return zoneinfo.ZoneInfo(name), ""


def import_rows(
    *,
    workspace: Workspace,
    actor: User,
    rows: Sequence[SourceRow],
    tz: zoneinfo.ZoneInfo,
    dry_run: bool,
    needs_approval: bool = False,
    job: PostImportJob | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every row; unless `dry_run`, create the posts of a fully valid file in one transaction.

    `tz`: the timezone of rows without a `timezone` cell and of local times. Invalid rows make a real
    run write nothing (the report says why, `valid` is False); a row that exists is skipped either way.
    """
    directory = Directory.of(workspace)
    checker = PostSerializer()  # the API's own serializer, its fields built once for every row
    results: list[RowResult] = []
    candidates: list[_Candidate] = []
    for done, row in enumerate(rows, start=1):
        result = RowResult(row=row.number)
        results.append(result)
        candidate = _candidate(row=row, result=result, directory=directory, checker=checker, tz=tz)
        if candidate is not None:
            candidates.append(candidate)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    candidates = _drop_repeats(candidates)
    fresh = _drop_existing(workspace=workspace, candidates=candidates)
    posts, rule_errors = services.posts_check(
        workspace=workspace, actor=actor, items=[c.item for c in fresh], needs_approval=needs_approval
    )
    for index, errors in rule_errors.items():
        _add_api_errors(fresh[index].result, errors)
    report = ImportReport(dry_run=dry_run, rows=results)
    if progress is not None:
        progress(len(rows))
    if dry_run or not report.valid or not fresh:
        return report
    _write(workspace=workspace, actor=actor, candidates=fresh, posts=posts, job=job)
    report.created = len(fresh)
    return report


def _candidate(
    *, row: SourceRow, result: RowResult, directory: Directory, checker: PostSerializer, tz: zoneinfo.ZoneInfo
) -> _Candidate | None:
    """The row as a validated API body (None when it is not one: its errors are on `result`)."""
    for problem in row.problems:
        result.add("", problem)
    body = _body(row.cells, result=result, directory=directory)
    row_tz = _row_timezone(row.cells, result=result, default=tz)
    queued = row.cells.get(col.SCHEDULED_TIME, "").casefold() == col.QUEUE
    try:
        with timezone.override(row_tz):  # a time without offset is local to the row's timezone, as in the API
            item = checker.run_validation(body)
    except serializers.ValidationError as exc:
        detail = exc.detail if isinstance(exc.detail, dict) else {"": exc.detail}
        if "social_account_id" not in body:
            detail.pop("social_account_id", None)  # already said in the row's own words
        _add_api_errors(result, detail)
        return None
    if result.status == ERROR:
        return None
    if queued:
        for problem in queueing.queue_row_problems(directory.account_ids.get(item["social_account_id"])):
            result.add(col.SCHEDULED_TIME, problem)
        if result.status == ERROR:
            return None
        item = {**item, **queueing.as_draft()}
    external_id = row.cells.get(col.EXTERNAL_ID, "")
    natural = _natural_key(item["social_account_id"], item.get("scheduled_time"), item["content"], queued=queued)
    return _Candidate(
        result=result,
        item=item,
        key=_digest(f"external:{external_id}") if external_id else natural,
        external_id=external_id,
        natural_key=None if external_id or queued else natural,
        queued=queued,
    )


def _body(cells: dict[str, str], *, result: RowResult, directory: Directory) -> dict[str, Any]:
    """The `POST /posts` body a row stands for; what cannot be resolved is an error on its column."""
    body: dict[str, Any] = {"content": cells.get(col.CONTENT, "")}
    platform = cells.get(col.PLATFORM, "").lower()
    if platform:
        body["platform"] = platform
    account_id, why = directory.account(cells.get(col.ACCOUNT, ""), platform=platform)
    if account_id is None:
        result.add(col.ACCOUNT, why if cells.get(col.ACCOUNT) else "Name the social account (its id or name).")
    else:
        body["social_account_id"] = account_id
    if cells.get(col.CAMPAIGN):
        campaign_id, why = directory.campaign(cells[col.CAMPAIGN])
        if campaign_id is None:
            result.add(col.CAMPAIGN, why)
        else:
            body["campaign_id"] = campaign_id
    time_text = cells.get(col.SCHEDULED_TIME, "")
    if time_text and time_text.casefold() != col.QUEUE:
        body["scheduled_time"] = time_text
    if cells.get(col.STATUS):
        body["status"] = cells[col.STATUS].lower()
    if cells.get(col.MEDIA_URLS):
        body["media_urls"] = col.split_media_urls(cells[col.MEDIA_URLS])
    if cells.get(col.NETWORK_OPTIONS):
        try:
            body["network_options"] = json.loads(cells[col.NETWORK_OPTIONS])
        except ValueError:
            result.add(col.NETWORK_OPTIONS, 'Not JSON: write an object, e.g. {"type": "reel"}.')
    return body


def _row_timezone(cells: dict[str, str], *, result: RowResult, default: zoneinfo.ZoneInfo) -> zoneinfo.ZoneInfo:
    if not cells.get(col.TIMEZONE):
        return default
    named, why = timezone_or_error(cells[col.TIMEZONE])
    if named is None:
        result.add(col.TIMEZONE, why)
        return default
    return named


def _natural_key(account_id: int, scheduled_time: dt.datetime | None, content: str, *, queued: bool = False) -> str:
    when = "queue" if queued else scheduled_time.astimezone(dt.UTC).isoformat() if scheduled_time else ""
    return _digest(json.dumps([account_id, when, content]))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _add_api_errors(result: RowResult, errors: Any, column: str = "") -> None:
    """The API's error tree under the row's columns: `social_account_id` → account, options per key."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = col.COLUMN_OF_FIELD.get(str(key), column or str(key))
            if column == col.NETWORK_OPTIONS:  # {"network_options": {"board_id": [...]}}
                _add_api_errors(result, [f"{key}: {message}" for message in _messages(value)], column)
            else:
                _add_api_errors(result, value, name if key not in ("non_field_errors", "") else column)
        return
    for message in _messages(errors):
        result.add(column, message)


def _messages(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [message for item in value for message in _messages(item)]
    if isinstance(value, dict):
        return [f"{key}: {message}" for key, item in value.items() for message in _messages(item)]
    return [str(value)]


def _drop_repeats(candidates: list[_Candidate]) -> list[_Candidate]:
    first: dict[str, int] = {}
    kept = []
    for candidate in candidates:
        if candidate.key in first:
            what = "external_id" if candidate.external_id else "account, time and content"
            candidate.result.add(
                col.EXTERNAL_ID if candidate.external_id else col.CONTENT,
                f"Repeats row {first[candidate.key]} (the same {what}): one post per row.",
            )
            continue
        first[candidate.key] = candidate.result.row
        kept.append(candidate)
    return kept


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), _LOOKUP_CHUNK):
        yield values[start : start + _LOOKUP_CHUNK]


def _drop_existing(*, workspace: Workspace, candidates: list[_Candidate]) -> list[_Candidate]:
    """Mark rows already imported (by key) or already there (same account, time, content) as existing."""
    keys = [c.key for c in candidates]
    known: set[str] = set()
    for chunk in _chunks(keys):
        known.update(ImportedPost.objects.filter(workspace=workspace, key__in=chunk).values_list("key", flat=True))
    times = sorted({c.item["scheduled_time"] for c in candidates if c.natural_key and c.item.get("scheduled_time")})
    for chunk in _chunks(times):
        present = Post.objects.filter(workspace=workspace, scheduled_time__in=chunk)
        fields = present.values_list("social_account_id", "scheduled_time", "content")
        known.update(_natural_key(account, time, text) for account, time, text in fields)
    if any(c.natural_key and not c.item.get("scheduled_time") for c in candidates):
        drafts = Post.objects.filter(workspace=workspace, scheduled_time__isnull=True)
        known.update(_natural_key(a, None, text) for a, text in drafts.values_list("social_account_id", "content"))
    fresh = []
    for candidate in candidates:
        if candidate.key in known or (candidate.natural_key is not None and candidate.natural_key in known):
            candidate.result.status = EXISTS
        else:
            fresh.append(candidate)
    return fresh


def _write(
    *,
    workspace: Workspace,
    actor: User,
    candidates: list[_Candidate],
    posts: list[Post],
    job: PostImportJob | None,
) -> None:
    try:
        with transaction.atomic():
            created = services.posts_insert(posts=posts)
            ImportedPost.objects.bulk_create(
                ImportedPost(workspace=workspace, post=post, key=c.key, external_id=c.external_id, job=job)
                for c, post in zip(candidates, created, strict=True)
            )
            queueing.queue_imported(
                posts=[post for c, post in zip(candidates, created, strict=True) if c.queued], actor=actor
            )
    except IntegrityError:
        # Only the unique key can fail here: the same rows were imported meanwhile (a second upload).
        raise Conflict("Another import of these rows ran at the same time; nothing was written. Try again.") from None
    for candidate, post in zip(candidates, created, strict=True):
        candidate.result.post_id = post.pk
