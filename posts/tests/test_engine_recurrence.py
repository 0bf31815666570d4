"""A recurring series and the publishing engine: missed occurrences are ordinary late posts, one by one.

The engine never generates posts: a series' occurrences exist as scheduled posts before their time. A
worker that was down for a day finds each missed occurrence due once, and LATE_POST_POLICY decides each
(publish late, or fail past the threshold); nothing is made up at send time, so nothing goes out twice.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from posts import recurrence
from posts.engine.dispatch import dispatch_due_posts
from posts.models import Post, PostSeries, PostStatus
from posts.tasks import extend_recurring_posts
from posts.tests.engine_helpers import creates_per_post, publish_due, sandbox_account

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fast_engine")]
S = PostStatus


def hourly_series_made_before_an_outage(owner, sandbox, token: str) -> PostSeries:
    """An hourly series of 30 made a day and a half-hour ago, its first hour then: 24 are missed now."""
    account = sandbox_account(owner, sandbox, token)
    went_down = timezone.now() - dt.timedelta(days=1, minutes=30)
    with time_machine.travel(went_down, tick=False):
        first = recurrence.series_create(
            workspace=account.workspace,
            actor=account.owner,
            recurrence="FREQ=HOURLY;COUNT=30",
            social_account_id=account.pk,
            content="Hourly update #socialhub",
            scheduled_time=went_down + dt.timedelta(hours=1),
        )
    assert first.series is not None
    return first.series


@pytest.mark.parametrize("policy", ["publish", "fail"])
def test_a_worker_down_for_a_day_publishes_missed_occurrences_per_policy_never_as_a_burst(
    owner, sandbox, settings, policy
):
    settings.LATE_POST_POLICY = policy
    settings.LATE_POST_THRESHOLD_SECONDS = 3 * 3600
    series = hourly_series_made_before_an_outage(owner, sandbox, "recurrence-engine-token")
    assert series.posts.count() == 30
    # Buffer refuses the same text twice within 24 h (error 1025, the sandbox's rule too): each hour's own.
    for number, post in enumerate(series.posts.order_by("scheduled_time")):
        Post.objects.filter(pk=post.pk).update(content=f"Hourly update {number} #socialhub")

    # Back up a day later: the window's extension makes nothing for the missed hours...
    extend_recurring_posts()
    assert series.posts.count() == 30
    missed = list(series.posts.filter(scheduled_time__lte=timezone.now()).order_by("scheduled_time"))
    assert len(missed) == 24

    # ...and the engine finds each missed occurrence due once: one claim and one outcome per post.
    outcomes = publish_due()
    assert len(outcomes) == len(missed)
    assert publish_due() == []  # nothing left to claim: no second round, no copies
    for post in missed:
        post.refresh_from_db()
    late = [p for p in missed if p.lateness_seconds and p.lateness_seconds > settings.LATE_POST_THRESHOLD_SECONDS]
    if policy == "publish":
        assert {p.status for p in missed} == {S.PUBLISHED} and all(p.attempts == 1 for p in missed)
        assert creates_per_post(sandbox, missed) == {p.pk: 1 for p in missed}
    else:
        assert {p.status for p in late} == {S.FAILED} and all("LATE_POST_POLICY=fail" in p.last_error for p in late)
        recent = [p for p in missed if p not in late]
        assert recent and {p.status for p in recent} == {S.PUBLISHED}
        assert creates_per_post(sandbox, missed) == {p.pk: int(p in recent) for p in missed}
    assert set(series.posts.filter(scheduled_time__gt=timezone.now()).values_list("status", flat=True)) == {S.SCHEDULED}


def test_the_dispatcher_takes_a_missed_backlog_at_its_own_pace_oldest_first(owner, sandbox, settings):
    """One beat tick claims at most the in-flight cap of the missed occurrences, the oldest first."""
    settings.ENGINE_MIN_IN_FLIGHT = settings.ENGINE_MAX_IN_FLIGHT = 5
    series = hourly_series_made_before_an_outage(owner, sandbox, "recurrence-dispatch-token")
    missed = list(series.posts.filter(scheduled_time__lte=timezone.now()).order_by("scheduled_time"))
    assert dispatch_due_posts() == 5
    claimed = set(series.posts.filter(status=S.PUBLISHING).values_list("pk", flat=True))
    assert claimed == {post.pk for post in missed[:5]}
    assert series.posts.filter(status=S.SCHEDULED).count() == 25
