"""The preview rules per network (posts.previews): fold, link cards, media layouts, threads, first comment, avatar."""

from __future__ import annotations

import pytest

from buffer_integration.counting import weighted_length
from buffer_integration.platforms import PUBLISHABLE_PLATFORMS
from posts.previews.build import build_preview, initials, media_from_urls, profile
from posts.previews.networks import FACTS
from posts.previews.service import render_preview, resolve_variant

ACCOUNT = profile(account_id=1, name="Acme Shop", username="acme", avatar_url="")
IMAGES = media_from_urls([f"https://cdn.example.com/p{i}.jpg" for i in range(7)])
VIDEO = media_from_urls(["https://cdn.example.com/clip.mp4"])


def preview(platform, content="Hello", media=(), options=None):
    return build_preview(
        platform=platform, account=ACCOUNT, content=content, media=list(media), network_options=options
    )


def visible_text(result):
    return "".join(part["text"] for part in result["text"]["visible"])


class TestFold:
    @pytest.mark.parametrize(("platform", "fold"), [("instagram", 125), ("facebook", 477), ("linkedin", 210)])
    def test_folds_at_the_networks_see_more(self, platform, fold):
        result = preview(platform, "x" * (fold + 50))
        assert result["text"]["truncated"] is True
        assert result["text"]["see_more_at"] == fold
        assert visible_text(result) == "x" * fold

    def test_text_up_to_the_fold_is_shown_in_full(self):
        result = preview("instagram", "y" * 125)
        assert result["text"]["truncated"] is False
        assert visible_text(result) == "y" * 125

    def test_fold_moves_back_to_a_word_boundary(self):
        text = "word " * 30  # 150 characters, spaces every 5
        result = preview("instagram", text)
        assert visible_text(result).endswith("word")
        assert result["text"]["see_more_at"] <= 125

    def test_fold_never_splits_an_emoji(self):
        result = preview("instagram", "👍🏽" * 130)
        assert visible_text(result) == "👍🏽" * 125

    @pytest.mark.parametrize("platform", ["twitter", "bluesky", "mastodon", "threads", "youtube", "pinterest"])
    def test_networks_without_a_fold_show_it_all(self, platform):
        assert preview(platform, "z" * 280)["text"]["truncated"] is False

    def test_links_hashtags_and_mentions_are_marked(self):
        text = "Hi @ana@social.example see https://ex.com/a. #news!"
        result = preview("mastodon", text)
        kinds = [(part["kind"], part["text"]) for part in result["text"]["segments"] if part["kind"] != "text"]
        assert kinds == [("mention", "@ana@social.example"), ("link", "https://ex.com/a"), ("hashtag", "#news")]
        assert "".join(part["text"] for part in result["text"]["segments"]) == text


class TestLinkCard:
    @pytest.mark.parametrize("platform", ["facebook", "linkedin", "threads", "bluesky", "mastodon"])
    def test_first_link_becomes_a_card_without_media(self, platform):
        card = preview(platform, "Read https://www.example.com/one and https://two.example.org/x")["link_card"]
        assert card == {"url": "https://www.example.com/one", "host": "example.com"}

    def test_x_cards_the_last_link(self):
        card = preview("twitter", "a https://one.example/1 b https://two.example/2")["link_card"]
        assert card == {"url": "https://two.example/2", "host": "two.example"}

    @pytest.mark.parametrize("platform", ["instagram", "pinterest", "youtube", "googlebusiness"])
    def test_no_card_where_the_network_makes_none(self, platform):
        assert preview(platform, "See https://example.com/page")["link_card"] is None

    def test_no_card_when_the_post_has_media(self):
        assert preview("facebook", "See https://example.com/page", IMAGES[:1])["link_card"] is None


