"""In a real Chromium: upload an image in the composer (file input → XHR with progress), see its thumbnail,
schedule the post with it; upload a video in chunks on the library page and see it in the grid."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.tests.factories import SocialAccountFactory
from media_library.models import MediaItem
from media_library.tests import files
from posts.models import Post
from socialhub.tests.browser import BROWSER_MARKS, next_month_day, screenshot

pytestmark = [*BROWSER_MARKS, pytest.mark.django_db(transaction=True)]


def test_upload_in_the_composer_and_schedule_with_it(page, live_server, owner, settings):
    settings.SITE_URL = live_server.url
    SocialAccountFactory(owner=owner, platform="twitter", account_name="@brand")
    day = next_month_day(12)

    page.goto(f"{live_server.url}/posts/new/")
    page.get_by_label("@brand (X / Twitter)").check()
    page.get_by_label("Content").fill("Our new shop window")
    page.locator("#media-file").set_input_files(
        files=[{"name": "window.png", "mimeType": "image/png", "buffer": files.png(320, 240)}]
    )
    page.locator("#media-chosen img").wait_for()
    page.locator("#media-progress", has_text="window.png: uploaded.").wait_for()
    item = MediaItem.objects.get(name="window.png")
    assert page.locator("[name=media_ids]").input_value() == str(item.pk)
    page.get_by_label("Date and time").fill(f"{day}T09:30")
    screenshot(page, "composer_media.png")
    page.get_by_role("button", name="Schedule", exact=True).click()
    page.wait_for_load_state()
    errors = page.locator(".errorlist, .form-errors, .message-error").all_inner_texts()
    assert errors == [], errors
    page.wait_for_url(f"{live_server.url}/posts/*/")

    post = Post.objects.get(content="Our new shop window")
    assert list(post.media_items.all()) == [item]
    assert post.scheduled_time == dt.datetime.combine(day, dt.time(9, 30), tzinfo=owner.tzinfo)


def test_a_large_file_goes_up_in_chunks_on_the_library_page(page, live_server, owner, settings):
    settings.SITE_URL = live_server.url
    settings.MEDIA_MAX_UPLOAD_BYTES = 100 * 1024  # so this 300 kB video takes the chunked path
    settings.MEDIA_CHUNK_BYTES = 64 * 1024
    page.get_by_role("link", name="Media").click()
    page.wait_for_url(f"{live_server.url}/library/")
    page.locator("#media-file").set_input_files(
        files=[
            {"name": "launch.mp4", "mimeType": "video/mp4", "buffer": files.mp4(seconds=42, data=300_000)},
            {"name": "team.jpg", "mimeType": "image/jpeg", "buffer": files.jpeg(400, 300, orientation=6, gps=True)},
        ]
    )
    page.locator(".media-card").nth(1).wait_for()  # the page reloads once both are up
    video = MediaItem.objects.get(name="launch.mp4")
    assert (video.kind, video.duration_seconds) == ("video", 42)
    assert page.locator(f'.media-card[data-media-id="{video.pk}"]', has_text="42 s").count() == 1
    screenshot(page, "media_library.png")
