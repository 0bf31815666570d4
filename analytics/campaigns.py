"""A campaign's analytics, aggregated in the database from its posts' latest snapshots."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Coalesce, TruncDate

from analytics.engagement import engagement_rate
from analytics.selectors import analytics_latest_snapshots
from campaigns.models import Campaign
from posts.models import PostStatus
from posts.selectors import campaign_posts

TOP_POSTS = 5
_METRICS = ("views", "likes", "shares", "comments", "clicks")


def _sums() -> dict:
    return {"posts": Count("id"), **{name: Coalesce(Sum(name), Value(0)) for name in _METRICS}}


def _with_rate(row: Mapping[str, Any]) -> dict[str, Any]:
    rate = engagement_rate(views=row["views"], likes=row["likes"], shares=row["shares"], comments=row["comments"])
    return {**row, "engagement_rate": rate}


def _totals(rows: list[dict]) -> dict:
    totals = {name: sum(row[name] for row in rows) for name in ("posts", *_METRICS)}
    return _with_rate(totals)


def campaign_analytics(*, campaign: Campaign, tz: dt.tzinfo) -> dict:
    """The campaign's numbers from each post's latest snapshot: four aggregate queries, whatever its size.

    Totals are the sum of the per-platform rows, which saves a query. Days group posts by when they
    were published (else scheduled, else created) in `tz`, so a day shows how that day's posts did.
    """
    snapshots = analytics_latest_snapshots().filter(post__campaign=campaign, post__workspace_id=campaign.workspace_id)

    by_platform = [
        _with_rate(row)
        for row in snapshots.values(platform=F("post__platform")).annotate(**_sums()).order_by("platform")
    ]
    day = TruncDate(Coalesce("post__published_at", "post__scheduled_time", "post__created_at"), tzinfo=tz)
    by_day = [
        _with_rate(row) for row in snapshots.annotate(date=day).values("date").annotate(**_sums()).order_by("date")
    ]
    # Every post, analysed or not, by (platform, status): one query gives both breakdowns.
    counts: dict[str, int] = {}
    per_platform: dict[str, int] = {}
    for platform, status, n in (
        campaign_posts(campaign=campaign).order_by().values_list("platform", "status").annotate(n=Count("id"))
    ):
        counts[status] = counts.get(status, 0) + n
        per_platform[platform] = per_platform.get(platform, 0) + n
    top_posts = (
        snapshots.annotate(engagements=F("likes") + F("shares") + F("comments"))
        .select_related("post")
        .order_by("-engagements", "-engagement_rate", "post_id")[:TOP_POSTS]
    )
    return {
        "campaign_id": campaign.pk,
        "post_count": sum(counts.values()),
        "posts_by_status": {status: counts.get(status, 0) for status in PostStatus.values},
        # All posts per platform (`by_platform` counts only those with analytics); the web page shows both.
        "posts_by_platform": dict(sorted(per_platform.items())),
        "totals": _totals(by_platform),
        "by_platform": by_platform,
        "by_day": by_day,
        "top_posts": [
            {
                "post_id": snapshot.post_id,
                "platform": snapshot.post.platform,
                "status": snapshot.post.status,
                "content": snapshot.post.content,
                "views": snapshot.views,
                "likes": snapshot.likes,
                "shares": snapshot.shares,
                "comments": snapshot.comments,
                "engagements": snapshot.engagements,
                "engagement_rate": Decimal(snapshot.engagement_rate),
            }
            for snapshot in top_posts
        ],
    }
