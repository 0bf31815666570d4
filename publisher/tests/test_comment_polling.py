"""Frugal comment sync: per (API key, organization), backing off while no comment changes.

A day is simulated with time-machine (the product's clock and the in-process sandbox's move together).
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory, UserFactory
from accounts.workspaces import workspace_personal_for
from buffer_integration.backends import get_backend
from buffer_integration.backends.base import UpdateDraft
from buffer_integration.budget import Priority
from buffer_integration.exceptions import BufferBudgetExhausted
from buffer_integration.tests.factories import BufferConfigFactory
from posts.models import BufferPollState, Post, PostStatus
from publisher import comments
from publisher.comments import sync_all_comments
from publisher.models import Delivery, PublisherPost, ReportedComment

pytestmark = pytest.mark.django_db
TICK = dt.timedelta(seconds=300)  # PUBLISHER_COMMENT_SYNC_INTERVAL


@pytest.fixture
def day_start():
    start = (timezone.now() + dt.timedelta(days=2)).replace(hour=0, minute=0, second=0, microsecond=0)
    with time_machine.travel(start, tick=False) as traveller:
        yield start, traveller


def published_deliveries(sandbox, *, token: str, api: str = "v1", count: int = 5) -> list[Delivery]:
    """`count` publisher deliveries, each a post Buffer has sent, with a comment callback."""
    owner = UserFactory.create(username=f"commenter-{token[-6:]}")
    BufferConfigFactory(owner=owner, api=api, access_token=token)
    account = SocialAccountFactory.create(
        owner=owner, platform="facebook", service_type="page", buffer_profile_id=sandbox.profile_id(token, "facebook")
    )
    deliveries = []
    for i in range(count):
        update = get_backend(token).create_update(UpdateDraft(profile_id=account.buffer_profile_id, text=f"c{i}"))
        sandbox.admin("POST", f"updates/{update.id}/send")
        post = Post.objects.create(
            owner=owner,
            social_account=account,
            workspace_id=account.workspace_id,
            platform="facebook",
            content=f"c{i}",
            scheduled_time=timezone.now(),
            status=PostStatus.PUBLISHED,
            published_at=timezone.now(),
            buffer_update_id=update.id,
        )
        publisher_post = PublisherPost.objects.create(
            workspace=workspace_personal_for(owner),
            owner=owner,
            payload="x",
            comment_callback_url="https://receiver.example/comments",
        )
        deliveries.append(
            Delivery.objects.create(
                publisher_post=publisher_post, post=post, network_target=account, requested_kind="STATUS"
            )
        )
    return deliveries


def test_a_day_of_quiet_deliveries_costs_a_few_polls_not_one_per_tick(sandbox, day_start):
    start, traveller = day_start
    [first, *_] = published_deliveries(sandbox, token="comments-day")
    before = sandbox.stats()["requests"]
    noon_comment = None
    for tick in range(1, 24 * 12 + 1):
        traveller.move_to(start + tick * TICK)
        if tick == 12 * 12:  # someone comments at noon
            noon_comment = sandbox.admin(
                "POST", f"updates/{first.post.buffer_update_id}/comments", json={"text": "Nice", "author": "zoe"}
            ).json()
        sync_all_comments()
    requests = sandbox.stats()["requests"] - before
    state = BufferPollState.objects.get()
    # Every tick would have been 288 polls x 5 deliveries; the backoff makes it about a dozen polls.
    assert state.polls <= 16
    assert requests == 5 * state.polls
    assert ReportedComment.objects.filter(comment_id=noon_comment["id"]).exists()
    print(f"\ncomment day: {state.polls} polls, {requests} requests for 5 deliveries (v1: one per delivery)")


def test_a_new_comment_resets_the_wait(sandbox, day_start):
    start, traveller = day_start
    [delivery] = published_deliveries(sandbox, token="comments-reset", count=1)
    for tick in range(1, 12 * 4):  # four hours of quiet: the wait has grown
        traveller.move_to(start + tick * TICK)
        sync_all_comments()
    state = BufferPollState.objects.get()
    assert state.interval_seconds >= 3600
    sandbox.admin("POST", f"updates/{delivery.post.buffer_update_id}/comments", json={"text": "Late", "author": "yan"})
    traveller.move_to(state.next_poll_at)
    assert sync_all_comments() == 1
    state.refresh_from_db()
    assert state.interval_seconds == 300


def test_a_graphql_key_is_not_asked_for_comments_it_cannot_serve(sandbox, day_start):
    start, traveller = day_start
    published_deliveries(sandbox, token="comments-graphql", count=2)  # made on v1, then the key moves to GraphQL
    from buffer_integration.models import BufferConfig

    BufferConfig.objects.update(api="graphql")
    before = sandbox.stats()["requests"]
    traveller.move_to(start + TICK)
    assert sync_all_comments() == 0
    assert sandbox.stats()["requests"] == before
    state = BufferPollState.objects.get()
    assert state.next_poll_at - (start + TICK) >= dt.timedelta(hours=1)


def test_a_key_out_of_budget_defers_comment_sync(sandbox, day_start, monkeypatch):
    start, traveller = day_start
    published_deliveries(sandbox, token="comments-budget", count=3)
    refill = start + dt.timedelta(hours=2)
    asked = []

    class OutOfBudget:
        unsupported: dict = {}

        def list_interactions(self, update_id, *, event="comment"):
            asked.append(update_id)
            raise BufferBudgetExhausted("no room", retry_at=refill, window="24h", priority=Priority.COMMENT_SYNC)

    priorities = []

    def backend_for(config, *, priority):
        priorities.append(priority)
        return OutOfBudget()

    monkeypatch.setattr(comments, "backend_for_config", backend_for)
    traveller.move_to(start + TICK)
    sync_all_comments()
    assert priorities == [Priority.COMMENT_SYNC] and len(asked) == 1  # the other deliveries wait too
    assert BufferPollState.objects.get().next_poll_at == refill
    traveller.move_to(start + 2 * TICK)
    sync_all_comments()
    assert len(asked) == 1
