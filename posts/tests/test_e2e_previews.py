"""The composer's live previews in Chromium: one per ticked account, the same HTML as the preview API's."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from accounts.tests.factories import SocialAccountFactory
from conftest import client_for
from posts.tests.factories import PostFactory
from socialhub.tests.browser import BROWSER_MARKS, png, screenshot

pytestmark = BROWSER_MARKS
TEXT = (
    "Spring launch is here: everything we built this winter, in one place. " * 8
    + "#launch @ana https://example.com/spring"
)
COMMENT = "More at #spring"


class _Structure(HTMLParser):
    """Tags with their attributes and the text between them, whitespace collapsed: what two serialisations of
    the same HTML (Django's templates, the browser's outerHTML) share."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.tokens.append(("<", tag, tuple(sorted((name, value or "") for name, value in attrs))))

    def handle_endtag(self, tag):
        self.tokens.append((">", tag))

    def handle_data(self, data):
        text = re.sub(r"\s+", " ", data).strip()
        if text:
            self.tokens.append(("text", text))


def structure(html: str) -> list[tuple]:
    parser = _Structure()
    parser.feed(html)
    return parser.tokens


@pytest.fixture
def accounts(owner):
    twitter = SocialAccountFactory(owner=owner, platform="twitter", account_name="@brand")
    facebook = SocialAccountFactory(
        owner=owner,
        platform="facebook",
        account_name="Brand Page",
        service_username="brandpage",
        avatar_url="https://cdn.example/avatar.png",
    )
    return twitter, facebook


def write_and_wait(tab, live_server):
    tab.route("https://cdn.example/**", lambda route: route.fulfill(body=png(40, 40), content_type="image/png"))
    tab.goto(f"{live_server.url}/posts/new/")
    tab.get_by_label("@brand (X / Twitter)").check()
    tab.get_by_label("Brand Page (Facebook)").check()
    tab.get_by_label("Content").fill(TEXT[:-10])
    tab.get_by_label("Content").press_sequentially(TEXT[-10:])  # typed: the previews follow each key (debounced)
    tab.locator("#id_first_comment").fill(COMMENT)
    panel = tab.locator("#preview-panel")
    tab.wait_for_function(
        "([panel, comment]) => panel.dataset.state === 'ready' && panel.querySelectorAll('article.pv').length === 2"
        " && panel.textContent.includes('/spring') && panel.textContent.includes(comment)",
        arg=[panel.element_handle(), COMMENT],
    )
    return panel


def api_previews(owner, accounts):
    twitter, facebook = accounts
    body = {
        "social_account_ids": [twitter.pk, facebook.pk],
        "content": TEXT,
        "variants": {str(facebook.pk): {"network_options": {"first_comment": COMMENT}}},
    }
    response = client_for(owner).post("/api/v1/posts/preview", body, format="json")
    assert response.status_code == 200, response.json()
    return {preview["account"]["id"]: preview for preview in response.json()["previews"]}


def assert_shows_the_apis_html(panel, owner, accounts):
    """Each account's preview in the page is the HTML the API renders for the same body."""
    expected = api_previews(owner, accounts)
    for account in accounts:
        article = panel.locator(f'article.pv[data-account="{account.pk}"]')
        assert structure(article.evaluate("node => node.outerHTML")) == structure(expected[account.pk]["html"])


def test_each_ticked_account_shows_the_servers_preview(page, live_server, owner, accounts):
    panel = write_and_wait(page, live_server)
    assert_shows_the_apis_html(panel, owner, accounts)
    twitter, facebook = accounts
    fb = panel.locator(f'article[data-account="{facebook.pk}"]')
    assert fb.locator(".pv-more").inner_text() == "… See more"  # Facebook folds a long text
    assert fb.locator(".pv-comment").is_visible() and fb.locator("img.pv-avatar").is_visible()
    assert panel.locator(f'article[data-account="{twitter.pk}"] .pv-initials').inner_text() == "B"
    screenshot(page, "composer_preview.png")

    page.get_by_label("@brand (X / Twitter)").uncheck()
    page.wait_for_function("() => document.querySelectorAll('#preview-panel article.pv').length === 1")
    assert panel.locator("article.pv").get_attribute("data-platform") == "facebook"


def test_previews_on_a_phone(mobile_page, live_server, owner, accounts):
    panel = write_and_wait(mobile_page, live_server)
    assert_shows_the_apis_html(panel, owner, accounts)
    box = panel.bounding_box()
    assert box is not None and box["width"] <= 390  # below the editor, not beside it
    panel.scroll_into_view_if_needed()
    screenshot(mobile_page, "composer_preview_mobile.png")


def test_the_post_page_shows_the_stored_posts_preview(page, live_server, owner):
    page.route("https://cdn.example/**", lambda route: route.fulfill(body=png(64, 48), content_type="image/png"))
    account = SocialAccountFactory(owner=owner, platform="facebook", account_name="Brand Page")
    photos = [f"https://cdn.example/photo{i}.png" for i in range(7)]
    post = PostFactory(social_account=account, content="Seven photos from the launch #spring", media_urls=photos)
    page.goto(f"{live_server.url}/posts/{post.pk}/")
    preview = page.locator("article.pv")
    assert preview.get_attribute("data-platform") == "facebook"
    assert preview.locator(".pv-tile").count() == 5 and preview.locator(".pv-plus").inner_text() == "+2"
    assert preview.locator(".pv-card").count() == 0  # media, so no link card
    screenshot(page, "post_preview.png")
