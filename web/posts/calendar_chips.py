"""The calendar's chips: one per post group and time (or per post without a group), with its deliveries.

A group written once for three accounts is three Posts; at one time they are one chip with three
network icons, expandable into a row per delivery. A delivery moved to another time is its own chip
there. Each delivery has a *look* — held, handed to Buffer, needs approval, failed, published… — a
word, an icon (the badge's CSS) and a colour, never colour alone; a chip shows its most urgent one.

Pure over the rows of `posts.selectors.calendar_page_for` (or `calendar_days`, whose rows lack the
group and media columns: each post is then its own chip).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from accounts.models import Platform
from media_library.models import MediaItem
from posts.models import Post, PostStatus

_PLATFORM_LABELS = dict(Platform.choices)
_STATUS_LABELS = dict(PostStatus.choices)
# A media URL is taken for an image unless its path says video (the composer's thumbnails guess alike).
_VIDEO_SUFFIXES = (".mp4", ".mov", ".m4v", ".webm", ".avi")
# Enough for the widest chip; the chip's CSS cuts it where it stops fitting (ellipsis).
FIRST_LINE_MAX = 200
QUEUED = "In Buffer\u2019s queue"  # the typographic apostrophe, as the post list's badge writes it


@dataclass(frozen=True)
class Look:
    key: str  # the badge's class is status-<key>: its icon and colour (static/css/app.css, calendar.css)
    label: str
    hint: str  # what it means, for the title and the legend
    legend: str = ""  # the legend's word when it differs from the badge's

    @property
    def legend_label(self) -> str:
        return self.legend or self.label


# Most urgent first: a chip of several deliveries wears the first look any of them has.
LOOKS = {
    look.key: look
    for look in (
        Look("failed", "Failed", "Publishing failed: open the post to see why"),
        Look("held", "Held", "Due but not going out (inactive account, paused campaign) until the reason is cleared"),
        Look("pending_approval", "Needs approval", "Waiting for a manager's approval: it does not go out before"),
        Look("rejected", "Rejected", "A reviewer sent it back: edit it and submit it again"),
        Look("reconciling", "Reconciling", "Asking Buffer whether it went out"),
        Look("publishing", "Publishing", "Being published now"),
        Look("draft", "Draft", "Not scheduled: it does not go out"),
        Look("queued", QUEUED, "Buffer, not SocialHub, publishes it at its time", legend="Handed to Buffer"),
        Look("scheduled", "Scheduled", "SocialHub publishes it at its time"),
        Look("published", "Published", "Out on the network"),
        Look("cancelled", "Cancelled", "Stopped: it does not go out"),
    )
}
_RANK = {key: rank for rank, key in enumerate(LOOKS)}


def look_key(*, status: str, hold_reason: str, in_buffer_queue: bool, awaits_approval: bool, rejected: bool) -> str:
    """The one rule, for `.values()` rows and Post instances alike (the reschedule answer uses it too)."""
    if rejected:
        return "rejected"
    if status == PostStatus.SCHEDULED:
        if hold_reason:
            return "held"
        if awaits_approval:
            return "pending_approval"
        if in_buffer_queue:
            return "queued"
    return status if status in LOOKS else "scheduled"


def look_rank(key: str) -> int:
    return _RANK.get(key, len(_RANK))


def chip_look_answer(post: Post) -> dict:
    """The look a post's chip takes after a change: the reschedule answer's, for calendar.js to redraw it."""
    key = look_key(
        status=post.status,
        hold_reason=post.hold_reason,
        in_buffer_queue=post.in_buffer_queue,
        awaits_approval=post.awaits_approval,
        rejected=post.is_rejected,
    )
    look = LOOKS[key]
    return {"look": key, "look_label": look.label, "look_hint": look.hint, "look_rank": look_rank(key)}


@dataclass
class Delivery:
    id: int
    platform: str
    platform_label: str
    account: str
    status: str
    look: Look
    hold_reason: str
    from_publisher: bool

    @property
    def rank(self) -> int:
        return look_rank(self.look.key)


@dataclass
class Chip:
    """What the chip's link, time and drag stand for is its lead delivery (the first by time and id)."""

    id: int
    platform: str
    platform_label: str
    status: str
    status_label: str
    local_time: dt.datetime
    content: str
    account: str
    campaign: str
    from_publisher: bool
    in_buffer_queue: bool = False
    rejected: bool = False
    group_id: int | None = None
    thumbnail: str = ""
    deliveries: list[Delivery] = field(default_factory=list)

    @property
    def look(self) -> Look:
        return min(self.deliveries, key=lambda d: d.rank).look if self.deliveries else LOOKS["scheduled"]

    @property
    def rank(self) -> int:
        return look_rank(self.look.key)

    @property
    def hold_reason(self) -> str:
        return next((d.hold_reason for d in self.deliveries if d.look.key == "held"), "")

    @property
    def is_group(self) -> bool:
        return len(self.deliveries) > 1

    @property
    def post_ids(self) -> str:
        return " ".join(str(d.id) for d in self.deliveries)

    @property
    def networks_label(self) -> str:
        return ", ".join(dict.fromkeys(d.platform_label for d in self.deliveries))


