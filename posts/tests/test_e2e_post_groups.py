"""End to end in Chromium: one post for three networks, one of them customised in its tab, scheduled as a group."""

from __future__ import annotations

import datetime as dt

from accounts.tests.factories import SocialAccountFactory
from posts.models import PostGroup, PostStatus
from socialhub.tests.browser import BROWSER_MARKS, next_month_day, screenshot

pytestmark = BROWSER_MARKS


def test_three_networks_one_customised_variant(page, live_server, owner):
    twitter = SocialAccountFactory(owner=owner, platform="twitter", account_name="@brand")
    linkedin = SocialAccountFactory(owner=owner, platform="linkedin", account_name="Brand Inc")
    SocialAccountFactory(owner=owner, platform="mastodon", account_name="@brand@mastodon.social")
    day = next_month_day(12)

    page.goto(f"{live_server.url}/posts/new/")
    tabs = page.locator("#variants")
    page.get_by_label("@brand (X / Twitter)").check()
    assert tabs.is_hidden()  # one account: a plain post, nothing to customise
    page.get_by_label("Brand Inc (LinkedIn)").check()
    page.get_by_label("@brand@mastodon.social (Mastodon)").check()
    page.get_by_label("Content", exact=True).fill("Spring launch today!")
    assert tabs.get_by_role("tab").count() == 3
    assert tabs.get_by_role("tab", selected=True).inner_text().startswith("@brand (X / Twitter)")

    tabs.get_by_role("tab", name="Brand Inc (LinkedIn)").click()
    panel = page.locator(f"#variant-panel-{linkedin.pk}")
    assert panel.is_visible() and page.locator(f"#variant-panel-{twitter.pk}").is_hidden()
    panel.get_by_role("button", name="Start from the shared text").click()
    assert panel.get_by_label("Text for this account").input_value() == "Spring launch today!"
    panel.get_by_label("Text for this account").fill("Spring launch today! The long story for our LinkedIn network.")
    panel.get_by_label("First comment").fill("Details on our site")
    x_count = page.locator(f"#variant-panel-{twitter.pk} .variant-counter .counter")
    assert x_count.get_attribute("data-length") == "20"  # the shared text, counted for X
    assert tabs.get_by_role("tab", name="Brand Inc (LinkedIn)").inner_text().endswith("customised")
    page.get_by_label("Date and time").fill(f"{day}T09:30")
    screenshot(page, "composer_variants.png")
    page.get_by_role("button", name="Schedule", exact=True).click()
    page.wait_for_url(f"{live_server.url}/?date={day}")

    group = PostGroup.objects.get()
    posts = {post.platform: post for post in group.posts.all()}
    assert posts["twitter"].content == posts["mastodon"].content == "Spring launch today!"
    assert posts["linkedin"].content == "Spring launch today! The long story for our LinkedIn network."
    assert posts["linkedin"].network_options == {"first_comment": "Details on our site"}
    when = dt.datetime.combine(day, dt.time(9, 30), tzinfo=owner.tzinfo)
    assert all(post.scheduled_time == when and post.status == PostStatus.SCHEDULED for post in posts.values())

    page.goto(f"{live_server.url}/posts/{posts['twitter'].pk}/")
    siblings = page.locator("[aria-labelledby=group-h] li")
    assert siblings.count() == 2 and "Brand Inc" in siblings.nth(0).inner_text()
