"""Posts as CSV, in exactly the columns import reads, so an export imports back to the same posts.

Times are written with their UTC offset (in the exporter's timezone); accounts and campaigns by name
(with the account's network) so the file imports into another workspace too, or by id where the name
is ambiguous. Every cell that a spreadsheet would run as a formula gets a leading "'"
(`columns.escape_cell`), which import takes off again.
"""

from __future__ import annotations

import csv
import json
import zoneinfo
from collections.abc import Iterator

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Workspace
from posts.csv_io import columns as col
from posts.csv_io.resolving import Directory
from posts.models import ImportedPost, Post, PostStatus

BOM = "\ufeff"  # Excel reads UTF-8 only with it; import takes it off


class _Line:
    """csv.writer's file: hands back each line it is given, for streaming."""

    def write(self, line: str) -> str:
        return line


def export_row(post: Post, *, directory: Directory, tz: zoneinfo.ZoneInfo) -> dict[str, str]:
    account, platform = directory.account_label(post.social_account_id)
    record: ImportedPost | None = getattr(post, "import_record", None)
    time = post.scheduled_time
    return {
        col.EXTERNAL_ID: record.external_id if record is not None else "",
        col.ACCOUNT: account,
        col.PLATFORM: platform,
        col.CONTENT: post.content,
        col.SCHEDULED_TIME: timezone.localtime(time, tz).isoformat() if time else "",
        col.TIMEZONE: "",  # the time carries its offset
        # What the post would be created as: import makes drafts and scheduled posts only.
        col.STATUS: PostStatus.DRAFT if post.status == PostStatus.DRAFT or time is None else PostStatus.SCHEDULED,
        col.MEDIA_URLS: col.join_media_urls(list(post.media_urls)),
        col.CAMPAIGN: directory.campaign_label(post.campaign_id),
        col.NETWORK_OPTIONS: json.dumps(post.network_options, ensure_ascii=False) if post.network_options else "",
    }


def export_lines(*, workspace: Workspace, posts: QuerySet[Post], tz: zoneinfo.ZoneInfo) -> Iterator[str]:
    """The CSV, line by line: a header, then one row per post (read in chunks, never all at once)."""
    directory = Directory.of(workspace)
    writer = csv.writer(_Line())
    yield BOM + writer.writerow(col.COLUMNS)
    chosen = posts.select_related(None).select_related("import_record")
    for post in chosen.iterator(chunk_size=1000):
        row = export_row(post, directory=directory, tz=tz)
        yield writer.writerow([col.escape_cell(row[column]) for column in col.COLUMNS])
