"""Recurring posts: a series (`PostSeries`) makes ordinary Posts ahead of time, never at send time.

Occurrences (`posts.rrules`) are materialised through `services.post_create`, the single-post path of
the API (rules, day capacity, approvals), for a rolling window of RECURRENCE_WINDOW_DAYS, which the
periodic task `extend_recurring_posts` moves on. The engine only sees ordinary scheduled posts, so a
worker outage never causes a burst: a missed occurrence is one late scheduled post, handled by
LATE_POST_POLICY like any other, and the window never makes posts in the past.

Editing: "this occurrence" is any edit of the post (`services.post_update`), which detaches it from the
template; "this and following"
splits the series (the old one ends before the occurrence, a new one starts from it, replacing the
old series' unpublished posts from there on). Ending a series deletes its future, unpublished posts
through the post delete rules.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass
from typing import Any, Unpack

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import Membership, SocialAccount, User, Workspace
from kernel.errors import Conflict, InvalidInput, ServiceError
from kernel.periodic import LoopReport, run_isolated
from posts import approvals, services, transitions
from posts.media import post_media_items
from posts.models import Post, PostSeries, PostStatus
from posts.rrules import Occurrence, Rule, expand, parse_rule, rule_count, with_count
from posts.services import PostChanges

logger = logging.getLogger("socialhub.recurrence")

MAX_PREVIEW = 100  # occurrences one request may list


def account_timezone(account: SocialAccount, workspace: Workspace) -> zoneinfo.ZoneInfo:
    """The account's timezone (from its Buffer profile), else the workspace's."""
    try:
        return zoneinfo.ZoneInfo(account.profile_timezone) if account.profile_timezone else workspace.tzinfo
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return workspace.tzinfo


def series_rule(series: PostSeries) -> Rule:
    start = dt.datetime.combine(series.start_date, series.start_time)
    return parse_rule(series.rule, start=start, tz=zoneinfo.ZoneInfo(series.timezone))


def occurrences(series: PostSeries, *, count: int, after: dt.datetime | None = None) -> list[Occurrence]:
    """The series' next `count` occurrences after `after` (default: now), materialised or not. Pure."""
    after = after or timezone.now()
    found = expand(series_rule(series), after=after, before=series.ends_before)
    return [occurrence for _, occurrence in zip(range(count), found, strict=False)]


def preview(
    *, rule: str, start: dt.datetime, tz: zoneinfo.ZoneInfo, count: int, after: dt.datetime | None = None
) -> list[Occurrence]:
    """What a rule would make from `start` (an aware time, read in `tz`): the composer's preview."""
    parsed = parse_rule(rule, start=timezone.localtime(start, tz).replace(tzinfo=None), tz=tz)
    found = expand(parsed, after=after or timezone.now())
    return [occurrence for _, occurrence in zip(range(count), found, strict=False)]


@dataclass(frozen=True)
class OccurrenceRow:
    occurrence: Occurrence
    post: Post | None
    state: str  # "materialised" (a post exists), "removed" (its post was deleted), "planned" (made later)


def occurrence_rows(series: PostSeries, *, count: int, after: dt.datetime | None = None) -> list[OccurrenceRow]:
    """`occurrences` with the post of each materialised one: one query."""
    found = occurrences(series, count=count, after=after)
    posts = {post.occurrence_at: post for post in series.posts.filter(occurrence_at__in=[o.at for o in found])}
    edge = series.materialised_until
    rows = []
    for occurrence in found:
        post = posts.get(occurrence.at)
        state = "materialised" if post else ("removed" if edge and occurrence.at <= edge else "planned")
        rows.append(OccurrenceRow(occurrence=occurrence, post=post, state=state))
    return rows


# -- making the posts ------------------------------------------------------------------------------


def _window_end(now: dt.datetime) -> dt.datetime:
    return now + dt.timedelta(days=settings.RECURRENCE_WINDOW_DAYS)


def _occurrence_error(occurrence: Occurrence, exc: ServiceError) -> str:
    return f"The occurrence of {occurrence.local:%Y-%m-%d %H:%M} ({occurrence.local.tzinfo}): {exc.detail}"


def _materialise(
    series: PostSeries, *, actor: User, needs_approval: bool, now: dt.datetime, strict: bool
) -> list[Post]:
    """Posts for the occurrences after the window's edge (never in the past) up to now + the window.

    At least the first occurrence when none was made yet, even beyond the window. `strict` (the series is
    being created): an occurrence the post rules refuse refuses the whole series (400 naming it);
    otherwise it is skipped and noted in `last_error`. The caller holds the series row locked.
    """
    edge = max(series.materialised_until or now, now)
    window_end = _window_end(now)
    made: list[Post] = []
    reached = window_end
    first_run = series.materialised_until is None
    for seen, occurrence in enumerate(expand(series_rule(series), after=edge, before=series.ends_before)):
        if occurrence.at > window_end and (seen or not first_run):  # beyond the window (bar a first one)
            break
        reached = max(reached, occurrence.at)
        try:
            with transaction.atomic():
                made.append(_make_post(series, occurrence, actor=actor, needs_approval=needs_approval))
        except IntegrityError:  # a concurrent run made this occurrence first: `post_series_occurrence_once`
            continue
        except ServiceError as exc:
            if strict:
                raise InvalidInput(_occurrence_error(occurrence, exc), errors=exc.errors) from exc
            series.last_error = _occurrence_error(occurrence, exc)
            logger.warning("series %s: occurrence %s not made (%s)", series.pk, occurrence.at, type(exc).__name__)
    series.materialised_until = reached
    series.save(update_fields=["materialised_until", "last_error", "updated_at"])
    return made