class TestMedia:
    @pytest.mark.parametrize(
        ("platform", "count", "shown", "more"),
        [
            ("twitter", 4, 4, 0),
            ("twitter", 6, 4, 2),
            ("facebook", 7, 5, 2),
            ("linkedin", 7, 4, 3),
            ("bluesky", 2, 2, 0),
        ],
    )
    def test_grid_shows_the_networks_tiles_then_plus_n(self, platform, count, shown, more):
        media = preview(platform, media=IMAGES[:count])["media"]
        assert (media["layout"], len(media["shown"]), media["more"], media["total"]) == ("grid", shown, more, count)

    def test_instagram_carousel_shows_one_and_counts_all(self):
        media = preview("instagram", media=IMAGES[:3])["media"]
        assert (media["layout"], len(media["shown"]), media["more"], media["total"]) == ("carousel", 1, 0, 3)

    @pytest.mark.parametrize("kind", ["story", "reel"])
    def test_instagram_story_and_reel(self, kind):
        result = preview("instagram", media=IMAGES[:1], options={"type": kind})
        assert result["media"]["layout"] == kind
        assert (result["post_type"], result["post_type_label"]) == (kind, kind.title())

    def test_instagram_type_defaults_to_post(self):
        assert preview("instagram", media=IMAGES[:1])["post_type"] == "post"

    def test_video(self):
        media = preview("youtube", media=VIDEO, options={"title": "Launch"})["media"]
        assert media["layout"] == "video" and media["shown"][0]["kind"] == "video"

    def test_no_media(self):
        assert preview("twitter")["media"]["layout"] == "none"

    def test_media_list_is_an_argument(self):
        """Library items plug in as they are: their size and alt text reach the preview."""
        item = {"url": "https://files.example/a", "kind": "image", "alt_text": "A cat", "width": 800, "height": 600}
        assert preview("twitter", media=[item])["media"]["shown"] == [item]


class TestOptions:
    def test_thread_parts_with_their_own_length(self):
        parts = ["Second part #two", "Third " + "é" * 300]
        thread = preview("twitter", "First", options={"thread": parts})["thread"]
        assert [part["count"] for part in thread] == [weighted_length(part, "twitter") for part in parts]
        assert [part["over"] for part in thread] == [False, True]

    def test_thread_only_where_the_network_takes_it(self):
        assert preview("facebook", options={"thread": ["x"]})["thread"] == []

    @pytest.mark.parametrize("platform", ["instagram", "facebook", "linkedin"])
    def test_first_comment(self, platform):
        comment = preview(platform, options={"first_comment": "#tags here"})["first_comment"]
        assert comment == {"segments": [{"kind": "hashtag", "text": "#tags"}, {"kind": "text", "text": " here"}]}

    def test_no_first_comment_on_other_networks(self):
        assert preview("twitter", options={"first_comment": "x"})["first_comment"] is None

    @pytest.mark.parametrize("platform", ["youtube", "pinterest"])
    def test_title(self, platform):
        assert preview(platform, options={"title": "Our launch"})["title"] == "Our launch"

    def test_length_is_the_api_rule(self):
        text = "日本語 https://example.com/ " + "a" * 260
        length = preview("twitter", text)["length"]
        assert length == {"count": weighted_length(text, "twitter"), "limit": 280, "counting": "twitter", "over": True}


class TestProfile:
    def test_no_avatar_gives_initials(self):
        assert ACCOUNT["initials"] == "AS" and ACCOUNT["username"] == "@acme"
        assert profile(account_id=3, name="@shop", username="", avatar_url="")["username"] == ""
        assert 'class="pv-avatar pv-initials"' in render_preview(preview("twitter"))

    def test_avatar_replaces_initials(self):
        account = profile(account_id=2, name="Acme", username="", avatar_url="https://cdn.example/a.png")
        assert account["initials"] == ""
        built = build_preview(platform="twitter", account=account, content="x", media=[], network_options={})
        html = render_preview(built)
        assert 'src="https://cdn.example/a.png"' in html

    @pytest.mark.parametrize(("name", "expected"), [("@acme_shop", "AS"), ("ana", "A"), ("", "?")])
    def test_initials(self, name, expected):
        assert initials(name) == expected


@pytest.mark.parametrize("platform", sorted(PUBLISHABLE_PLATFORMS))
def test_every_network_renders(platform):
    result = preview(platform, "Hi <b>there</b> https://example.com #tag", IMAGES[:2], {"title": "T"})
    html = render_preview(result)
    assert f'data-platform="{platform}"' in html and "&lt;b&gt;" in html and "<b>" not in html
    assert FACTS[platform].family == result["family"]


def test_variant_overrides_only_what_it_names():
    base = {"content": "Shared", "media_urls": ["https://x.example/a.jpg"], "network_options": {}}
    variants = {"7": {"content": "Mine", "scheduled_time": "ignored"}}
    assert resolve_variant(base=base, variants=variants, account_id=7) == {**base, "content": "Mine"}
    assert resolve_variant(base=base, variants=variants, account_id=8) == base
    assert resolve_variant(base=base, variants=None, account_id=7) == base


def test_html_keeps_the_spaces_between_marked_words():
    html = render_preview(preview("mastodon", "#a @b https://c.example d"))
    assert '#a</span> <span class="pv-mention">@b</span> <span class="pv-link">https://c.example</span> d' in html
