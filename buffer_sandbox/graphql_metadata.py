"""`Post.metadata`: the createPost / editPost `metadata` input, read back as Buffer's output types.

The input (`PostInputMetaData.<service>`) is stored as sent; reading it back turns it into the
`PostMetadata` union member of the post's network, with Buffer's documented defaults where the input
left a field out (YouTube privacy public, notify subscribers and embeddable on; types `post`).
"""

from __future__ import annotations

from typing import Any

from buffer_sandbox.graphql_rules import metadata_of

YOUTUBE_CATEGORIES = {
    "1": "Film & Animation",
    "2": "Autos & Vehicles",
    "10": "Music",
    "15": "Pets & Animals",
    "17": "Sports",
    "19": "Travel & Events",
    "20": "Gaming",
    "22": "People & Blogs",
    "23": "Comedy",
    "24": "Entertainment",
    "25": "News & Politics",
    "26": "Howto & Style",
    "27": "Education",
    "28": "Science & Technology",
    "29": "Nonprofits & Activism",
}
_TYPENAMES = {
    "instagram": "InstagramPostMetadata",
    "facebook": "FacebookPostMetadata",
    "linkedin": "LinkedInPostMetadata",
    "twitter": "TwitterPostMetadata",
    "pinterest": "PinterestPostMetadata",
    "googlebusiness": "GoogleBusinessPostMetadata",
    "youtube": "YoutubePostMetadata",
    "mastodon": "MastodonPostMetadata",
    "tiktok": "TiktokPostMetadata",
    "threads": "ThreadsPostMetadata",
    "bluesky": "BlueskyPostMetadata",
}


def _link(block: dict) -> dict | None:
    url = (block.get("linkAttachment") or {}).get("url")
    if not url:
        return None
    return {"url": url, "expandedUrl": url, "text": "", "thumbnails": [], "thumbnail": None, "title": url}


def _thread(block: dict) -> dict[str, Any]:
    parts: list[dict[str, Any]] = [
        {"text": p.get("text") or "", "assets": [], "linkAttachment": None} for p in block.get("thread") or []
    ]
    return {"thread": parts, "threadCount": len(parts)}


def post_metadata(service: str, stored: dict, boards: list[dict]) -> dict | None:
    """The PostMetadata member for `service`; `boards` are the channel's Pinterest boards."""
    typename = _TYPENAMES.get(service)
    if typename is None:
        return None
    block = metadata_of(service, {"metadata": stored})
    out: dict[str, Any] = {"__typename": typename, "type": block.get("type") or "post", "annotations": []}
    if service == "instagram":
        out.update(
            firstComment=block.get("firstComment"),
            link=block.get("link"),
            geolocation=None,
            shouldShareToFeed=block.get("shouldShareToFeed", True),
            stickerFields=None,
        )
    elif service in ("facebook", "linkedin"):
        out.update(firstComment=block.get("firstComment"), linkAttachment=_link(block), title=None)
    elif service in ("twitter", "mastodon"):
        out.update(_thread(block), retweet=None, isAiGenerated=bool(block.get("isAiGenerated")))
        out["spoilerText"] = block.get("spoilerText")
    elif service in ("threads", "bluesky"):
        out.update(_thread(block), linkAttachment=_link(block), topic=block.get("topic"))
        out.update(locationId=block.get("locationId"), locationName=block.get("locationName"))
    elif service == "pinterest":
        board = next((b for b in boards if b["serviceId"] == block.get("boardServiceId")), None)
        out.update(title=block.get("title"), url=block.get("url"), board=board)
    elif service == "googlebusiness":
        out.update(type=block.get("type") or "whats_new", title=block.get("title"), details=None)
    elif service == "youtube":
        category = block.get("categoryId")
        out.update(
            type="short",
            title=block.get("title"),
            privacy=block.get("privacy") or "public",
            category={"categoryId": category, "title": YOUTUBE_CATEGORIES.get(category, "")} if category else None,
            license=block.get("license") or "youtube",
            notifySubscribers=block.get("notifySubscribers", True),
            embeddable=block.get("embeddable", True),
            madeForKids=bool(block.get("madeForKids")),
            isAiGenerated=bool(block.get("isAiGenerated")),
        )
    elif service == "tiktok":
        out.update(title=block.get("title"), isAiGenerated=bool(block.get("isAiGenerated")))
    return out