def _make_post(series: PostSeries, occurrence: Occurrence, *, actor: User, needs_approval: bool) -> Post:
    return services.post_create(
        workspace=series.workspace,
        actor=actor,
        social_account_id=series.social_account_id,
        content=series.content,
        campaign_id=series.campaign_id,
        scheduled_time=occurrence.at,
        media_urls=list(series.media_urls),
        media_ids=list(series.media_ids),
        status=series.post_status,
        network_options=dict(series.network_options),
        needs_approval=needs_approval,
        series=series,
        occurrence_at=occurrence.at,
    )


def series_create(
    *,
    workspace: Workspace,
    actor: User,
    recurrence: str,
    social_account_id: int,
    content: str,
    scheduled_time: dt.datetime | None = None,
    campaign_id: int | None = None,
    platform: str | None = None,
    media_urls: list[str] | None = None,
    media_ids: list[int] | None = None,
    status: str | None = None,
    network_options: dict[str, Any] | None = None,
    needs_approval: bool = False,
    now: dt.datetime | None = None,
    local_start: dt.datetime | None = None,
) -> Post:
    """A recurring post: the series and its window's posts, all or nothing; returns the first post.

    `scheduled_time` is the start (DTSTART), read as a wall-clock time of the account's timezone (or
    `local_start`, that wall-clock time itself: a split keeps the rule's time even where a DST day moved
    it); the first occurrence is the rule's first after now.
    """
    now = now or timezone.now()
    account = services.workspace_accounts(workspace=workspace, ids=[social_account_id]).get(social_account_id)
    if account is None:
        raise InvalidInput.from_errors({"social_account_id": [f"You have no social account {social_account_id}."]})
    if scheduled_time is None:
        raise InvalidInput.from_errors(
            {"scheduled_time": ["A recurring post needs a scheduled_time: the date and local time it starts."]}
        )
    if campaign_id is not None and not services.workspace_campaigns(workspace=workspace, ids=[campaign_id]):
        raise InvalidInput.from_errors({"campaign_id": [f"You have no campaign {campaign_id}."]})
    if platform and platform != account.platform:
        message = f"Must be the account's platform ({account.platform}), or left out."
        raise InvalidInput.from_errors({"platform": [message]})
    tz = account_timezone(account, workspace)
    start = local_start or timezone.localtime(scheduled_time, tz).replace(tzinfo=None, second=0, microsecond=0)
    rule = parse_rule(recurrence, start=start, tz=tz)
    with transaction.atomic():
        series = PostSeries.objects.create(
            workspace=workspace,
            owner=actor,
            social_account=account,
            campaign_id=campaign_id,
            rule=rule.text,
            timezone=str(tz),
            start_date=start.date(),
            start_time=start.time(),
            content=content,
            media_urls=list(media_urls or []),
            media_ids=list(media_ids or []),
            network_options=dict(network_options or {}),
            post_status=status or PostStatus.SCHEDULED,
        )
        posts = _materialise(series, actor=actor, needs_approval=needs_approval, now=now, strict=True)
        if not posts:
            raise InvalidInput.from_errors({"recurrence": ["The rule has no occurrence after now."]})
    return posts[0]


def _owner_needs_approval(series: PostSeries) -> bool | None:
    """Whether the series' owner's posts need approval now; None when they are no member any more."""
    membership = Membership.objects.filter(workspace=series.workspace_id, user=series.owner_id).first()
    if membership is None:
        return None
    return approvals.needs_approval(workspace=series.workspace, role=membership.role)


def series_extend(*, series_id: int, now: dt.datetime | None = None) -> list[Post]:
    """Move one series' window on (the periodic task's item): idempotent, the series row locked."""
    now = now or timezone.now()
    with transaction.atomic():
        series = (
            PostSeries.objects.select_for_update(of=("self",))
            .select_related("workspace", "owner")
            .filter(pk=series_id, ended_at__isnull=True)
            .first()
        )
        if series is None:
            return []
        needs_approval = _owner_needs_approval(series)
        if needs_approval is None:
            series.last_error = "Not extended: the series' author is no longer a member of the workspace."
            series.save(update_fields=["last_error", "updated_at"])
            return []
        return _materialise(series, actor=series.owner, needs_approval=needs_approval, now=now, strict=False)


