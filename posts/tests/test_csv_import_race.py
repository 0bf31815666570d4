"""Two uploads of one file at the same moment (PostgreSQL): the import keys' unique constraint lets one win."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kernel.errors import Conflict
from posts.csv_io import importing, jobs
from posts.models import ImportedPost, Post
from posts.tests.csv_helpers import csv_file


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")
@pytest.mark.django_db(transaction=True)
def test_two_uploads_racing_create_each_post_once(owner, account, monkeypatch):
    data = csv_file([["@brand", f"Post {n}", f"2030-02-01T10:{n:02d}"] for n in range(10)]).encode()
    barrier = threading.Barrier(2, timeout=30)
    real_write = importing._write

    def write_after_both_checked(**kwargs):  # both have found no key before either writes
        barrier.wait()
        real_write(**kwargs)

    monkeypatch.setattr(importing, "_write", write_after_both_checked)
    outcomes: list[str] = []

    def upload() -> None:
        try:
            jobs.import_start(workspace=account.workspace, actor=owner, data=data, filename="p.csv", dry_run=False)
            outcomes.append("created")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=upload) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "created"]
    assert Post.objects.count() == 10 and ImportedPost.objects.count() == 10
