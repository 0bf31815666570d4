"""How each network counts the length of a post, and its limit: the one counting rule.

The numbers (limits, link lengths, which way a network counts) come from the limits table,
`buffer_integration/data/configuration.json` (via `platforms.network_limits`). Everything that
measures a text uses `weighted_length`: the posts API and worker (`posts.text`), the Buffer sandbox
(which refuses what Buffer would) and the composer's live counter, whose JavaScript gets the
patterns and weights from `client_rules()` (served in the page) and is checked against this module
on a corpus by a browser test. Pure: no Django.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

import regex

from buffer_integration.platforms import network_limits

# An http(s) link up to whitespace, leaving trailing punctuation to the sentence (as twitter-text does).
URL_RE = regex.compile(r"""https?://\S+?(?=[.,:;!?'")\]]*(?:\s|$))""", regex.IGNORECASE)
GRAPHEME_RE = regex.compile(r"\X")
# A grapheme cluster shown as an emoji: pictographs, skin tones, ZWJ families, flags, keycaps, VS16.
EMOJI_CLUSTER_RE = regex.compile(r"[\p{Emoji_Presentation}\p{Regional_Indicator}\u20E3\uFE0F]")

# twitter-text v3: code points in these ranges weigh 1, every other one 2; an emoji weighs 2 in all.
TWITTER_LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
TWITTER_EMOJI_WEIGHT = 2
DEFAULT_TWITTER_URL_LENGTH = 23


@dataclass(frozen=True)
class Counting:
    """How `platform` counts: `way` is "twitter", "graphemes" or "characters"; links as `url_length`."""

    name: str
    limit: int | None
    way: str
    url_length: int | None


def counting_for(platform: str, service_type: str = "profile") -> Counting:
    limits = network_limits(platform, service_type)
    return Counting(
        name=limits.get("name", platform),
        limit=limits.get("character_limit"),
        way=limits.get("x_counting", "characters"),
        url_length=limits.get("short_url_length_https") or limits.get("short_url_length"),
    )


def _code_point_weight(char: str) -> int:
    point = ord(char)
    return 1 if any(low <= point <= high for low, high in TWITTER_LIGHT_RANGES) else 2


def twitter_weight(text: str, *, url_length: int = DEFAULT_TWITTER_URL_LENGTH) -> int:
    """Length as X/Twitter counts it (twitter-text v3): NFC, weighted code points, links as `url_length`."""
    text = unicodedata.normalize("NFC", text)
    urls = len(URL_RE.findall(text))
    total = urls * url_length
    for cluster in GRAPHEME_RE.findall(URL_RE.sub("", text)):
        if EMOJI_CLUSTER_RE.search(cluster):
            total += TWITTER_EMOJI_WEIGHT
        else:
            total += sum(_code_point_weight(char) for char in cluster)
    return total


def grapheme_count(text: str) -> int:
    """What a reader sees as one character each (Bluesky's unit): combining marks and flags count once."""
    return len(GRAPHEME_RE.findall(text))


def character_count(text: str, *, url_length: int | None = None) -> int:
    """Code points; with `url_length` every link counts that much (Mastodon)."""
    if url_length is None:
        return len(text)
    return len(URL_RE.sub("", text)) + url_length * len(URL_RE.findall(text))


def weighted_length(text: str, platform: str, service_type: str = "profile") -> int:
    """The length `platform` holds against its `character_limit`."""
    counting = counting_for(platform, service_type)
    if counting.way == "twitter":
        return twitter_weight(text, url_length=counting.url_length or DEFAULT_TWITTER_URL_LENGTH)
    if counting.way == "graphemes":
        return grapheme_count(text)
    return character_count(text, url_length=counting.url_length)


def client_rules() -> dict[str, Any]:
    """What a client-side counter needs to count as `weighted_length` does (its limits: `counting_for`)."""
    return {
        "url_pattern": URL_RE.pattern,
        "emoji_pattern": EMOJI_CLUSTER_RE.pattern,
        "twitter_light_ranges": TWITTER_LIGHT_RANGES,
        "twitter_emoji_weight": TWITTER_EMOJI_WEIGHT,
        "twitter_url_length": DEFAULT_TWITTER_URL_LENGTH,
    }
