"""Recurring posts as a service (posts.recurrence): the window, its extension, editing scopes, ending."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from accounts.models import Role
from kernel.errors import Conflict, InvalidInput
from posts import recurrence, services
from posts.models import Post, PostSeries, PostStatus
from posts.tasks import extend_recurring_posts

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 15, 12, 0, tzinfo=dt.UTC)  # a Sunday; Berlin springs forward on 29 March
WEEKLY = "FREQ=WEEKLY;BYDAY=MO;BYHOUR=9;BYMINUTE=0"
START = dt.datetime(2026, 3, 16, 8, 0, tzinfo=dt.UTC)  # Monday 09:00 in Berlin


@pytest.fixture
def berlin_account(account):
    account.profile_timezone = "Europe/Berlin"
    account.save(update_fields=["profile_timezone"])
    return account


def make_series(account, rule=WEEKLY, **fields) -> Post:
    return recurrence.series_create(
        workspace=account.workspace,
        actor=account.owner,
        recurrence=rule,
        social_account_id=account.pk,
        content=fields.pop("content", "Weekly tip #socialhub"),
        scheduled_time=fields.pop("scheduled_time", START),
        **fields,
    )


def local_times(series: PostSeries) -> list[str]:
    return [
        post.due_time.astimezone(dt.UTC).strftime("%m-%d %H:%M") for post in series.posts.order_by("scheduled_time")
    ]


@time_machine.travel(NOW, tick=False)
def test_a_series_makes_its_window_as_ordinary_posts_at_nine_local_across_dst(berlin_account):
    first = make_series(berlin_account)
    series = first.series
    assert (series.timezone, series.rule, series.start_time) == ("Europe/Berlin", WEEKLY, dt.time(9, 0))
    # 30 days: 16, 23 March (CET: 08:00 UTC), 30 March, 6, 13 April (CEST: 07:00 UTC), all 09:00 in Berlin.
    assert local_times(series) == ["03-16 08:00", "03-23 08:00", "03-30 07:00", "04-06 07:00", "04-13 07:00"]
    assert first.scheduled_time == START and first.status == PostStatus.SCHEDULED
    assert all(p.occurrence_at == p.scheduled_time and p.content == series.content for p in series.posts.all())
    assert series.materialised_until == NOW + dt.timedelta(days=30)


@time_machine.travel(NOW, tick=False)
def test_materialising_is_idempotent_and_an_occurrence_can_never_be_made_twice(berlin_account):
    series = make_series(berlin_account).series
    assert recurrence.series_extend(series_id=series.pk) == []
    extend_recurring_posts()
    extend_recurring_posts()
    assert series.posts.count() == 5
    post = series.posts.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.create(
            owner=post.owner,
            workspace=post.workspace,
            social_account=post.social_account,
            platform=post.platform,
            content="again",
            series=series,
            occurrence_at=post.occurrence_at,
        )


def test_the_periodic_task_extends_the_window_and_never_makes_posts_in_the_past(berlin_account):
    with time_machine.travel(NOW, tick=False):
        series = make_series(berlin_account).series
    with time_machine.travel(NOW + dt.timedelta(days=7), tick=False):
        extend_recurring_posts()
        assert local_times(series)[-1] == "04-20 07:00"
        assert series.posts.count() == 6
    # The beat was down for two months: the occurrences it missed are not made up (no burst later).
    later = NOW + dt.timedelta(days=60)
    with time_machine.travel(later, tick=False):
        extend_recurring_posts()
        made = series.posts.filter(created_at__gte=later)
        assert made.exists() and min(post.scheduled_time for post in made) > later
        assert series.posts.filter(scheduled_time__lte=later, created_at__gte=later).count() == 0


@time_machine.travel(NOW, tick=False)
def test_an_occurrence_the_rules_refuse_on_creation_refuses_the_series_naming_it(berlin_account, campaign):
    campaign.end_date = dt.date(2026, 3, 25)
    campaign.save(update_fields=["end_date"])
    with pytest.raises(InvalidInput) as refused:
        make_series(berlin_account, campaign_id=campaign.pk)
    assert refused.value.detail.startswith("The occurrence of 2026-03-30 09:00 (Europe/Berlin): scheduled_time:")
    assert not PostSeries.objects.exists() and not Post.objects.exists()


def test_an_occurrence_refused_later_is_skipped_and_noted(berlin_account, campaign):
    campaign.end_date = dt.date(2026, 4, 15)
    campaign.save(update_fields=["end_date"])
    with time_machine.travel(NOW, tick=False):
        series = make_series(berlin_account, campaign_id=campaign.pk).series
    with time_machine.travel(NOW + dt.timedelta(days=7), tick=False):
        assert extend_recurring_posts() == 1
    series.refresh_from_db()
    assert series.posts.count() == 5 and "2026-04-20 09:00" in series.last_error


@time_machine.travel(NOW, tick=False)
def test_a_member_who_needs_approval_makes_posts_waiting_for_it(team, members, contributor_account):
    post = recurrence.series_create(
        workspace=team,
        actor=members[Role.CONTRIBUTOR],
        recurrence="FREQ=DAILY;COUNT=3",
        social_account_id=contributor_account.pk,
        content="Daily",
        scheduled_time=START,
        needs_approval=True,
    )
    assert set(post.series.posts.values_list("status", flat=True)) == {PostStatus.PENDING_APPROVAL}


@time_machine.travel(NOW, tick=False)
def test_occurrences_list_materialised_removed_and_planned_ones_beyond_the_window(berlin_account):
    first = make_series(berlin_account)
    second = first.series.posts.order_by("scheduled_time")[1]
    second.delete()
    rows = recurrence.occurrence_rows(first.series, count=8)
    assert [row.state for row in rows] == ["materialised", "removed", *["materialised"] * 3, *["planned"] * 3]
    assert rows[0].post == first and rows[7].occurrence.local.strftime("%m-%d %H:%M") == "05-04 09:00"


@time_machine.travel(NOW, tick=False)
def test_editing_this_occurrence_detaches_it_and_leaves_the_others(berlin_account):
    first = make_series(berlin_account)
    edited = services.post_update(post=first, content="Just this once #socialhub")
    assert edited.series_detached and edited.content == "Just this once #socialhub"
    others = first.series.posts.exclude(pk=first.pk)
    assert set(others.values_list("content", flat=True)) == {"Weekly tip #socialhub"}
    assert not others.filter(series_detached=True).exists()
    recurrence.series_extend(series_id=first.series_id)
    assert first.series.posts.count() == 5


@time_machine.travel(NOW, tick=False)
def test_editing_this_and_following_splits_the_series_and_replaces_the_following_posts(berlin_account):
    first = make_series(berlin_account, rule=f"{WEEKLY};COUNT=6")
    old = first.series
    third = old.posts.order_by("scheduled_time")[2]
    new_first = recurrence.series_split(post=third, actor=first.owner, content="New tip #socialhub")
    old.refresh_from_db()
    assert old.ends_before == third.occurrence_at
    assert local_times(old) == ["03-16 08:00", "03-23 08:00"]  # the two before stay
    assert not Post.objects.filter(pk=third.pk).exists()
    new = new_first.series
    assert new.pk != old.pk and new.rule == f"{WEEKLY};COUNT=4"  # 6 occurrences in all, as before
    assert new_first.scheduled_time == third.scheduled_time and new_first.content == "New tip #socialhub"
    assert local_times(new) == ["03-30 07:00", "04-06 07:00", "04-13 07:00"]
    assert len(recurrence.occurrences(new, count=10)) == 4


@time_machine.travel(NOW, tick=False)
def test_this_and_following_with_a_new_rule_and_time(berlin_account):
    first = make_series(berlin_account)
    second = first.series.posts.order_by("scheduled_time")[1]
    moved = dt.datetime(2026, 3, 24, 17, 0, tzinfo=dt.UTC)  # Tuesday 18:00 in Berlin
    new_first = recurrence.series_split(
        post=second, actor=first.owner, recurrence="FREQ=WEEKLY;BYDAY=TU", scheduled_time=moved
    )
    assert new_first.scheduled_time == moved
    assert [o.local.strftime("%a %H:%M") for o in recurrence.occurrences(new_first.series, count=3)] == [
        "Tue 18:00"
    ] * 3
    assert first.series.posts.count() == 1


@time_machine.travel(NOW, tick=False)
def test_a_one_off_post_has_no_series_to_split_or_end(berlin_account):
    from posts.tests.factories import PostFactory

    post = PostFactory(social_account=berlin_account)
    with pytest.raises(Conflict):
        recurrence.series_end(post=post)
    with pytest.raises(Conflict):
        recurrence.series_split(post=post, actor=post.owner)


def test_ending_deletes_only_future_unpublished_occurrences(berlin_account):
    with time_machine.travel(NOW, tick=False):
        first = make_series(berlin_account)
    series = first.series
    posts = list(series.posts.order_by("scheduled_time"))
    # A week and a bit later: the first went out, the second was missed (the worker was down) and waits.
    Post.objects.filter(pk=posts[0].pk).update(status=PostStatus.PUBLISHED)
    with time_machine.travel(dt.datetime(2026, 3, 23, 9, 0, tzinfo=dt.UTC), tick=False):
        ended = recurrence.series_end(post=posts[2])
        assert sorted(ended.deleted) == [p.pk for p in posts[2:]]
        assert list(series.posts.order_by("scheduled_time").values_list("pk", "status")) == [
            (posts[0].pk, PostStatus.PUBLISHED),
            (posts[1].pk, PostStatus.SCHEDULED),
        ]
        assert recurrence.series_end(post=posts[1]).deleted == []  # already ended
        series.refresh_from_db()
        assert recurrence.occurrences(series, count=5) == []
        assert extend_recurring_posts() == 0
    assert series.ended_at is not None and series.posts.count() == 2


def test_ending_is_refused_whole_while_one_of_its_posts_is_publishing(berlin_account):
    with time_machine.travel(NOW, tick=False):
        first = make_series(berlin_account)
        Post.objects.filter(pk=first.pk).update(status=PostStatus.PUBLISHING)
        with pytest.raises(Conflict):
            recurrence.series_end(post=first)
    assert first.series.posts.count() == 5 and PostSeries.objects.get().ended_at is None


@time_machine.travel(NOW, tick=False)
def test_splitting_at_an_occurrence_a_dst_gap_moved_keeps_the_rules_local_time(berlin_account):
    start = dt.datetime(2026, 3, 28, 1, 30, tzinfo=dt.UTC)  # 02:30 in Berlin
    first = make_series(berlin_account, rule="FREQ=DAILY;COUNT=4", scheduled_time=start)
    moved = first.series.posts.order_by("scheduled_time")[1]
    assert moved.scheduled_time == dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC)  # 03:00 CEST
    new_first = recurrence.series_split(post=moved, actor=first.owner, content="From here #socialhub")
    assert new_first.series.start_time == dt.time(2, 30) and new_first.series.rule == "FREQ=DAILY;COUNT=3"
    assert [o.local.strftime("%m-%d %H:%M") for o in recurrence.occurrences(new_first.series, count=5)] == [
        "03-29 03:00",
        "03-30 02:30",
        "03-31 02:30",
    ]


@time_machine.travel(NOW, tick=False)
def test_a_run_that_finds_its_occurrences_made_by_another_makes_nothing(berlin_account):
    series = make_series(berlin_account).series
    PostSeries.objects.filter(pk=series.pk).update(materialised_until=None)  # as if a concurrent run had not saved
    assert recurrence.series_extend(series_id=series.pk) == []
    series.refresh_from_db()
    assert series.posts.count() == 5 and series.materialised_until == NOW + dt.timedelta(days=30)
