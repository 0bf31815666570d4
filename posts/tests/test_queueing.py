"""Add to queue, the next free slot, freeing slots, shuffle and move to top (posts.queueing)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
import time_machine
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import Role
from accounts.posting_schedule import clean_schedule
from accounts.tests.factories import MembershipFactory, SocialAccountFactory
from kernel.errors import Conflict, Forbidden, InvalidInput
from posts import queueing, services
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory
from posts.tests.queue_helpers import DAYS, account_with_slots, draft

UTC = dt.UTC
NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=UTC)  # a Monday
MON_9, MON_13, TUE_9, TUE_13 = (
    dt.datetime(2026, 12, 7, 9, tzinfo=UTC),
    dt.datetime(2026, 12, 7, 13, tzinfo=UTC),
    dt.datetime(2026, 12, 8, 9, tzinfo=UTC),
    dt.datetime(2026, 12, 8, 13, tzinfo=UTC),
)
WEEK = {day: ["09:00", "13:00"] for day in DAYS}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def account(owner):
    return account_with_slots(owner=owner, days=WEEK)


def test_queue_post_takes_the_next_free_slot_and_schedules_it(owner, account):
    post = queueing.queue_post(post=draft(account), actor=owner)
    assert (post.status, post.scheduled_time, post.queued) == (PostStatus.SCHEDULED, MON_9, True)
    second = queueing.queue_post(post=draft(account), actor=owner)
    assert second.scheduled_time == MON_13


def test_the_next_free_slot_skips_slots_held_by_any_post_of_the_account(owner, account):
    PostFactory(social_account=account, scheduled_time=MON_9)  # scheduled there by hand
    PostFactory(social_account=account, scheduled_time=MON_13, status=PostStatus.PENDING_APPROVAL)
    PostFactory(social_account=SocialAccountFactory(owner=owner), scheduled_time=TUE_9)  # another account's
    PostFactory(social_account=account, scheduled_time=TUE_9, status=PostStatus.CANCELLED)  # holds nothing
    assert queueing.queue_post(post=draft(account), actor=owner).scheduled_time == TUE_9


def test_queueing_a_queued_post_keeps_its_slot(owner, account):
    post = queueing.queue_post(post=draft(account), actor=owner)
    assert queueing.queue_post(post=post, actor=owner).scheduled_time == MON_9


def test_cancelling_deleting_or_rescheduling_frees_the_slot(owner, account):
    first = queueing.queue_post(post=draft(account), actor=owner)
    services.post_cancel(post=first)
    first.refresh_from_db()
    assert not first.queued
    second = queueing.queue_post(post=draft(account), actor=owner)
    assert second.scheduled_time == MON_9  # the cancelled post's slot
    services.post_delete(post=second)
    third = queueing.queue_post(post=draft(account), actor=owner)
    assert third.scheduled_time == MON_9
    moved = services.post_reschedule(post=third, scheduled_time=TUE_13 + dt.timedelta(minutes=5))
    assert not moved.queued  # a time set by hand is not a slot
    assert queueing.queue_post(post=draft(account), actor=owner).scheduled_time == MON_9


def test_an_edit_of_the_time_takes_the_post_out_of_the_queue_and_other_edits_keep_it(owner, account):
    post = queueing.queue_post(post=draft(account), actor=owner)
    post = services.post_update(post=post, content="Edited text")
    assert post.queued
    post = services.post_update(post=post, scheduled_time=TUE_13 + dt.timedelta(hours=1))
    post.refresh_from_db()
    assert not post.queued


def test_an_empty_schedule_is_a_clear_400(owner):
    account = SocialAccountFactory(owner=owner)
    with pytest.raises(InvalidInput) as raised:
        queueing.queue_post(post=draft(account), actor=owner)
    assert raised.value.errors == {"schedule": [queueing.EMPTY_SCHEDULE]}
    paused = SocialAccountFactory(
        owner=owner, queue_schedule=clean_schedule({"days": {"mon": ["09:00"]}, "paused_days": ["mon"]}).to_json()
    )
    with pytest.raises(InvalidInput):
        queueing.queue_post(post=draft(paused), actor=owner)


def test_a_contributor_queues_for_approval_and_the_pending_post_holds_its_slot(owner, account):
    contributor = MembershipFactory(workspace=account.workspace, role=Role.CONTRIBUTOR).user
    waiting = queueing.queue_post(post=draft(account), actor=contributor)
    assert (waiting.status, waiting.scheduled_time, waiting.approval_required) == (
        PostStatus.PENDING_APPROVAL,
        MON_9,
        True,
    )
    assert queueing.queue_post(post=draft(account), actor=owner).scheduled_time == MON_13


def test_a_viewer_or_an_outsider_cannot_queue(account, outsider):
    viewer = MembershipFactory(workspace=account.workspace, role=Role.VIEWER).user
    with pytest.raises(Forbidden):
        queueing.queue_post(post=draft(account), actor=viewer)
    with pytest.raises(Forbidden):
        queueing.queue_post(post=draft(account), actor=outsider)


def test_published_or_buffer_held_posts_are_refused(owner, account):
    with pytest.raises(Conflict):
        queueing.queue_post(post=PostFactory(social_account=account, status=PostStatus.PUBLISHED), actor=owner)
    at_buffer = PostFactory(social_account=account, buffer_update_id="abc", scheduled_time=TUE_13)
    with pytest.raises(Conflict, match="Buffer's own queue"):
        queueing.queue_post(post=at_buffer, actor=owner)


def test_the_database_refuses_two_queued_posts_in_one_slot(account):
    PostFactory(social_account=account, scheduled_time=MON_9, queued=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory(social_account=account, scheduled_time=MON_9, queued=True)
    # Not queued (scheduled there by hand), or not holding a time: allowed.
    PostFactory(social_account=account, scheduled_time=MON_9)
    PostFactory(social_account=account, scheduled_time=MON_9, queued=True, status=PostStatus.CANCELLED)


def test_a_slot_lost_to_a_racing_request_goes_to_the_next_free_one(owner, account, monkeypatch):
    """The race, step by step: both requests read MON_9 as free; the first writes it, the second's write
    hits the unique index, and it takes the next free slot."""
    first, second = draft(account), draft(account)
    stale = queueing.next_free_slot
    reads = []

    def read_before_the_other_wrote(account, *, after, ignoring=None):
        reads.append(ignoring)
        return MON_9 if len(reads) == 1 else stale(account, after=after, ignoring=ignoring)

    queueing.queue_post(post=first, actor=owner)
    monkeypatch.setattr(queueing, "next_free_slot", read_before_the_other_wrote)
    won = queueing.queue_post(post=second, actor=owner)
    assert won.scheduled_time == MON_13 and len(reads) == 2
    first.refresh_from_db()
    assert first.scheduled_time == MON_9


def test_shuffle_moves_only_queued_posts_over_the_same_slots(owner, account):
    queued = [queueing.queue_post(post=draft(account), actor=owner) for _ in range(4)]
    by_hand = PostFactory(social_account=account, scheduled_time=TUE_13 + dt.timedelta(hours=2))
    slots = [post.scheduled_time for post in queued]
    reordered = queueing.shuffle_queue(account=account, actor=owner, rng=random.Random(3))
    assert [post.scheduled_time for post in reordered] == slots  # the same slots, in order
    assert [post.pk for post in reordered] != [post.pk for post in queued]
    assert sorted(post.pk for post in reordered) == sorted(post.pk for post in queued)
    by_hand.refresh_from_db()
    assert by_hand.scheduled_time == TUE_13 + dt.timedelta(hours=2)
    assert all(post.queued and post.status == PostStatus.SCHEDULED for post in reordered)


def test_move_to_top_takes_the_first_slot_and_shifts_the_ones_before_it(owner, account):
    a, b, c, d = (queueing.queue_post(post=draft(account), actor=owner) for _ in range(4))
    queueing.move_to_top(post=c, actor=owner)
    order = Post.objects.filter(queued=True).order_by("scheduled_time").values_list("pk", "scheduled_time")
    assert list(order) == [(c.pk, MON_9), (a.pk, MON_13), (b.pk, TUE_9), (d.pk, TUE_13)]


def test_move_to_top_keeps_an_approval_and_refuses_a_post_not_in_the_queue(owner, account):
    a = queueing.queue_post(post=draft(account), actor=owner)
    b = queueing.queue_post(post=draft(account), actor=owner)
    Post.objects.filter(pk=b.pk).update(approval_required=True, approved_at=NOW)
    moved = queueing.move_to_top(post=b, actor=owner)
    assert (moved.scheduled_time, moved.status, moved.approved_at) == (MON_9, PostStatus.SCHEDULED, NOW)
    with pytest.raises(Conflict, match="only queued posts move"):
        queueing.move_to_top(post=PostFactory(social_account=account, scheduled_time=TUE_13), actor=owner)
    a.refresh_from_db()
    assert a.scheduled_time == MON_13


def test_a_viewer_cannot_reorder(account):
    viewer = MembershipFactory(workspace=account.workspace, role=Role.VIEWER).user
    with pytest.raises(Forbidden):
        queueing.shuffle_queue(account=account, actor=viewer)


def test_queue_for_lists_slots_with_what_fills_them_in_constant_queries(owner, account, django_assert_num_queries):
    queued = queueing.queue_post(post=draft(account), actor=owner)
    by_hand = PostFactory(social_account=account, scheduled_time=TUE_9)
    account = type(account).objects.select_related("workspace").get(pk=account.pk)
    with django_assert_num_queries(1):  # the posts in the range, with their relations
        slots = queueing.queue_for(account, count=50)
    assert len(slots) == 50
    assert [(s.at, s.post.pk if s.post else None) for s in slots[:4]] == [
        (MON_9, queued.pk),
        (MON_13, None),
        (TUE_9, by_hand.pk),
        (TUE_13, None),
    ]


def test_bulk_create_with_queue_fills_slots_in_item_order(owner, account):
    items = [
        {"social_account_id": account.pk, "content": "First", "queue": True},
        {"social_account_id": account.pk, "content": "At a time", "scheduled_time": TUE_13},
        {"social_account_id": account.pk, "content": "Second", "queue": True},
    ]
    created = services.posts_bulk_create(workspace=account.workspace, actor=owner, items=items)
    assert [(p.content, p.scheduled_time, p.queued) for p in created] == [
        ("First", MON_9, True),
        ("At a time", TUE_13, False),
        ("Second", MON_13, True),
    ]


def test_bulk_create_with_queue_to_an_account_without_slots_creates_nothing(owner, account):
    empty = SocialAccountFactory(owner=owner)
    items = [
        {"social_account_id": account.pk, "content": "Fine", "queue": True},
        {"social_account_id": empty.pk, "content": "No slots", "queue": True},
        {"social_account_id": account.pk, "content": "Both", "queue": True, "scheduled_time": TUE_13},
    ]
    with pytest.raises(InvalidInput) as raised:
        services.posts_bulk_create(workspace=account.workspace, actor=owner, items=items)
    assert raised.value.errors["1"] == {"queue": [queueing.EMPTY_SCHEDULE]}
    assert "not both" in raised.value.errors["2"]["queue"][0]
    assert not Post.objects.exists()


def test_queue_posts_queues_in_order_at_a_cost_linear_in_the_posts(owner):
    """Each account's search starts after its previous post's slot: 40 more posts cost the same whether they
    come after 1 or after 41 (a search from now each time would cost more and more once slots run past a batch)."""
    daily = {day: ["09:00"] for day in DAYS}

    def queries_for(count: int) -> int:
        account = account_with_slots(owner=owner, days=daily)
        posts = [draft(account) for _ in range(count)]
        with CaptureQueriesContext(connection) as captured:
            queued = queueing.queue_posts(posts=posts, actor=owner)
        assert [p.scheduled_time for p in queued] == queueing.upcoming_slots(account, start=NOW, count=count)
        return len(captured)

    one, forty_one, eighty_one = queries_for(1), queries_for(41), queries_for(81)
    assert eighty_one - forty_one == forty_one - one


def test_queue_posts_refuses_posts_of_two_workspaces(owner, account, outsider):
    other = account_with_slots(owner=outsider, days=WEEK)
    with pytest.raises(InvalidInput):
        queueing.queue_posts(posts=[draft(account), draft(other)], actor=owner)
