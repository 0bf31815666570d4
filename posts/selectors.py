"""Reads of posts beyond a plain filtered list: the calendar grouped by local day, a campaign's posts."""

from __future__ import annotations

import datetime as dt
from typing import cast
from zoneinfo import ZoneInfo

from django.db.models import Case, CharField, F, OuterRef, Q, QuerySet, Subquery, Value, When

from campaigns.models import Campaign
from media_library.models import MediaKind
from posts.models import Post, PostMedia, PostQuerySet, PostStatus, is_in_buffer_queue

CALENDAR_FIELDS = (
    "id",
    "content",
    "status",
    "platform",
    "scheduled_time",
    "social_account_id",
    "campaign_id",
    "network_options",
    "buffer_update_id",
    "rejected_at",
)
# The web calendar's chips: the fields above, and the group, hold and approval state and the first media.
CALENDAR_PAGE_FIELDS = (
    *CALENDAR_FIELDS,
    "group_id",
    "hold_reason",
    "approval_required",
    "approved_at",
    "media_urls",
    "first_media_picture",
)


def _local_midnight(day: dt.date, tz: ZoneInfo) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=tz)


def calendar_for(
    *, workspace, start_date: dt.date, end_date: dt.date, tz: ZoneInfo, posts: QuerySet[Post] | None = None
) -> list[dict]:
    """Every day from start_date to end_date (inclusive, days of `tz`) with its posts and counts per status.

    One query. `posts` narrows further (the list filters); it is always limited to the workspace's posts.
    Days are local, so a DST change only makes one day 23 or 25 hours long.
    """
    base = posts if posts is not None else Post.objects.all()
    queryset = cast(PostQuerySet, base).in_workspace(workspace)  # Post's querysets are PostQuerySets (Post.objects)
    return calendar_days(posts=queryset, start_date=start_date, end_date=end_date, tz=tz)


def calendar_page_for(
    *, workspace, start_date: dt.date, end_date: dt.date, tz: ZoneInfo, posts: QuerySet[Post]
) -> list[dict]:
    """`calendar_for` with what the web calendar's chips show besides: group, hold, approval, first media.

    Still one query: the first library item (by position) comes in as a subquery column, so a month costs
    the same whatever the number of posts, groups or media. The API's shape (`calendar_for`) is unchanged.
    """
    # The first library item's thumbnail, or an image's own file when it has none: one subquery a row.
    picture = Case(
        When(~Q(media__thumbnail=""), then=F("media__thumbnail")),
        When(media__kind=MediaKind.IMAGE, then=F("media__file")),
        default=Value(""),
        output_field=CharField(),
    )
    first_picture = PostMedia.objects.filter(post=OuterRef("pk")).order_by("position").annotate(picture=picture)
    scoped: QuerySet[Post] = cast(PostQuerySet, posts).in_workspace(workspace)
    queryset = scoped.annotate(first_media_picture=Subquery(first_picture.values("picture")[:1]))
    return calendar_days(posts=queryset, start_date=start_date, end_date=end_date, tz=tz, fields=CALENDAR_PAGE_FIELDS)


def calendar_days(
    *,
    posts: QuerySet[Post],
    start_date: dt.date,
    end_date: dt.date,
    tz: ZoneInfo,
    fields: tuple[str, ...] = CALENDAR_FIELDS,
) -> list[dict]:
    """`calendar_for` over posts already scoped by the caller (e.g. a client review link's). One query."""
    rows = (
        posts.filter(
            scheduled_time__gte=_local_midnight(start_date, tz),
            scheduled_time__lt=_local_midnight(end_date + dt.timedelta(days=1), tz),
        )
        .order_by("scheduled_time", "id")
        .values(*fields)
    )
    days: dict[dt.date, dict] = {}
    day = start_date
    while day <= end_date:
        days[day] = {"date": day.isoformat(), "total": 0, "counts": dict.fromkeys(PostStatus.values, 0), "posts": []}
        day += dt.timedelta(days=1)
    for row in rows:
        local = row["scheduled_time"].astimezone(tz)
        entry = days[local.date()]
        queued = is_in_buffer_queue(row["status"], row.pop("buffer_update_id"))
        rejected = row.pop("rejected_at") is not None and row["status"] == PostStatus.DRAFT
        entry["posts"].append(
            {**row, "scheduled_time": local.isoformat(), "in_buffer_queue": queued, "rejected": rejected}
        )
        entry["counts"][row["status"]] += 1
        entry["total"] += 1
    return list(days.values())


def campaign_posts(*, campaign: Campaign) -> QuerySet[Post]:
    # Scoped by workspace too: the campaign foreign key alone would not stop a stray post of another workspace.
    return Post.objects.filter(campaign=campaign, workspace_id=campaign.workspace_id)
