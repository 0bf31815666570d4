"""Shared by the import/export tests: uploading a file to `POST /api/v1/posts/import`, building files."""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile

IMPORT = "/api/v1/posts/import"
EXPORT = "/api/v1/posts/export"
NOW = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC)


def csv_file(rows: list[list[str]], *, header: list[str] | None = None, delimiter: str = ",") -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header or ["account", "content", "scheduled_time"])
    writer.writerows(rows)
    return out.getvalue()


def upload(client, content: str | bytes, *, name: str = "posts.csv", **fields):
    data = content.encode() if isinstance(content, str) else content
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data), **fields}, format="multipart")


def report_rows(response) -> dict[int, dict]:
    body = response.json()
    job = body.get("job", body)
    return {row["row"]: row for row in job["report"]["rows"]}


def parse_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
