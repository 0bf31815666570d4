"""End to end in headless Chromium: from the posts list to Import, a dry-run report with a bad row, then a
clean file imported for real; the list's Export CSV link carries its filters."""

from __future__ import annotations

from accounts.tests.factories import SocialAccountFactory
from posts.models import Post
from posts.tests.csv_helpers import csv_file
from socialhub.tests.browser import BROWSER_MARKS, screenshot

pytestmark = BROWSER_MARKS


def _choose(page, name: str, text: str) -> None:
    page.get_by_label("CSV or XLSX file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )


def test_import_report_then_import_then_export_link(page, live_server, owner):
    SocialAccountFactory(owner=owner, platform="twitter", account_name="@brand")
    page.goto(f"{live_server.url}/posts/")
    page.get_by_role("link", name="Import").click()

    _choose(page, "bad.csv", csv_file([["@brand", "Fine", "2030-05-01 09:00"], ["@nobody", "Who?", ""]]))
    page.get_by_role("button", name="Check the file").click()
    table = page.get_by_role("table", name="Problems by row")
    row = table.get_by_role("row").nth(1)
    assert row.inner_text().split("\t")[:2] == ["3", "account"]
    assert "no social account '@nobody'" in row.inner_text()
    assert page.get_by_role("button", name="Import 1 post").count() == 0
    screenshot(page, "import-report.png")

    page.get_by_role("link", name="Import another file").click()
    _choose(page, "good.csv", csv_file([["@brand", "One", "2030-05-01 09:00"], ["@brand", "Two", "2030-05-02 09:00"]]))
    page.get_by_label("Timezone of times without offset").fill("America/New_York")
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("button", name="Import 2 posts").click()
    assert page.locator("#import-created").inner_text() == "2"
    assert sorted(Post.objects.values_list("content", flat=True)) == ["One", "Two"]
    assert Post.objects.get(content="One").scheduled_time.isoformat() == "2030-05-01T13:00:00+00:00"

    page.get_by_role("link", name="See the posts").click()
    page.get_by_label("Text").fill("One")
    page.get_by_role("button", name="Apply filters").click()
    assert page.get_by_role("link", name="Export CSV").get_attribute("href") == "/posts/export.csv?q=One"
