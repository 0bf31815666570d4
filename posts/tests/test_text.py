"""Length and media rules per network, read from the limits table."""

from __future__ import annotations

import pytest

from buffer_integration.counting import grapheme_count, twitter_weight, weighted_length
from posts.text import media_kind, validate_post_content

LONG_URL = "https://example.com/" + "a" * 100


class TestTwitterWeight:
    @pytest.mark.parametrize(
        "text, expected",
        [
            ("hello", 5),
            ("", 0),
            (LONG_URL, 23),
            (f"see {LONG_URL} and http://t.co/x", 4 + 23 + 5 + 23),
            ("end https://example.com/x.", 4 + 23 + 1),  # the sentence's period is not part of the link
            ("(https://example.com/x)", 1 + 23 + 1),
            ("你好", 4),  # CJK weighs 2
            ("こんにちは", 10),
            ("한국어", 6),
            ("日本語 https://a.co", 6 + 1 + 23),
            ("\u2013\u2019", 2),  # en dash, right quote: in the light ranges
            ("\u2026", 2),  # ellipsis is outside them
            ("e\u0301", 1),  # NFC makes one code point of it
            ("👍", 2),
            ("👍🏽", 2),  # skin tone modifier
            ("👨\u200d👩\u200d👧", 2),  # ZWJ family
            ("🇩🇪", 2),  # flag
            ("1\ufe0f\u20e3", 2),  # keycap
            ("❤\ufe0f", 2),
        ],
    )
    def test_weights(self, text, expected):
        assert twitter_weight(text) == expected

    def test_limit_boundaries(self):
        assert validate_post_content(platform="twitter", content="a" * 280, media_urls=[]) == {}
        assert "content" in validate_post_content(platform="twitter", content="a" * 281, media_urls=[])
        assert validate_post_content(platform="twitter", content="你" * 140, media_urls=[]) == {}
        errors = validate_post_content(platform="twitter", content="你" * 141, media_urls=[])
        assert errors["content"] == [
            "Too long for Twitter: 282 characters (each link counts 23, CJK and emoji 2), the limit is 280."
        ]

    def test_long_links_fit(self):
        text = " ".join([LONG_URL] * 11)  # 11 * 23 + 10 spaces = 263
        assert weighted_length(text, "twitter") == 263
        assert validate_post_content(platform="twitter", content=text, media_urls=[]) == {}


class TestOtherCounting:
    def test_bluesky_counts_graphemes(self):
        assert grapheme_count("e\u0301" * 3) == 3
        assert weighted_length("🇩🇪👨\u200d👩\u200d👧", "bluesky") == 2
        assert validate_post_content(platform="bluesky", content="e\u0301" * 300, media_urls=[]) == {}
        assert validate_post_content(platform="bluesky", content="🇩🇪" * 300, media_urls=[]) == {}
        errors = validate_post_content(platform="bluesky", content="🇩🇪" * 301, media_urls=[])
        assert "301 characters (graphemes)" in errors["content"][0]

    def test_mastodon_counts_links_as_23(self):
        assert weighted_length(LONG_URL, "mastodon") == 23
        assert weighted_length("你好", "mastodon") == 2
        assert validate_post_content(platform="mastodon", content="x" * 476 + " " + LONG_URL, media_urls=[]) == {}
        assert "content" in validate_post_content(platform="mastodon", content="x" * 501, media_urls=[])

    def test_facebook_counts_code_points_and_whole_links(self):
        assert weighted_length(LONG_URL, "facebook") == len(LONG_URL)
        assert weighted_length("👍", "facebook") == 1
        assert validate_post_content(platform="facebook", content="x" * 5000, media_urls=[]) == {}
        assert "content" in validate_post_content(platform="facebook", content="x" * 5001, media_urls=[])

    def test_service_type_limits(self):
        assert validate_post_content(platform="linkedin", content="x" * 201, media_urls=[]) == {}
        errors = validate_post_content(platform="linkedin", service_type="group", content="x" * 201, media_urls=[])
        assert "the limit is 200" in errors["content"][0]


