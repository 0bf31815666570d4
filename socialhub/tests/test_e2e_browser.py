"""End to end in a real headless Chromium (Debian's /usr/bin/chromium driven by Playwright) against a live server.

Log in, write a post in the composer, find it on the calendar, drag it to another day and see the
new time stored; reschedule from the keyboard dialog; open a campaign's analytics. Screenshots of
the calendar and the composer are written to test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from analytics.tests.factories import PostAnalyticsFactory
from buffer_integration.counting import weighted_length
from campaigns.tests.factories import CampaignFactory
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory
from socialhub.tests.browser import BROWSER_MARKS, next_month_day, png, screenshot

pytestmark = BROWSER_MARKS


def test_compose_find_on_calendar_drag_to_another_day(page, live_server, owner):
    account = SocialAccountFactory(owner=owner, platform="twitter", account_name="@brand")
    SocialAccountFactory(owner=owner, platform="bluesky", account_name="brand.bsky.social")
    day = next_month_day(10)
    published = PostFactory(
        social_account=account,
        status=PostStatus.PUBLISHED,
        content="Already out",
        scheduled_time=dt.datetime.combine(day, dt.time(8), tzinfo=owner.tzinfo),
    )

    page.get_by_role("link", name="+ New post").click()
    page.get_by_label("@brand (X / Twitter)").check()
    page.get_by_label("brand.bsky.social (Bluesky)").check()
    text = "Spring launch 🚀 read more at https://example.com/a/very/long/path/to/the/announcement?utm=1"
    page.get_by_label("Content").fill(text)
    counters = page.locator("#counters .counter")
    assert counters.nth(0).get_attribute("data-length") == str(weighted_length(text, "twitter"))
    assert counters.nth(1).get_attribute("data-length") == str(weighted_length(text, "bluesky"))
    # The browser asks the CDN for the thumbnail; Playwright answers for it (the tests run offline).
    page.route("https://cdn.example/**", lambda route: route.fulfill(body=png(96, 96), content_type="image/png"))
    page.get_by_label("Media URLs").fill("https://cdn.example/spring.png")
    page.locator("#thumbs img").wait_for()
    page.get_by_label("Date and time").fill(f"{day}T10:15")
    screenshot(page, "composer.png")
    page.get_by_role("button", name="Schedule", exact=True).click()
    page.wait_for_url(f"{live_server.url}/?date={day}")

    post = Post.objects.get(platform="twitter", content=text)
    assert post.scheduled_time == dt.datetime.combine(day, dt.time(10, 15), tzinfo=owner.tzinfo)
    chip = page.locator(f'.chip[data-post-id="{post.pk}"]')
    assert chip.locator("time").inner_text() == "10:15"
    assert page.locator(f'[data-date="{day}"]').locator(f'[data-post-id="{post.pk}"]').count() == 1
    screenshot(page, "calendar-month.png")

    target = day + dt.timedelta(days=2)
    chip.drag_to(page.locator(f'[data-drop][data-date="{target}"]'))
    page.locator("#cal-status", has_text="rescheduled").wait_for()
    assert page.locator(f'[data-date="{target}"]').locator(f'[data-post-id="{post.pk}"]').count() == 1
    post.refresh_from_db()
    assert post.scheduled_time == dt.datetime.combine(target, dt.time(10, 15), tzinfo=owner.tzinfo)

    # A published post cannot move: the page says so and the post stays where it was.
    page.locator(f'.chip[data-post-id="{published.pk}"]').drag_to(page.locator(f'[data-drop][data-date="{target}"]'))
    page.locator("#cal-status[role=alert]", has_text="Not rescheduled").wait_for()
    assert page.locator(f'.chip.rejected[data-post-id="{published.pk}"]').count() == 1
    published.refresh_from_db()
    assert published.scheduled_time.date() == day

    page.reload()
    assert page.locator(f'[data-date="{target}"]').locator(f'[data-post-id="{post.pk}"]').count() == 1
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "calendar-month-phone.png")


def test_keyboard_reschedule_dialog_in_the_week_view(page, live_server, owner):
    account = SocialAccountFactory(owner=owner)
    day = next_month_day(12)
    post = PostFactory(social_account=account, scheduled_time=dt.datetime.combine(day, dt.time(9), tzinfo=owner.tzinfo))
    page.goto(f"{live_server.url}/?view=week&date={day}")
    page.get_by_role("button", name=f"Reschedule post {post.pk}").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    field = dialog.get_by_label("New date and time")
    field.fill("2001-01-01T09:00")
    page.keyboard.press("Enter")
    dialog.locator("#reschedule-error", has_text="Must be in the future").wait_for()
    field.fill(f"{day}T16:30")
    page.keyboard.press("Enter")
    dialog.wait_for(state="hidden")
    slot = page.locator(f'[data-date="{day}"][data-hour="16"]')
    assert slot.locator(f'[data-post-id="{post.pk}"] time').inner_text() == "16:30"
    post.refresh_from_db()
    assert post.scheduled_time == dt.datetime.combine(day, dt.time(16, 30), tzinfo=owner.tzinfo)
    screenshot(page, "calendar-week.png")


def test_campaign_page_shows_its_analytics(page, live_server, owner):
    campaign = CampaignFactory(owner=owner, name="Spring launch")
    account = SocialAccountFactory(owner=owner, platform="linkedin")
    for days_ago, views in ((3, 1200), (2, 2400), (1, 800)):
        post = PostFactory(
            social_account=account,
            campaign=campaign,
            status=PostStatus.PUBLISHED,
            published_at=timezone.now() - dt.timedelta(days=days_ago),
        )
        PostAnalyticsFactory(post=post, views=views, likes=views // 20, shares=views // 100, comments=5)
    page.get_by_role("link", name="Campaigns").click()
    page.get_by_role("link", name="Spring launch").click()
    assert (
        page.locator("#engagement-rate").inner_text() == "6.34 %"
    )  # (220 likes + 44 shares + 15 comments) / 4,400 views
    assert page.locator("svg.chart rect.bar").count() == 3
    assert page.get_by_role("img", name="Views and engagements per day of publication").is_visible()
    screenshot(page, "campaign.png")
    page.get_by_role("button", name="Pause").click()
    page.get_by_text("is now paused").wait_for()


CORPUS = [
    "Plain text",
    "Link https://example.com/path?q=1, then more.",
    "Two links: http://a.example and https://b.example/x).",
    "日本語のテキスト",
    "Family 👨‍👩‍👧‍👦 and flag 🇫🇷 and keycap 1️⃣",
    "Cafe\u0301 e\u0301te\u0301",  # decomposed accents: NFC on X, one grapheme each on Bluesky
    "Ends with a link https://example.com",
    "end https://example.com/x. (https://example.com/y) http://t.co/z!",
    "日本語 https://a.co 한국어 こんにちは",
    "\u2013\u2019\u2026 dashes, quotes, an ellipsis",
    "👍 👍🏽 👨\u200d👩\u200d👧 🇩🇪 1\ufe0f\u20e3 ❤\ufe0f",
    "e\u0301" * 5,
    "",
]


def test_the_composer_counts_like_the_api(page, live_server, owner):
    for platform in ("twitter", "bluesky", "mastodon", "facebook", "linkedin", "threads"):
        SocialAccountFactory(owner=owner, platform=platform, account_name=f"@{platform}")
    page.goto(f"{live_server.url}/posts/new/")
    rules = page.evaluate("JSON.parse(document.getElementById('counter-rules').textContent).accounts")
    for account in rules.values():
        for text in CORPUS:
            counted = page.evaluate(
                "([text, account]) => window.socialhubWeightedLength(text, account)", [text, account]
            )
            assert counted == weighted_length(text, account["platform"]), (account["platform"], text)


def test_swagger_ui_works_under_its_csp(page, live_server):
    page.goto(f"{live_server.url}/docs")
    page.locator(".swagger-ui .opblock-summary-path", has_text="/api/v1/posts").first.wait_for()
    assert page.get_by_role("heading", name="SocialHub API").first.is_visible()
    screenshot(page, "docs.png")


def test_first_run_walks_a_new_user_from_buffer_to_the_first_post(page, live_server, owner, sandbox):
    assert page.get_by_role("heading", name="Get started in three steps").is_visible()
    screenshot(page, "first-run-calendar.png")
    page.get_by_role("link", name="Connect", exact=True).click()
    assert page.get_by_text("publish.buffer.com").first.is_visible()
    assert page.locator("#sandbox-note").is_visible()
    screenshot(page, "first-run-key.png")
    page.get_by_role("textbox", name="Buffer API key").fill("invalid-key")
    page.get_by_role("button", name="Save and list my profiles").click()
    page.locator("#id_access_token_error").wait_for()
    page.get_by_role("textbox", name="Buffer API key").fill("my-buffer-token")
    page.get_by_role("button", name="Save and list my profiles").click()
    page.get_by_text("Buffer API key saved").wait_for()
    screenshot(page, "first-run-profiles.png")
    page.get_by_role("button", name="Connect").first.click()
    page.get_by_text("Connected").first.wait_for()
    page.get_by_role("link", name="Write a post").click()
    page.wait_for_url(f"{live_server.url}/posts/new/")
    assert page.locator('#composer input[name="accounts"]').count() == 1
    screenshot(page, "first-run-composer.png")