def first_line(text: str) -> str:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line[:FIRST_LINE_MAX]


def thumbnail_for(row: dict) -> str:
    """The first library item's picture (its thumbnail, or an image's own file), else the first image URL."""
    if row.get("first_media_picture"):
        # Thumbnails and files share the media storage (media_library.models: neither names another).
        return MediaItem._meta.get_field("file").storage.url(row["first_media_picture"])
    for url in row.get("media_urls") or []:
        if isinstance(url, str) and not urlsplit(url).path.lower().endswith(_VIDEO_SUFFIXES):
            return url
    return ""


def row_look(row: dict) -> Look:
    key = look_key(
        status=row["status"],
        hold_reason=row.get("hold_reason") or "",
        in_buffer_queue=row["in_buffer_queue"],
        awaits_approval=bool(row.get("approval_required")) and row.get("approved_at") is None,
        rejected=row["rejected"],
    )
    return LOOKS[key]


def _delivery(row: dict, *, accounts: dict[int, str], publisher_ids: set[int]) -> Delivery:
    return Delivery(
        id=row["id"],
        platform=row["platform"],
        platform_label=_PLATFORM_LABELS.get(row["platform"], row["platform"]),
        account=accounts.get(row["social_account_id"], ""),
        status=row["status"],
        look=row_look(row),
        hold_reason=row.get("hold_reason") or "",
        from_publisher=row["id"] in publisher_ids,
    )


def _chip(row: dict, delivery: Delivery, *, campaigns: dict[int, str]) -> Chip:
    return Chip(
        id=row["id"],
        platform=delivery.platform,
        platform_label=delivery.platform_label,
        status=row["status"],
        status_label=_STATUS_LABELS.get(row["status"], row["status"]),
        local_time=dt.datetime.fromisoformat(row["scheduled_time"]),
        content=first_line(row["content"]),
        account=delivery.account,
        campaign=campaigns.get(row["campaign_id"], "") if row["campaign_id"] else "",
        from_publisher=delivery.from_publisher,
        in_buffer_queue=row["in_buffer_queue"],
        rejected=row["rejected"],
        group_id=row.get("group_id"),
        thumbnail=thumbnail_for(row),
        deliveries=[delivery],
    )


def chips_for(
    rows: list[dict], *, accounts: dict[int, str], campaigns: dict[int, str], publisher_ids: set[int]
) -> list[Chip]:
    """One chip per (group, local time), or per post without a group; in the rows' order (time, id)."""
    chips: list[Chip] = []
    grouped: dict[tuple[int, str], Chip] = {}
    for row in rows:
        delivery = _delivery(row, accounts=accounts, publisher_ids=publisher_ids)
        group_id = row.get("group_id")
        key = (group_id, row["scheduled_time"]) if group_id is not None else None
        if key is not None and key in grouped:
            grouped[key].deliveries.append(delivery)
            continue
        chip = _chip(row, delivery, campaigns=campaigns)
        chips.append(chip)
        if key is not None:
            grouped[key] = chip
    return chips