class TestMedia:
    @pytest.mark.parametrize(
        "url, kind",
        [
            ("https://cdn.example.com/a.jpg", "image"),
            ("https://cdn.example.com/a.JPEG?w=200#x", "image"),
            ("http://cdn.example.com/path/a.webp", "image"),
            ("https://cdn.example.com/clip.mp4", "video"),
            ("https://cdn.example.com/clip.MOV", "video"),
            ("https://cdn.example.com/doc.pdf", None),
            ("https://cdn.example.com/folder.jpg/file", None),
            ("https://cdn.example.com/", None),
        ],
    )
    def test_kind_by_extension(self, url, kind):
        assert media_kind(url) == kind

    @pytest.mark.parametrize(
        "url", ["ftp://example.com/a.jpg", "javascript:alert(1)//a.jpg", "https:///a.jpg", "/a.jpg", "a.jpg"]
    )
    def test_only_http_urls(self, url):
        errors = validate_post_content(platform="twitter", content="hi", media_urls=[url])
        assert errors == {"media_urls": ["Item 0: only http(s) URLs are accepted."]}

    def test_unsupported_type(self):
        errors = validate_post_content(platform="twitter", content="hi", media_urls=["https://x.io/a.pdf"])
        assert errors["media_urls"][0].startswith("Item 0: unsupported file type; images: jpeg, jpg")

    def test_twitter_counts(self):
        images = [f"https://x.io/{i}.png" for i in range(5)]
        assert validate_post_content(platform="twitter", content="hi", media_urls=images[:4]) == {}
        assert validate_post_content(platform="twitter", content="hi", media_urls=images) == {
            "media_urls": ["Twitter accepts at most 4 image(s)."]
        }
        videos = ["https://x.io/a.mp4", "https://x.io/b.mp4"]
        assert validate_post_content(platform="twitter", content="hi", media_urls=videos[:1]) == {}
        assert validate_post_content(platform="twitter", content="hi", media_urls=videos) == {
            "media_urls": ["Twitter accepts at most 1 video(s)."]
        }

    def test_mixed_media(self):
        errors = validate_post_content(
            platform="facebook", content="hi", media_urls=["https://x.io/a.jpg", "https://x.io/a.mp4"]
        )
        assert errors == {"media_urls": ["Facebook does not accept images and videos in the same post."]}

    def test_media_required(self):
        assert validate_post_content(platform="instagram", content="hi", media_urls=[]) == {
            "media_urls": ["Instagram requires at least one image or video."]
        }
        assert validate_post_content(platform="instagram", content="hi", media_urls=["https://x.io/a.jpg"]) == {}

    def test_network_without_a_kind(self):
        assert validate_post_content(platform="youtube", content="hi", media_urls=["https://x.io/a.jpg"]) == {
            "media_urls": ["YouTube accepts no images."]
        }
        errors = validate_post_content(platform="googlebusiness", content="hi", media_urls=["https://x.io/a.mp4"])
        assert errors == {"media_urls": ["Google Business Profile accepts no videos."]}

    def test_content_and_media_errors_together(self):
        errors = validate_post_content(platform="pinterest", content="x" * 501, media_urls=[])
        assert set(errors) == {"content", "media_urls"}


def test_the_composer_counter_is_served_the_one_counting_rule():
    """The page's counter gets its patterns, weights and limits from buffer_integration.counting."""
    from accounts.models import SocialAccount
    from buffer_integration.counting import client_rules, counting_for
    from web.posts.forms import counter_rules

    accounts = [SocialAccount(pk=n, platform=p, account_name=p) for n, p in enumerate(("twitter", "bluesky"), 1)]
    served = counter_rules(accounts)
    assert {key: served[key] for key in client_rules()} == client_rules()
    assert served["accounts"]["1"]["counting"] == "twitter" and served["accounts"]["2"]["counting"] == "graphemes"
    assert [served["accounts"][str(a.pk)]["limit"] for a in accounts] == [counting_for("twitter").limit, 300]
