"""End to end in headless Chromium: the composer's Repeat option previews the next occurrences (with the DST
note of the spring-forward day), makes the series, and the post page shows it and ends it."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from posts.models import Post, PostSeries
from socialhub.tests.browser import BROWSER_MARKS, screenshot

pytestmark = BROWSER_MARKS


def spring_forward_day(year: int) -> dt.date:
    """Europe/Berlin's: the last Sunday of March."""
    last = dt.date(year, 3, 31)
    return last - dt.timedelta(days=(last.weekday() + 1) % 7)


def test_repeat_preview_make_the_series_and_end_it(page, live_server, owner):
    SocialAccountFactory(owner=owner, platform="twitter", account_name="@brand", profile_timezone="Europe/Berlin")
    day = spring_forward_day(timezone.localdate().year + 1)
    page.goto(f"{live_server.url}/posts/new/")
    page.get_by_label("@brand (X / Twitter)").check()
    page.get_by_label("Content").fill("Daily tip #socialhub")
    page.get_by_label("Date and time").fill(f"{day - dt.timedelta(days=1)}T02:30")
    page.get_by_label("Repeat").select_option(label="Custom rule (RFC 5545)")
    page.get_by_label("Custom rule").fill("FREQ=DAILY;COUNT=5")
    preview = page.locator("#repeat-occurrences li")
    preview.nth(4).wait_for()
    assert "(clocks go forward): moved to 03:00." in preview.nth(1).inner_text()
    screenshot(page, "composer-repeat.png")

    page.get_by_role("button", name="Schedule", exact=True).click()
    first = Post.objects.order_by("scheduled_time").first()
    page.wait_for_url(f"{live_server.url}/posts/{first.pk}/")
    series = page.locator("#series")
    assert "FREQ=DAILY;COUNT=5" in series.inner_text()
    assert "moved to 03:00" in series.inner_text()
    screenshot(page, "post-series.png")

    page.get_by_role("button", name="End series").click()
    page.wait_for_url(f"{live_server.url}/")
    assert not Post.objects.exists() and PostSeries.objects.get().ended_at is not None
