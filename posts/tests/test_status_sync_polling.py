"""Frugal status sync: one filtered request per (API key, organization), backing off while nothing moves.

The day is simulated with time-machine: the product's clock and the in-process sandbox's move together,
five minutes per beat tick, so a day of polling runs in seconds and depends on no real time.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory, UserFactory
from buffer_integration.backends import get_backend
from buffer_integration.backends.base import UpdateDraft
from buffer_integration.backends.graphql import GraphQLBackend
from buffer_integration.budget import Priority
from buffer_integration.exceptions import BufferBudgetExhausted
from buffer_integration.tests.factories import BufferConfigFactory
from posts import polling
from posts.engine import status_sync
from posts.engine.status_sync import sync_handed_over_posts
from posts.models import BufferPollState, Post, PostStatus

pytestmark = pytest.mark.django_db
TICK = dt.timedelta(seconds=300)  # ENGINE_STATUS_SYNC_INTERVAL
# Channels that take a plain text post (no per-network metadata needed).
PLAIN_SERVICES = ("twitter", "facebook", "linkedin", "mastodon", "bluesky")
SMALLEST_DAILY_BUDGET = 250  # Free / Essentials: shared/reference/buffer-graphql/README.md §5


@pytest.fixture
def day_start():
    # A fixed morning in the future of any real clock, at midnight UTC, so hours read as times of day.
    start = (timezone.now() + dt.timedelta(days=2)).replace(hour=0, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        yield start, traveller


def customer(sandbox, n: int) -> list:
    """One Buffer customer: a GraphQL key, its organization and five channels as SocialHub accounts."""
    token = f"1/poll-{n}"
    owner = UserFactory(username=f"poller{n}")
    BufferConfigFactory(owner=owner, api="graphql", access_token=token)
    backend = get_backend(token, api="graphql")
    channels = [c for c in backend.list_profiles() if c.service in PLAIN_SERVICES]
    # Stored when the account is connected; without it every poll would first look the organization up.
    assert isinstance(backend, GraphQLBackend)
    organization_id = channels[0].organization_id or backend._organizations()[0]
    return [
        SocialAccountFactory(
            owner=owner, platform="twitter", buffer_profile_id=channel.id, buffer_organization_id=organization_id
        )
        for channel in channels
    ]


def hand_over(account, *, due: dt.datetime, buffer_due: dt.datetime | None = None, text: str) -> Post:
    """A post in Buffer's queue for `due` (Buffer itself sends it at `buffer_due`, if that differs)."""
    token = account.owner.buffer_configs.get().get_access_token()
    update = get_backend(token, api="graphql").create_update(
        UpdateDraft(profile_id=account.buffer_profile_id, text=text, scheduled_at=buffer_due or due)
    )
    return Post.objects.create(
        owner=account.owner,
        social_account=account,
        workspace_id=account.workspace_id,
        platform="twitter",
        content=text,
        scheduled_time=due,
        status=PostStatus.SCHEDULED,
        buffer_update_id=update.id,
        handed_to_buffer_at=timezone.now(),
    )


def test_twenty_accounts_with_posts_waiting_all_day_cost_a_quarter_of_the_smallest_daily_budget(sandbox, day_start):
    start, traveller = day_start
    accounts = [account for n in range(4) for account in customer(sandbox, n)]
    assert len(accounts) == 20
    for i, account in enumerate(accounts):
        # One post Buffer is slow to send (its queue holds it until the day after), waiting all day ...
        hand_over(account, due=start + dt.timedelta(minutes=1), buffer_due=start + dt.timedelta(days=2), text=f"s{i}")
        # ... and three that Buffer sends on time, through the day.
        for hour in (9, 13, 17):
            hand_over(account, due=start + dt.timedelta(hours=hour), text=f"p{i} at {hour}")
    before = sandbox.stats()["requests"]

    for tick in range(1, 24 * 12 + 1):
        traveller.move_to(start + tick * TICK)
        sync_handed_over_posts()

    requests = sandbox.stats()["requests"] - before
    assert requests <= SMALLEST_DAILY_BUDGET // 4  # 62: every key together, not merely each
    posts = Post.objects.all()
    assert posts.filter(status=PostStatus.PUBLISHED).count() == 60
    assert posts.filter(status=PostStatus.SCHEDULED, content__startswith="s").count() == 20  # still waiting
    # Buffer's own send time, seen within a tick of it: status sync adds no lateness of its own.
    assert {post.lateness_seconds for post in posts.filter(status=PostStatus.PUBLISHED)} == {0.0}
    polls = dict(BufferPollState.objects.values_list("key_digest", "polls"))
    assert len(polls) == 4 and sum(polls.values()) == requests
    print(f"\npolling day: {requests} requests for 20 accounts / 4 keys, per key {sorted(polls.values())}")


def test_a_newly_due_post_is_asked_about_within_the_batch_delay_despite_the_backoff(sandbox, day_start, settings):
    start, traveller = day_start
    [account, *_] = customer(sandbox, 0)
    hand_over(account, due=start + dt.timedelta(minutes=1), buffer_due=start + dt.timedelta(days=2), text="stuck")
    for tick in range(1, 13 * 6):  # six and a half hours: the wait has grown
        traveller.move_to(start + tick * TICK)
        sync_handed_over_posts()
    state = BufferPollState.objects.get()
    assert state.interval_seconds >= 3 * 3600
    polls = state.polls

    post = hand_over(account, due=start + dt.timedelta(hours=6, minutes=35), text="new")
    traveller.move_to(start + dt.timedelta(hours=6, minutes=35))
    assert sync_handed_over_posts() == 0  # posts due about now may share the request
    traveller.move_to(start + dt.timedelta(hours=6, minutes=35, seconds=settings.ENGINE_STATUS_SYNC_BATCH_SECONDS))
    assert sync_handed_over_posts() == 1
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    state.refresh_from_db()
    assert state.polls == polls + 1


