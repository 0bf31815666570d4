"""Shared by the queue's tests: an account with time slots, and a draft to queue."""

from __future__ import annotations

from collections.abc import Iterable

from accounts.models import SocialAccount
from accounts.posting_schedule import clean_schedule
from accounts.tests.factories import SocialAccountFactory
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def account_with_slots(
    *, days: dict[str, list[str]], tz: str = "UTC", paused: Iterable[str] = (), **fields
) -> SocialAccount:
    """A social account whose posting schedule is `days` (local times in `tz`) with `paused` days."""
    schedule = clean_schedule({"days": days, "paused_days": list(paused)}).to_json()
    return SocialAccountFactory.create(profile_timezone=tz, queue_schedule=schedule, **fields)


def draft(account: SocialAccount, **fields) -> Post:
    return PostFactory.create(social_account=account, status=PostStatus.DRAFT, scheduled_time=None, **fields)
