"""Issue 16's journey in Chromium, end to end: upload an image in the composer, write once for three
networks with one customised variant, see each network's preview equal the server's rendering, schedule,
and find one chip on the calendar that expands into the three deliveries."""

from __future__ import annotations

import datetime as dt

from accounts.tests.factories import SocialAccountFactory
from conftest import client_for
from media_library.models import MediaItem
from media_library.storage import public_url
from media_library.tests import files
from posts.models import PostGroup, PostStatus
from posts.tests.test_e2e_previews import structure
from socialhub.tests.browser import BROWSER_MARKS, next_month_day, screenshot

pytestmark = BROWSER_MARKS
SHARED = "Spring launch today: the new collection is in the shop. #spring"
LINKEDIN = "Spring launch today. The long story for our LinkedIn network: what we made, and why."


def test_upload_three_networks_one_variant_previews_schedule_one_chip_of_three(page, live_server, owner, settings):
    settings.SITE_URL = live_server.url
    twitter = SocialAccountFactory(owner=owner, platform="twitter", account_name="@brand")
    linkedin = SocialAccountFactory(owner=owner, platform="linkedin", account_name="Brand Inc")
    mastodon = SocialAccountFactory(owner=owner, platform="mastodon", account_name="@brand@mastodon.social")
    accounts = (twitter, linkedin, mastodon)
    day = next_month_day(14)

    page.goto(f"{live_server.url}/posts/new/")
    for label in ("@brand (X / Twitter)", "Brand Inc (LinkedIn)", "@brand@mastodon.social (Mastodon)"):
        page.get_by_label(label).check()
    page.get_by_label("Content", exact=True).fill(SHARED)
    page.locator("#media-file").set_input_files(
        files=[{"name": "spring.png", "mimeType": "image/png", "buffer": files.png(320, 240)}]
    )
    page.locator("#media-progress", has_text="spring.png: uploaded.").wait_for()
    item = MediaItem.objects.get(name="spring.png")
    tabs = page.locator("#variants")
    tabs.get_by_role("tab", name="Brand Inc (LinkedIn)").click()
    page.locator(f"#variant-panel-{linkedin.pk}").get_by_label("Text for this account").fill(LINKEDIN)
    page.get_by_label("Date and time").fill(f"{day}T09:30")

    panel = page.locator("#preview-panel")
    page.wait_for_function(
        "([panel, text]) => panel.dataset.state === 'ready' && panel.querySelectorAll('article.pv').length === 3"
        " && panel.textContent.includes(text)",
        arg=[panel.element_handle(), "what we made, and why"],
    )
    page.wait_for_function(  # the uploaded picture in every network's preview
        "([panel, url]) => panel.querySelectorAll(`article.pv img[src='${url}']`).length === 3",
        arg=[panel.element_handle(), public_url(item.file.name)],
    )
    body = {
        "social_account_ids": [account.pk for account in accounts],
        "content": SHARED,
        "media_ids": [item.pk],
        "variants": {str(linkedin.pk): {"content": LINKEDIN}},
    }
    answer = client_for(owner).post("/api/v1/posts/preview", body, format="json")
    assert answer.status_code == 200, answer.json()
    expected = {preview["account"]["id"]: preview["html"] for preview in answer.json()["previews"]}
    for account in accounts:
        shown = panel.locator(f'article.pv[data-account="{account.pk}"]').evaluate("node => node.outerHTML")
        assert structure(shown) == structure(expected[account.pk]), account.platform
    screenshot(page, "journey_composer.png")

    page.get_by_role("button", name="Schedule", exact=True).click()
    page.wait_for_url(f"{live_server.url}/?date={day}")
    group = PostGroup.objects.get()
    posts = {post.platform: post for post in group.posts.all()}
    assert posts["twitter"].content == posts["mastodon"].content == SHARED and posts["linkedin"].content == LINKEDIN
    when = dt.datetime.combine(day, dt.time(9, 30), tzinfo=owner.tzinfo)
    assert all(post.scheduled_time == when and post.status == PostStatus.SCHEDULED for post in posts.values())
    assert all(list(post.media_items.all()) == [item] for post in posts.values())

    chips = page.locator(f'[data-date="{day}"] .chip')
    assert chips.count() == 1  # one chip for the group, not three
    chip = chips.first
    assert chip.locator(".chip-nets .net").count() == 3
    assert chip.locator("img").first.get_attribute("src")  # the uploaded picture's thumbnail
    expand = chip.get_by_role("button", name="Show the 3 deliveries")
    expand.click()
    assert expand.get_attribute("aria-expanded") == "true"
    assert chip.locator(".deliveries .delivery").count() == 3
    screenshot(page, "journey_calendar.png")
