"""Posts import benchmark: a CSV of N rows through `POST /api/v1/posts/import`, dry run and real, then the
export of those posts imported again (idempotent: nothing created).

    .venv/bin/python bench/import_bench.py                 # 5,000 rows over 20 accounts and 5 campaigns
    .venv/bin/python bench/import_bench.py --rows 10000

Runs on a throw-away SQLite database in var/bench-import/ (DATABASE_URL & co. from the shell are ignored),
with every row answered inline (POSTS_IMPORT_SYNC_MAX_ROWS raised to N: the time a worker's job takes,
plus the request). Prints each step's time against the target: 5,000 rows under 30 s with the report.
The tests pin the behaviour; the time is measured here, because a timed assertion fails on a busy machine.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import time

from embedded import BASE_DIR, start_embedded_project

BENCH_DIR = BASE_DIR / "var" / "bench-import"
TARGET_SECONDS = 30.0
ACCOUNTS, CAMPAIGNS = 20, 5


def configure(rows: int) -> None:
    start_embedded_project(
        BENCH_DIR,
        POSTS_IMPORT_SYNC_MAX_ROWS=str(rows),
        POSTS_IMPORT_MAX_ROWS=str(max(rows, 10_000)),
    )


def posts_file(rows: int) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["account", "content", "scheduled_time", "timezone", "media_urls", "campaign"])
    start = dt.date(2030, 3, 1)  # local times (08:00-17:59, never in a DST gap), in each row's timezone
    for n in range(rows):
        minute = 8 * 60 + n % 600
        when = f"{start + dt.timedelta(days=n % 90)} {minute // 60:02d}:{minute % 60:02d}"
        media = f"https://cdn.example.com/{n}.jpg" if n % 3 == 0 else ""
        campaign = f"Campaign {n % CAMPAIGNS}" if n % 2 == 0 else ""
        zone = "America/New_York" if n % 4 == 0 else ""
        writer.writerow([f"@account{n % ACCOUNTS}", f"Bench post {n} #socialhub", when, zone, media, campaign])
    return out.getvalue().encode()


def timed(label: str, call):
    started = time.perf_counter()
    response = call()
    seconds = time.perf_counter() - started
    body = response.json() if response["Content-Type"].startswith("application/json") else None
    return response, body, seconds, label


def run(rows: int) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from rest_framework.test import APIClient

    from accounts.auth import RefreshToken
    from accounts.models import Membership, Role, SocialAccount, User, Workspace
    from campaigns.models import Campaign
    from posts.models import Post

    owner = User.objects.create_user(username="bench-owner", timezone="Europe/Berlin")
    workspace = Workspace.objects.create(name="Bench team")
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    for n in range(ACCOUNTS):
        SocialAccount.objects.create(owner=owner, workspace=workspace, platform="twitter", account_name=f"@account{n}")
    for n in range(CAMPAIGNS):
        Campaign.objects.create(owner=owner, workspace=workspace, name=f"Campaign {n}")
    client = APIClient()
    client.credentials(
        HTTP_AUTHORIZATION=f"Bearer {RefreshToken.for_user(owner).access_token}", HTTP_X_WORKSPACE=str(workspace.pk)
    )
    data = posts_file(rows)

    def send(content: bytes, **fields):
        upload = SimpleUploadedFile("bench.csv", content)
        return lambda: client.post("/api/v1/posts/import", {"file": upload, **fields}, format="multipart", secure=True)

    results = [
        timed("dry run", send(data, dry_run="true")),
        timed("import", send(data)),
    ]
    started = time.perf_counter()
    response = client.get("/api/v1/posts/export", secure=True)
    exported = b"".join(getattr(response, "streaming_content", [])) if response.streaming else response.content
    export_seconds = time.perf_counter() - started
    results.append(timed("re-import of the export", send(exported)))
    print(f"{rows} rows, {len(data) / 1024:.0f} KiB; {Post.objects.count()} posts at the end")
    for index, (response, body, seconds, label) in enumerate(results):
        if index == 2:
            print(f"{'export (streamed)':>24}: {export_seconds:6.2f} s — {len(exported) / 1024:.0f} KiB")
        summary = f"{response.status_code}"
        if body is not None:
            summary += f", created {body.get('created_count')}, exists {body.get('existing_count')}"
            summary += f", invalid {body.get('invalid_count')}, report of {len(body['report']['rows'])} rows"
        verdict = f" (target < {TARGET_SECONDS:.0f} s: {'ok' if seconds < TARGET_SECONDS else 'OVER'})"
        print(f"{label:>24}: {seconds:6.2f} s — {summary}{verdict}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()
    configure(args.rows)
    run(args.rows)


if __name__ == "__main__":
    main()
