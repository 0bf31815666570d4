"""End to end in headless Chromium: edit an account's posting schedule on its page, then "Add to queue" from the
composer and find the post in the account's next slot."""

from __future__ import annotations

from accounts.tests.factories import SocialAccountFactory
from posts import queueing
from posts.models import Post, PostStatus
from socialhub.tests.browser import BROWSER_MARKS, screenshot

pytestmark = BROWSER_MARKS


def test_edit_the_schedule_then_add_a_post_to_the_queue(page, live_server, owner):
    account = SocialAccountFactory(owner=owner, platform="twitter", account_name="@brand", profile_timezone="UTC")

    page.goto(f"{live_server.url}/accounts/")
    page.get_by_role("link", name="Edit the posting schedule of @brand").click()
    for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"):
        page.get_by_label(day, exact=True).fill("10:00, 16:30")
    page.get_by_label("Pause Sunday").check()
    page.get_by_role("button", name="Save schedule").click()
    page.get_by_text("Saved @brand's posting schedule").wait_for()
    assert page.locator(".queue-slots li").count() == 10
    screenshot(page, "account-schedule.png")
    account.refresh_from_db()
    assert account.queue_schedule["days"]["mon"] == ["10:00", "16:30"]
    assert account.queue_schedule["paused_days"] == ["sun"]

    page.goto(f"{live_server.url}/posts/new/")
    page.get_by_label("@brand (X / Twitter)").check()
    page.get_by_label("Content").fill("Queued from the composer")
    page.get_by_role("button", name="Add to queue").click()
    page.get_by_text("added to the queue").wait_for()
    post = Post.objects.get(content="Queued from the composer")
    assert (post.status, post.queued) == (PostStatus.SCHEDULED, True)
    assert post.scheduled_time == queueing.upcoming_slots(account, start=post.created_at, count=1)[0]
