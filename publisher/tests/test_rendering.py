"""Payload → post per post type and network: extraction, adaptation as warnings, strict as errors."""

from __future__ import annotations

from buffer_integration.counting import weighted_length
from publisher.rendering import ELLIPSIS, extract_content, render_delivery

LINK = "https://example.com/articles/42"
LONG = " ".join(["word"] * 120)  # 599 characters: too long for X


def test_extract_reads_the_usual_keys_and_ignores_others():
    content = extract_content(
        {
            "title": "Title",
            "body": "<p>Body &amp; more</p>",
            "url": "https://example.com/u",
            "field-image": "https://example.com/a.jpg",
            "images": ["https://example.com/b.png", {"url": "https://example.com/c.gif"}],
            "video": "https://example.com/v.mp4",
            "custom": {"kept": True},
        }
    )
    assert content.message == "Body & more"  # body before title
    assert content.link == "https://example.com/u"
    assert content.images == ("https://example.com/a.jpg", "https://example.com/b.png", "https://example.com/c.gif")
    assert content.videos == ("https://example.com/v.mp4",)
    assert content.ignored == ()


def test_content_source_link_wins_and_bad_urls_are_noted():
    content = extract_content(
        {"message": "m", "link": "https://x.example/", "image": "a.jpg"}, content_source_link=LINK
    )
    assert content.link == LINK
    assert content.ignored == ("Ignored image 'a.jpg': not an http(s) URL.",)
    assert extract_content("just text").message == "just text"
    assert extract_content([1, 2]).message == ""


def test_fits_unchanged():
    content = extract_content(
        {"message": "Look at that", "field-image": "https://example.com/a.jpg"}, content_source_link=LINK
    )
    rendering = render_delivery(content, kind="IMAGE", platform="twitter")
    assert rendering.kind == "IMAGE"
    assert rendering.text == f"Look at that\n\n{LINK}"
    assert rendering.media_urls == ["https://example.com/a.jpg"]
    assert rendering.warnings == rendering.errors == []


def test_too_long_is_shortened_at_a_word_boundary_keeping_the_link():
    rendering = render_delivery(
        extract_content({"message": LONG}, content_source_link=LINK), kind="LINK", platform="twitter"
    )
    assert rendering.text.endswith(f"word{ELLIPSIS}\n\n{LINK}")
    assert weighted_length(rendering.text, "twitter") <= 280
    assert rendering.warnings == ["Text shortened at a word boundary to Twitter's limit of 280 (was 624)."]
    assert rendering.errors == []


def test_one_long_word_is_cut_mid_word():
    rendering = render_delivery(extract_content("x" * 400), kind="STATUS", platform="twitter")
    assert rendering.text == "x" * 278 + ELLIPSIS  # the ellipsis weighs 2 on X


def test_media_the_network_cannot_take_is_dropped():
    images = [f"https://example.com/{n}.jpg" for n in range(5)] + ["https://example.com/doc.pdf"]
    rendering = render_delivery(extract_content({"message": "m", "images": images}), kind="IMAGE", platform="twitter")
    assert rendering.media_urls == images[:4]
    assert rendering.warnings == [
        "Dropped https://example.com/doc.pdf: Twitter takes no such image file type.",
        "Twitter takes at most 4 image(s) per post: dropped 1.",
    ]


def test_fallbacks_image_to_link_to_status():
    with_link = render_delivery(
        extract_content({"message": "m"}, content_source_link=LINK), kind="IMAGE", platform="facebook"
    )
    assert (with_link.kind, with_link.text) == ("LINK", f"m\n\n{LINK}")
    assert with_link.warnings == ["No image Facebook can take: posted as a LINK post instead."]
    without = render_delivery(extract_content({"message": "m"}), kind="VIDEO", platform="facebook")
    assert (without.kind, without.text) == ("STATUS", "m")
    link_only = render_delivery(extract_content({"message": "m"}), kind="LINK", platform="facebook")
    assert link_only.warnings == ["No link in the payload: posted as a STATUS post instead."]


def test_status_posts_leave_the_link_out():
    rendering = render_delivery(
        extract_content({"message": "m"}, content_source_link=LINK), kind="STATUS", platform="facebook"
    )
    assert rendering.text == "m" and rendering.warnings == []


def test_network_rules_that_adaptation_cannot_meet_are_errors():
    rendering = render_delivery(
        extract_content({"message": "m"}, content_source_link=LINK), kind="IMAGE", platform="instagram"
    )
    assert rendering.errors == ["Instagram requires at least one image or video."]
    empty = render_delivery(extract_content({"custom": 1}), kind="STATUS", platform="facebook")
    assert empty.errors[0].startswith("Nothing to post")


def test_strict_turns_every_change_into_an_error_and_changes_nothing():
    content = extract_content({"message": LONG, "images": [f"https://example.com/{n}.jpg" for n in range(5)]})
    rendering = render_delivery(content, kind="IMAGE", platform="twitter", strict=True)
    assert rendering.media_urls == [] and rendering.text == LONG
    assert rendering.warnings == []
    assert rendering.errors == [
        "Not allowed with strict: Twitter takes at most 4 image(s) per post: dropped 1.",
        "Not allowed with strict: Text shortened at a word boundary to Twitter's limit of 280 (was 599).",
    ]
