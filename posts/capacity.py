"""The day-capacity rule: no day gets more posts than the workspace's Buffer key can publish in a day.

Every post of a workspace goes out through its active Buffer config's key, whose daily request budget
(`buffer_integration.budget`, from the config's plan) is shared by everything the key does. A day
planned beyond `posts_per_day` would leave posts waiting for the next day's budget, so the API refuses
it (400 on `scheduled_time`) and the calendar and composer warn before. Days are calendar days of `tz`
(the person planning: the caller, or the post's creator), like campaign dates. v1 keys have no daily
limit (60 / minute only): no rule.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from buffer_integration.budget import posts_per_day
from buffer_integration.services import active_buffer_config
from posts.models import Post, PostStatus

# Posts that will use, or have used, a day's budget (a post waiting for approval will once approved).
COUNTED = (
    PostStatus.SCHEDULED,
    PostStatus.PENDING_APPROVAL,
    PostStatus.PUBLISHING,
    PostStatus.RECONCILING,
    PostStatus.PUBLISHED,
)
# New or moved posts the rule checks: they will go out at their time (once approved, for a waiting one).
PLANNED = (PostStatus.SCHEDULED, PostStatus.PENDING_APPROVAL)


def day_capacity(*, workspace: Any) -> int | None:
    """Posts a day can carry on the workspace's Buffer key; None when there is no daily limit (or no key)."""
    config = active_buffer_config(workspace=workspace)
    if config is None:
        return None
    return posts_per_day(config.api, config.plan)


def posts_per_local_day(
    *, workspace: Any, tz: ZoneInfo, days: Iterable[dt.date], exclude: Iterable[int] = ()
) -> Counter:
    """How many counted posts the workspace has on each of `days` (calendar days of `tz`), in one query."""
    days = sorted(set(days))
    if not days:
        return Counter()
    start = dt.datetime.combine(days[0], dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    times = (
        Post.objects.filter(workspace=workspace, status__in=COUNTED, scheduled_time__gte=start, scheduled_time__lt=end)
        .exclude(pk__in=list(exclude))
        .values_list("scheduled_time", flat=True)
    )
    wanted = set(days)
    return Counter(day for day in (timezone.localtime(t, tz).date() for t in times) if day in wanted)


def over_capacity_message(*, day: dt.date, capacity: int, planned: int) -> str:
    return (
        f"{day} would have {planned} posts, more than the {capacity} a day your Buffer key's daily request "
        f"budget can publish (its plan's requests per 24 h): pick another day, or set your Buffer plan "
        f"in Settings if it is larger."
    )


def day_capacity_errors(
    *, workspace: Any, tz: ZoneInfo, posts: list[Post], exclude: Iterable[int] = ()
) -> dict[int, dict[str, list[str]]]:
    """{index in `posts`: errors} for each scheduled post that takes its day past the key's capacity.

    `posts` are the new or moved posts (unsaved or with their new time); `exclude` the ids whose stored
    time must not be counted (a post being moved). Within a batch, the first posts of a day fit and
    the rest are refused.
    """
    capacity = day_capacity(workspace=workspace)
    if capacity is None:
        return {}
    placed = [
        (index, timezone.localtime(post.scheduled_time, tz).date())
        for index, post in enumerate(posts)
        if post.status in PLANNED and post.scheduled_time is not None
    ]
    counts = posts_per_local_day(workspace=workspace, tz=tz, days=(day for _, day in placed), exclude=exclude)
    errors: dict[int, dict[str, list[str]]] = {}
    for index, day in placed:
        counts[day] += 1
        if counts[day] > capacity:
            message = over_capacity_message(day=day, capacity=capacity, planned=counts[day])
            errors[index] = {"scheduled_time": [message]}
    return errors


def time_capacity_errors(
    *, workspace: Any, tz: ZoneInfo, scheduled_time: dt.datetime | None, moving: int | None = None
) -> dict:
    """The rule for one post (re)scheduled at `scheduled_time`; `moving` is its id when it already exists."""
    if scheduled_time is None:
        return {}
    probe = Post(status=PostStatus.SCHEDULED, scheduled_time=scheduled_time)
    return day_capacity_errors(workspace=workspace, tz=tz, posts=[probe], exclude=[moving] if moving else []).get(0, {})


# Days at or above this share of the capacity are flagged in the calendar and the composer.
WARN_SHARE = 0.8


def capacity_warnings(*, workspace: Any, tz: ZoneInfo, start: dt.date, end: dt.date) -> dict | None:
    """What the calendar and the composer show: the capacity and the days from `start` to `end` near or
    over it. None when there is nothing to say (no daily limit, or no day near it)."""
    capacity = day_capacity(workspace=workspace)
    if capacity is None:
        return None
    days = [start + dt.timedelta(days=n) for n in range((end - start).days + 1)]
    counts = posts_per_local_day(workspace=workspace, tz=tz, days=days)
    busy = [
        {"day": day, "count": counts[day], "full": counts[day] >= capacity}
        for day in days
        if counts[day] >= capacity * WARN_SHARE
    ]
    return {"capacity": capacity, "days": busy} if busy else None