def series_to_extend(*, now: dt.datetime) -> QuerySet[PostSeries]:
    """Open series whose window ends before now + RECURRENCE_WINDOW_DAYS (and that may still have occurrences)."""
    return (
        PostSeries.objects.filter(ended_at__isnull=True)
        .filter(Q(materialised_until__isnull=True) | Q(materialised_until__lt=_window_end(now)))
        .exclude(ends_before__isnull=False, materialised_until__gte=F("ends_before"))
    )


def series_extend_all(*, now: dt.datetime | None = None) -> LoopReport:
    now = now or timezone.now()
    ids = list(series_to_extend(now=now).order_by("pk").values_list("pk", flat=True))
    return run_isolated(ids, lambda pk: series_extend(series_id=pk, now=now), name="posts.extend_series")


# -- editing and ending ----------------------------------------------------------------------------


def _series_of(post: Post) -> tuple[PostSeries, dt.datetime]:
    """The post's series and its occurrence; 409 for a one-off post."""
    if post.series_id is None or post.occurrence_at is None:
        raise Conflict(f"Post {post.pk} is not part of a recurring series.")
    return PostSeries.objects.select_related("workspace").get(pk=post.series_id), post.occurrence_at


def _delete_posts(posts: list[Post], *, what: str) -> list[int]:
    """Through the post delete rules; refused whole (409) while one of them is publishing or reconciling."""
    busy = [post.pk for post in posts if post.status in transitions.BUSY]
    if busy:
        names = ", ".join(map(str, busy))
        raise Conflict(f"Post(s) {names} of this series are with Buffer right now: {what} once that has finished.")
    for post in posts:
        services.post_delete(post=post)
    return [post.pk for post in posts]


def _unpublished(series: PostSeries, *, condition: Q) -> list[Post]:
    queryset = series.posts.filter(condition).exclude(status=PostStatus.PUBLISHED)
    return list(queryset.select_related("social_account").order_by("scheduled_time", "pk"))


def series_split(
    *,
    post: Post,
    actor: User,
    recurrence: str | None = None,
    needs_approval: bool = False,
    now: dt.datetime | None = None,
    **changes: Unpack[PostChanges],
) -> Post:
    """ "This and following": the series ends before this occurrence and a new one starts from it, with
    the post's values and `changes` (and `recurrence`, else the old rule, COUNT reduced by the
    occurrences already had). The old series' unpublished posts from this occurrence on are replaced
    by the new series' posts; the new series' first post is returned."""
    now = now or timezone.now()
    series, occurrence_at = _series_of(post)
    old_rule = series_rule(series)
    before = list(expand(old_rule, before=occurrence_at))
    this = next(expand(old_rule, after=occurrence_at - dt.timedelta(microseconds=1)), None)
    start_time = changes.pop("scheduled_time", None)
    if start_time == post.scheduled_time:  # unchanged (a form sends it back): the rule's own local time
        start_time = None
    local_start = this.nominal if start_time is None and this is not None else None
    if recurrence is None:
        recurrence = old_rule.text
        if (count := rule_count(old_rule.text)) is not None:  # what is left of COUNT after those before this
            left = count - len(before)
            if left < 1:
                raise Conflict(f"Post {post.pk} is past the last occurrence of its series.")
            recurrence = with_count(recurrence, left)
    changes.pop("status", None)
    with transaction.atomic():
        PostSeries.objects.select_for_update(of=("self",)).filter(pk=series.pk).first()
        _delete_posts(
            _unpublished(series, condition=Q(occurrence_at__gte=occurrence_at)), what="edit the following ones"
        )
        series.ends_before = occurrence_at
        series.save(update_fields=["ends_before", "updated_at"])
        return series_create(
            workspace=series.workspace,
            actor=actor,
            recurrence=recurrence,
            social_account_id=changes.get("social_account_id", post.social_account_id),
            content=changes.get("content", post.content),
            scheduled_time=start_time or occurrence_at,
            local_start=local_start,
            campaign_id=changes.get("campaign_id", post.campaign_id),
            platform=changes.get("platform"),
            media_urls=changes.get("media_urls", post.media_urls),
            media_ids=changes.get("media_ids", [item.pk for item in post_media_items(post)]),
            status=series.post_status,
            network_options=changes.get("network_options", post.network_options),
            needs_approval=needs_approval,
            now=now,
        )


@dataclass(frozen=True)
class SeriesEnded:
    series: PostSeries
    deleted: list[int]


def series_end(*, post: Post, now: dt.datetime | None = None) -> SeriesEnded:
    """End the post's series now: its future, unpublished posts are deleted (post delete rules), the
    rest (published, and missed ones still waiting to go out) stay. Ending an ended series is a no-op."""
    now = now or timezone.now()
    series, _ = _series_of(post)
    with transaction.atomic():
        series = PostSeries.objects.select_for_update(of=("self",)).get(pk=series.pk)
        if series.ended_at is not None:
            return SeriesEnded(series=series, deleted=[])
        deleted = _delete_posts(_unpublished(series, condition=Q(scheduled_time__gt=now)), what="end the series")
        series.ended_at = now
        series.ends_before = min(series.ends_before or now, now)
        series.save(update_fields=["ended_at", "ends_before", "updated_at"])
    return SeriesEnded(series=series, deleted=deleted)
