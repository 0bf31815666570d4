"""Deterministic fake data: ids, follower counts, post statistics, service links, audience.

Everything is derived from sha256 of stable inputs (token, profile id, update id) so the same
request sequence always yields the same answers — tests can assert exact values and a restarted
sandbox agrees with its earlier self.
"""

from __future__ import annotations

import hashlib

TWITTER_STATS = ("reach", "clicks", "retweets", "favorites", "mentions")
OTHER_STATS = ("reach", "clicks", "likes", "comments", "shares")

_LINKS = {
    "twitter": "https://twitter.com/sandbox_twitter/status/{id}",
    "facebook": "https://www.facebook.com/sandbox_facebook/posts/{id}",
    "instagram": "https://www.instagram.com/p/{id}/",
    "linkedin": "https://www.linkedin.com/feed/update/urn:li:share:{id}/",
    "mastodon": "https://mastodon.social/@sandbox_mastodon/{id}",
    "bluesky": "https://bsky.app/profile/sandbox_bluesky.bsky.social/post/{id}",
    "threads": "https://www.threads.net/@sandbox_threads/post/{id}",
    "pinterest": "https://www.pinterest.com/pin/{id}/",
    "tiktok": "https://www.tiktok.com/@sandbox_tiktok/video/{id}",
    "youtube": "https://www.youtube.com/shorts/{id}",
    "googlebusiness": "https://business.google.com/posts/{id}",
}
_PROFILE_URLS = {
    "twitter": "https://twitter.com/{u}",
    "facebook": "https://www.facebook.com/{u}",
    "instagram": "https://www.instagram.com/{u}/",
    "linkedin": "https://www.linkedin.com/in/{u}/",
    "mastodon": "https://mastodon.social/@{u}",
    "bluesky": "https://bsky.app/profile/{u}.bsky.social",
    "threads": "https://www.threads.net/@{u}",
    "pinterest": "https://www.pinterest.com/{u}/",
    "tiktok": "https://www.tiktok.com/@{u}",
    "youtube": "https://www.youtube.com/@{u}",
    "googlebusiness": "https://www.google.com/maps/search/{u}",
}
_AUDIENCE = [
    ("ada_l", "Ada Lovelace"),
    ("grace_h", "Grace Hopper"),
    ("alan_t", "Alan Turing"),
    ("katherine_j", "Katherine Johnson"),
    ("linus_t", "Linus Torvalds"),
    ("margaret_h", "Margaret Hamilton"),
]
_COMMENTS = [
    "Love this!",
    "Great post, thanks for sharing.",
    "Where can I read more about this?",
    "This made my day 🙌",
    "Interesting take — I'm not sure I agree though.",
    "Bookmarked.",
]


def digest(*parts: object) -> str:
    return hashlib.sha256(":".join(str(p) for p in parts).encode()).hexdigest()


def number(*parts: object, modulo: int) -> int:
    """A stable integer in [0, modulo) for the given inputs."""
    return int(digest(*parts)[:12], 16) % modulo


def hex_id(*parts: object) -> str:
    """A 24-char lowercase hex id (Buffer ids are MongoDB ObjectIds)."""
    return digest(*parts)[:24]


def object_id(timestamp: int, *parts: object) -> str:
    """An ObjectId-shaped id: 8 hex of creation time + 16 hex of hash, so ids sort by age like Mongo's."""
    return f"{timestamp & 0xFFFFFFFF:08x}" + digest(*parts)[:16]


def digits(*parts: object, length: int = 19) -> str:
    """A native-looking numeric id (tweet ids are 19 digits)."""
    return str(int(digest(*parts), 16))[:length]


def user_id(token: str) -> str:
    return hex_id(token)


def profile_id(token: str, service: str) -> str:
    return digest(f"{token}:{service}")[:24]


def organization_id(user_id: str, index: int = 0) -> str:
    # The first organization keeps the id it had before an account could have several.
    return hex_id(user_id, "organization") if index == 0 else hex_id(user_id, "organization", index)


def organization_name(index: int) -> str:
    return "Sandbox Organization" if index == 0 else f"Sandbox Organization {index + 1}"


def followers(profile_id_: str) -> int:
    return 100 + number(profile_id_, "followers", modulo=9900)


def update_statistics(update_id: str, service: str, comment_count: int) -> dict[str, int]:
    """Post metrics; `comments`/`mentions` match the seeded comment count so the numbers hang together."""
    keys = TWITTER_STATS if service == "twitter" else OTHER_STATS
    stats = {key: number(update_id, key, modulo=50) for key in keys}
    stats["reach"] = 100 + number(update_id, "reach", modulo=4900)
    stats["clicks"] = number(update_id, "clicks", modulo=200)
    stats["mentions" if service == "twitter" else "comments"] = comment_count
    return stats


def service_update_id(update_id: str) -> str:
    return digits(update_id, "native")


def service_link(service: str, native_id: str) -> str:
    return _LINKS.get(service, "https://example.invalid/" + service + "/{id}").format(id=native_id)


def seeded_comment_count(update_id: str) -> int:
    return number(update_id, "comments", modulo=4)


def seeded_comment_text(update_id: str, index: int) -> str:
    return _COMMENTS[number(update_id, "comment-text", index, modulo=len(_COMMENTS))]


def audience_member(service: str, *parts: object) -> dict[str, str]:
    """An interaction author; `parts` pick one of a small fixed cast."""
    username, name = _AUDIENCE[number(*parts, "author", modulo=len(_AUDIENCE))]
    return author(service, username, name)


def author(service: str, username: str, name: str | None = None) -> dict[str, str]:
    avatar = f"https://avatars.sandbox.invalid/{username}.png"
    return {
        "username": username,
        "name": name or username,
        "avatar": avatar.replace("https://", "http://"),
        "avatar_https": avatar,
        "profile_url": _PROFILE_URLS.get(service, "https://example.invalid/{u}").format(u=username),
    }


def shares(url: str) -> int:
    """links/shares.json: "www will be stripped, but other subdomains will not" (reference §5.5)."""
    return number(url.replace("://www.", "://", 1), "shares", modulo=50000)
