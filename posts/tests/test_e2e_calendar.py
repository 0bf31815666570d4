"""The calendar in a real Chromium: a group chip opens into its deliveries and moves them together, the
week's whole-day toggle and current-time line, the list, and the phone's day agenda with the reschedule
dialog as the touch alternative to dragging. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from posts.models import Post, PostGroup, PostStatus
from posts.tests.factories import PostFactory
from socialhub.tests.browser import BROWSER_MARKS, next_month_day, screenshot

pytestmark = BROWSER_MARKS


def at(owner, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=owner.tzinfo)


def three_network_group(owner, when: dt.datetime) -> list:
    accounts = [
        SocialAccountFactory(owner=owner, platform="twitter", account_name="@brand"),
        SocialAccountFactory(owner=owner, platform="bluesky", account_name="brand.bsky.social"),
        SocialAccountFactory(owner=owner, platform="linkedin", account_name="Brand Inc"),
    ]
    text = "Spring launch: our new collection is here, with a long first line that a chip cuts where it must"
    group = PostGroup.objects.create(workspace=workspace_personal_for(owner), owner=owner, content=text)
    media = ["https://cdn.example/spring.png"]
    return [
        PostFactory(social_account=a, group=group, content=text, scheduled_time=when, media_urls=media)
        for a in accounts
    ]


def serve_images(page) -> None:
    from socialhub.tests.browser import png

    page.route("https://cdn.example/**", lambda route: route.fulfill(body=png(64, 64), content_type="image/png"))


def test_a_group_chip_expands_into_its_three_deliveries_and_moves_them_together(page, live_server, owner):
    day = next_month_day(10)
    posts = three_network_group(owner, at(owner, day, 10, 15))
    PostFactory(social_account=posts[0].social_account, scheduled_time=at(owner, day, 12), status=PostStatus.FAILED)
    PostFactory(social_account=posts[0].social_account, scheduled_time=at(owner, day, 13), hold_reason="Paused")
    serve_images(page)
    page.goto(f"{live_server.url}/?date={day}")

    chip = page.locator(f'.chip[data-post-id="{posts[0].pk}"]')
    assert chip.locator(".chip-nets .net").count() == 3
    assert page.locator(f'[data-date="{day}"] .day-count').inner_text().startswith("5")
    deliveries = chip.locator(".deliveries")
    assert deliveries.is_hidden()
    expand = chip.get_by_role("button", name="Show the 3 deliveries")
    expand.click()
    assert expand.get_attribute("aria-expanded") == "true"
    assert deliveries.locator(".delivery").count() == 3
    assert deliveries.is_visible() and deliveries.get_by_role("link", name="brand.bsky.social").is_visible()
    # The first line fills the chip and is cut by CSS, not after a few characters.
    text = chip.locator(".chip-text")
    assert text.evaluate("e => e.scrollWidth > e.clientWidth") and text.bounding_box()["width"] > 100
    page.get_by_text("Legend").click()
    screenshot(page, "calendar_month.png")
    expand.click()
    assert deliveries.is_hidden()
    page.get_by_text("Legend").click()  # closed again: a drag that scrolls the page would start elsewhere

    target = day + dt.timedelta(days=2)
    chip.drag_to(page.locator(f'[data-drop][data-date="{target}"]'))
    page.locator("#cal-status.message-success", has_text="rescheduled").wait_for()
    assert page.locator(f'[data-date="{target}"]').locator(f'[data-post-id="{posts[0].pk}"]').count() == 1
    assert {p.scheduled_time for p in Post.objects.filter(group=posts[0].group)} == {at(owner, target, 10, 15)}

    # One delivery alone, from its row: the page comes back with it on a chip of its own.
    chip.get_by_role("button", name="Show the 3 deliveries").click()
    chip.get_by_role("button", name=f"Reschedule only post {posts[2].pk}").click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("New date and time").fill(f"{target}T18:00")
    dialog.get_by_role("button", name="Reschedule").click()
    page.get_by_text(f"Post #{posts[2].pk} rescheduled to").wait_for()
    assert page.locator(f'[data-date="{target}"] .chip').count() == 2
    assert page.locator(f'.chip[data-post-id="{posts[0].pk}"] .chip-nets .net').count() == 2
    assert page.locator(f'.chip[data-post-id="{posts[2].pk}"] time').inner_text() == "18:00"


def test_the_week_starts_at_seven_and_shows_the_whole_day_on_request(page, live_server, owner):
    account = SocialAccountFactory(owner=owner)
    day = next_month_day(12)
    post = PostFactory(social_account=account, scheduled_time=at(owner, day, 10))
    three_network_group(owner, at(owner, day + dt.timedelta(days=1), 12, 30))
    PostFactory(social_account=account, scheduled_time=at(owner, day, 15), status=PostStatus.PUBLISHED)
    PostFactory(social_account=account, scheduled_time=at(owner, day, 16), approval_required=True)
    serve_images(page)
    page.goto(f"{live_server.url}/?view=week&date={day}")
    assert page.locator(f'[data-date="{day}"][data-hour="7"]').count() == 1
    assert page.locator(f'[data-date="{day}"][data-hour="6"]').count() == 0
    assert page.locator(f'[data-date="{day}"][data-hour="10"] [data-post-id="{post.pk}"]').count() == 1
    screenshot(page, "calendar_week.png")

    page.get_by_role("link", name="Show the whole day").click()
    page.wait_for_url("**hours=all**")
    assert page.locator(f'[data-date="{day}"][data-hour="0"]').count() == 1
    page.get_by_role("link", name="Next week").click()
    assert "hours=all" in page.url  # the choice stays as you move on
    page.get_by_role("link", name="Hide the early hours").click()
    assert page.locator('[data-drop][data-hour="0"]').count() == 0


@pytest.mark.parametrize("view", ["week", "day"])
def test_the_current_time_line_sits_in_todays_column(page, live_server, owner, view):
    page.goto(f"{live_server.url}/?view={view}&hours=all")
    line = page.locator("#now-line")
    line.wait_for(state="attached")
    today = page.locator(".week .dow.today")
    assert today.count() == 1
    # Whatever the hour: the line is in a slot of today's date (the page's timezone, not the browser's).
    slot_date = line.evaluate("e => e.parentElement.dataset.date")
    assert slot_date == page.locator("#cal-today").get_attribute("href").split("date=")[1][:10]


def test_the_list_groups_the_months_posts_by_day(page, live_server, owner):
    day = next_month_day(10)
    posts = three_network_group(owner, at(owner, day, 9))
    later = PostFactory(social_account=posts[0].social_account, scheduled_time=at(owner, day.replace(day=20), 18))
    serve_images(page)
    page.goto(f"{live_server.url}/?view=list&date={day}")
    headings = page.locator(".list-day-head")
    assert headings.count() == 2
    assert page.locator(f'#list-day-{day} ~ .chips .chip[data-post-id="{posts[0].pk}"]').count() == 1
    assert page.locator(f'.list-day .chip[data-post-id="{later.pk}"]').count() == 1
    screenshot(page, "calendar_list.png")


def test_the_phone_shows_a_day_agenda_and_reschedules_through_the_dialog(mobile_page, live_server, owner):
    page = mobile_page
    day = next_month_day(14)
    posts = three_network_group(owner, at(owner, day, 10))
    single = PostFactory(social_account=posts[0].social_account, scheduled_time=at(owner, day, 16))
    serve_images(page)
    page.goto(f"{live_server.url}/?date={day}")

    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Only days with posts (and today) are listed, each named in full.
    visible_days = page.locator(".day:visible")
    names = [name.strip() for name in visible_days.locator(".day-name").all_inner_texts()]
    assert f"{day:%A} {day.day} {day:%B}" in names
    for i in range(visible_days.count()):
        shown = visible_days.nth(i)
        assert shown.locator(".chip").count() or "today" in (shown.get_attribute("class") or "")
    screenshot(page, "calendar_mobile.png")

    button = page.locator(f'.chip[data-post-id="{single.pk}"] .chip-move')
    box = button.bounding_box()
    assert box["width"] >= 44 and box["height"] >= 44  # a finger's target
    button.tap()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("New date and time").fill(f"{day}T18:45")
    dialog.get_by_role("button", name="Reschedule").tap()
    dialog.wait_for(state="hidden")
    page.locator("#cal-status", has_text="rescheduled").wait_for()
    single.refresh_from_db()
    assert single.scheduled_time == at(owner, day, 18, 45)

    # The group chip's dialog moves all three deliveries.
    page.locator(f'.chip[data-post-id="{posts[0].pk}"] .chip-move').tap()
    assert "Reschedule posts" in dialog.locator("h2").inner_text()
    dialog.get_by_label("New date and time").fill(f"{day + dt.timedelta(days=1)}T08:30")
    dialog.get_by_role("button", name="Reschedule").tap()
    dialog.wait_for(state="hidden")
    moved = {p.scheduled_time for p in Post.objects.filter(group=posts[0].group)}
    assert moved == {at(owner, day + dt.timedelta(days=1), 8, 30)}
