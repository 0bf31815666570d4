"""The Import page: upload (always a dry run), the report table, "Import", progress; the list's Export CSV link."""

from __future__ import annotations

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from posts.models import Post, PostImportJob
from posts.tests.csv_helpers import NOW, csv_file, parse_csv
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def send(web, text: str, **fields):
    return web.post("/posts/import/", {"file": SimpleUploadedFile("plan.csv", text.encode()), **fields})


def test_upload_shows_the_report_then_import_creates_the_posts(web, account):
    text = csv_file([["@brand", "One", "2026-02-01 10:00"], ["@brand", "Two", "2026-02-01 11:00"]])
    response = send(web, text)
    assert response.status_code == 302
    job = PostImportJob.objects.get()
    assert response["Location"] == f"/posts/imports/{job.pk}/" and job.dry_run
    page = web.get(response["Location"]).content.decode()
    assert "Check of plan.csv" in page and 'id="import-ok">2<' in page
    assert "Import 2 posts" in page
    assert not Post.objects.exists()

    imported = web.post(f"/posts/imports/{job.pk}/run/")
    assert imported.status_code == 302
    page = web.get(imported["Location"]).content.decode()
    assert 'id="import-created">2<' in page and "See the posts" in page
    assert Post.objects.count() == 2


def test_the_report_table_names_row_column_and_error(web, account):
    response = send(web, csv_file([["@brand", "Fine", ""], ["nobody", "Who?", ""], ["@brand", "", ""]]))
    page = web.get(response["Location"]).content.decode()
    assert '<table class="stack" aria-label="Problems by row">' in page
    assert '<td data-label="Row">3</td><td data-label="Column"><code>account</code></td>' in page
    assert "This workspace has no social account &#x27;nobody&#x27;" in page
    assert '<td data-label="Row">4</td><td data-label="Column"><code>content</code></td>' in page
    assert "Import 1 post" not in page  # invalid rows: fix the file first


def test_an_unreadable_file_is_shown_on_the_form(web, account):
    response = send(web, "content\nx\n")
    assert response.status_code == 400
    assert "Missing column(s): account." in response.content.decode()


def test_a_large_file_shows_progress_while_it_runs(web, account, settings, django_capture_on_commit_callbacks):
    settings.POSTS_IMPORT_SYNC_MAX_ROWS = 1
    with django_capture_on_commit_callbacks(execute=False):
        response = send(web, csv_file([["@brand", f"P{n}", ""] for n in range(3)]))
    page = web.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in page and "Checking rows: 0 of 3" in page


def test_posts_list_links_to_import_and_to_an_export_with_its_filters(web, account):
    page = web.get("/posts/", {"status": "draft", "q": "hi"}).content.decode()
    assert 'href="/posts/import/"' in page
    assert 'href="/posts/export.csv?status=draft&amp;q=hi"' in page


def test_the_pages_export_takes_the_filters(web, account):
    PostFactory(social_account=account, content="hi there", status="draft", scheduled_time=None)
    PostFactory(social_account=account, content="scheduled one")
    response = web.get("/posts/export.csv", {"status": "draft"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert [row["content"] for row in parse_csv(response.content.decode())] == ["hi there"]


def test_a_file_over_the_limit_is_refused_on_the_form(web, account, settings):
    settings.POSTS_IMPORT_MAX_BYTES = 1024
    response = send(web, csv_file([["@brand", "x" * 200, ""] for _ in range(10)]))
    assert response.status_code == 400
    assert "The file is larger than 1024 bytes." in response.content.decode()
    assert not PostImportJob.objects.exists()