def test_settled_and_too_old_posts_are_not_asked_about(sandbox, day_start, settings):
    start, traveller = day_start
    [account, *_] = customer(sandbox, 0)
    hand_over(account, due=start + dt.timedelta(minutes=1), buffer_due=start + dt.timedelta(days=4), text="stuck")
    horizon = dt.timedelta(seconds=settings.ENGINE_STATUS_SYNC_HORIZON_SECONDS)
    traveller.move_to(start + horizon + dt.timedelta(minutes=2))
    before = sandbox.stats()["requests"]
    assert sync_handed_over_posts() == 0
    assert sandbox.stats()["requests"] == before
    assert not BufferPollState.objects.exists()


def test_a_key_out_of_budget_defers_status_sync_to_when_the_budget_refills(sandbox, day_start, monkeypatch):
    start, traveller = day_start
    [account, *_] = customer(sandbox, 0)
    post = hand_over(account, due=start + dt.timedelta(minutes=1), text="due")
    refill = start + dt.timedelta(hours=3)
    asked = []

    class OutOfBudget:
        def find_updates(self, *args, **kwargs):
            raise BufferBudgetExhausted("no room", retry_at=refill, window="24h", priority=Priority.STATUS_SYNC)

    def backend_for(config, *, priority):
        asked.append(priority)
        return OutOfBudget()

    monkeypatch.setattr(status_sync, "backend_for_config", backend_for)
    traveller.move_to(start + 3 * TICK)
    assert sync_handed_over_posts() == 0
    assert asked == [Priority.STATUS_SYNC]
    assert BufferPollState.objects.get().next_poll_at == refill
    traveller.move_to(start + 4 * TICK)
    sync_handed_over_posts()
    assert len(asked) == 1  # deferred: not even asked of the budget again before it refills

    monkeypatch.undo()
    traveller.move_to(refill)
    assert sync_handed_over_posts() == 1
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED


def test_backoff_doubles_up_to_the_cap_and_resets_on_a_change(settings):
    settings.BUFFER_POLL_MAX_INTERVAL_SECONDS = 3600
    now = timezone.now()
    state = polling.state_for(token="1/backoff", organization_id="org", stream="status")
    intervals = []
    for _ in range(6):
        polling.record(state, now=now, changed=False, base_seconds=300)
        intervals.append(state.interval_seconds)
    assert intervals == [300, 600, 1200, 2400, 3600, 3600]
    polling.record(state, now=now, changed=True, base_seconds=300)
    state.refresh_from_db()
    assert (state.interval_seconds, state.next_poll_at, state.last_changed_at) == (
        300,
        now + dt.timedelta(seconds=300),
        now,
    )
    assert state.key_digest != "1/backoff" and "backoff" not in state.key_digest


def test_two_users_on_one_api_key_are_both_followed(sandbox, day_start):
    start, traveller = day_start
    [first, *_] = customer(sandbox, 0)
    other_owner = UserFactory(username="colleague")
    BufferConfigFactory(owner=other_owner, api="graphql", access_token="1/poll-0")
    second = SocialAccountFactory(
        owner=other_owner,
        platform="twitter",
        buffer_profile_id=first.buffer_profile_id,
        buffer_organization_id=first.buffer_organization_id,
    )
    hand_over(first, due=start + dt.timedelta(minutes=1), buffer_due=start + dt.timedelta(days=2), text="stuck")
    # Buffer sends the colleague's post two hours late: the first look misses it, the backoff follows it.
    five, seven = start + dt.timedelta(hours=5), start + dt.timedelta(hours=7)
    post = hand_over(second, due=five, buffer_due=seven, text="colleague's")
    for tick in range(1, 12 * 18):
        traveller.move_to(start + tick * TICK)
        sync_handed_over_posts()
    post.refresh_from_db()
    assert post.status == PostStatus.PUBLISHED
    assert BufferPollState.objects.count() == 1


def test_polling_never_takes_the_days_last_budget_publishing_needs(sandbox, day_start):
    """With the real per-key budget: a key that has published 150 times today (60 % of 250) is not
    polled — status sync leaves the rest to publishing — and the poll waits for the budget's refill."""
    from buffer_integration.budget import KeyBudget

    start, traveller = day_start
    [account, *_] = customer(sandbox, 0)
    publishing = KeyBudget("1/poll-0", api="graphql", priority=Priority.PUBLISH)
    for i in range(150):  # a busy morning, one every four minutes (well within the 15-minute window)
        publishing.admit(now=(start + dt.timedelta(minutes=4 * i)).timestamp())
    ten = start + dt.timedelta(hours=10)
    traveller.move_to(ten)
    post = hand_over(account, due=ten + dt.timedelta(minutes=1), text="due")
    before = sandbox.stats()["requests"]
    traveller.move_to(ten + 3 * TICK)
    assert sync_handed_over_posts() == 0
    assert sandbox.stats()["requests"] == before  # refused before sending
    state = BufferPollState.objects.get()
    assert state.next_poll_at > ten + 3 * TICK
    publishing.admit()  # publishing still has room: 40 % of the day is kept for it
    post.refresh_from_db()
    assert post.status == PostStatus.SCHEDULED
