"""How each network shows a post in its feed: the one table the previews read.

Limits, counting and option names are not repeated here: they are `buffer_integration.platforms` /
`buffer_integration.counting` (configuration.json). This table only adds what a reader *sees*: where
the feed folds a long text behind "see more", whether a link becomes a card, how many images the feed
shows before "+N". None of the networks publishes its fold as a number (they fold by rendered lines,
which depend on the screen); the figures below are the ones commonly measured, each comment says by
whom, and a network without a sourced figure has `see_more=None` (the text is shown in full).
"""

from __future__ import annotations

from dataclasses import dataclass

from buffer_integration.platforms import LINK_ATTACHMENT_PLATFORMS, PUBLISHABLE_PLATFORMS


@dataclass(frozen=True)
class FeedFacts:
    family: str  # the template: templates/posts/previews/<family>.html
    see_more: int | None  # characters (graphemes) shown before "… see more"; None: shown in full
    see_more_label: str  # the network's own words for it
    link_card: str | None  # "first" / "last": which link becomes a card when there is no media; None: no card
    layout: str  # "grid" (tiles, "+N" on the last), "carousel" (one at a time, dots), "single"
    grid_max: int  # media tiles the feed shows; the rest become "+N" (a carousel shows 1, counts all)


FACTS: dict[str, FeedFacts] = {
    # X: a standard post (≤ 280, the configuration.json limit) is shown in full; no fold. X makes a card
    # from the site's Twitter Card tags when a post has a URL (developer.x.com/en/docs/x-for-websites/cards:
    # "Our system recognizes when URLs are included"); which link when there are several is not documented,
    # the last one is what is observed. A media post shows no card. Up to 4 images, in a 2 by 2 grid (x_max_images).
    "twitter": FeedFacts("microblog", None, "Show more", "last", "grid", 4),
    # Threads: 500 characters, shown in full (no sourced fold). Buffer sends the link as
    # metadata.threads.linkAttachment (LINK_ATTACHMENT_PLATFORMS): a card of the first link. Several images
    # scroll sideways (a carousel), up to 10 (configuration.json).
    "threads": FeedFacts("microblog", None, "more", "first", "carousel", 10),
    # Bluesky: 300 graphemes, shown in full. The card is the post's external embed, which Buffer makes from
    # linkAttachment (first link). Images: up to 4 in a grid (configuration.json x_max_images).
    "bluesky": FeedFacts("microblog", None, "more", "first", "grid", 4),
    # Mastodon: 500 characters, shown in full. The server cards the first link of a status
    # (mastodon/mastodon app/services/fetch_link_card_service.rb: `urls.reject { ... }.first`), and its
    # web UI shows the card only when the status has no media. Up to 4 images in a grid.
    "mastodon": FeedFacts("microblog", None, "Read more", "first", "grid", 4),
    # Facebook: folds at about 477 characters on desktop (third-party counters: posthell.com, socialk.it,
    # boldlytype.com; Facebook publishes no number, mobile folds earlier). Link preview of the first link
    # (Buffer's linkAttachment). Several photos: a collage of 5 tiles, "+N" on the last (observed, not documented).
    "facebook": FeedFacts("feed", 477, "See more", "first", "grid", 5),
    # LinkedIn: folds after 3 rendered lines (John Espirian, "See more breakpoints", 2024); about 210
    # characters on desktop (web-3-apps.com, boltpost.app); LinkedIn publishes no number. Link preview of
    # the first link (linkAttachment). Several images: up to 4 tiles, "+N" (observed, not documented).
    "linkedin": FeedFacts("feed", 210, "see more", "first", "grid", 4),
    # Instagram: the caption folds at about 125 characters ("… more"; charactercounter.com, bulkpublish.com;
    # not published by Instagram). Links in captions are not clickable and make no card
    # (configuration.json link_attachments: false). Several images: a carousel of up to 10.
    "instagram": FeedFacts("instagram", 125, "more", None, "carousel", 10),
    # Pinterest: one image per pin (x_max_images 1); the title is the pin's headline. No sourced figure for
    # how much of the description a pin shows: shown in full. A link is the pin's destination, not a card.
    "pinterest": FeedFacts("pinterest", None, "more", None, "single", 1),
    # YouTube: one video with its title; how much of the description shows before "more" is not sourced:
    # shown in full. No link cards.
    "youtube": FeedFacts("youtube", None, "more", None, "single", 1),
    # Google Business Profile: one photo (x_max_images 1); a link becomes the post's button, not a card;
    # no sourced fold: shown in full.
    "googlebusiness": FeedFacts("googlebusiness", None, "more", None, "single", 1),
}
assert set(FACTS) == PUBLISHABLE_PLATFORMS, "posts.previews.networks.FACTS must cover every publishable network"
assert {p for p, f in FACTS.items() if f.link_card} >= LINK_ATTACHMENT_PLATFORMS, "Buffer's link cards are shown"

# The words a preview shows for the options that pick a post type.
INSTAGRAM_TYPE_LABELS = {"post": "Post", "story": "Story", "reel": "Reel"}
GOOGLE_TYPE_LABELS = {"whats_new": "What's new", "offer": "Offer", "event": "Event"}


def facts_for(platform: str) -> FeedFacts:
    return FACTS[platform]
