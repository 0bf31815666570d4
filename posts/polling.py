"""Frugal background polling of Buffer: once per (API key, organization), backing off while nothing changes.

Buffer's budget is per API key and small (100 / 15 min, 250 / 24 h on the smallest plans, shared by all of
the key's organizations: https://developers.buffer.com/guides/api-limits.html, summarised in
shared/reference/buffer-graphql/README.md §5), and publishing must never starve. So the status sync and the
comment sync do not ask per post or per account on every beat tick; for each (key, organization) and stream:

- one request asks for every channel with posts waiting, filtered at Buffer (`find_updates`);
- after a poll that found nothing new the wait doubles, from the stream's beat interval up to
  BUFFER_POLL_MAX_INTERVAL_SECONDS; a poll that found a change resets it to the beat interval;
- a post that became due, or was handed over, since the last poll is asked about soon whatever the
  backoff (`fresh`; the caller may wait a little so that posts due together share the request);
- the caller decides what counts as a change (status sync: a post that was already waiting moved, or a
  newly due one is not sent yet);
- a caller over budget (`BufferBudgetExhausted`) waits until the budget's `retry_at`, durably.

The state lives in `BufferPollState`, so every worker and every restart sees the same backoff.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Q

from buffer_integration.budget import key_id
from posts.models import BufferPollState


def max_interval() -> float:
    return float(settings.BUFFER_POLL_MAX_INTERVAL_SECONDS)


def state_for(*, token: str, organization_id: str, stream: str) -> BufferPollState:
    state, _ = BufferPollState.objects.get_or_create(
        key_digest=key_id(token), organization_id=organization_id, stream=stream
    )
    return state


def is_due(state: BufferPollState, *, now: dt.datetime, fresh_since: dt.datetime | None = None) -> bool:
    """Whether to ask now: the backoff has run out, or something new (`fresh_since`) came after the last poll.

    A first poll waits for something new as well: a state made for posts not ripe yet asks nothing.
    Polled at this very `now` means by this run, for another SocialHub user on the same API key: that
    user's posts are asked about too, or they would wait behind the first user's backoff forever.
    """
    if state.last_polled_at == now:
        return True
    if fresh_since is not None and (state.last_polled_at is None or fresh_since > state.last_polled_at):
        return True
    return state.last_polled_at is not None and (state.next_poll_at is None or now >= state.next_poll_at)


def take(state: BufferPollState, *, now: dt.datetime) -> bool:
    """Claim this poll (compare-and-set on `last_polled_at`): False when another worker just took it."""
    if state.last_polled_at == now:
        state.joined = True  # this run took it already (see `is_due`): the first poll's record stands
        return True
    taken = (
        BufferPollState.objects.filter(pk=state.pk)
        .filter(Q(last_polled_at=state.last_polled_at) if state.last_polled_at else Q(last_polled_at__isnull=True))
        .update(last_polled_at=now)
    )
    if taken:
        state.last_polled_at = now
    return bool(taken)


def record(state: BufferPollState, *, now: dt.datetime, changed: bool, base_seconds: float) -> None:
    """After a poll: reset to the base interval on a change (or the first poll), else double up to the cap."""
    if state.joined and not changed:
        return
    if changed or not state.interval_seconds:
        interval = base_seconds
    else:
        interval = min(state.interval_seconds * 2, max(max_interval(), base_seconds))
    state.interval_seconds = int(interval)
    state.next_poll_at = now + dt.timedelta(seconds=interval)
    state.polls += 1
    fields = {"interval_seconds": state.interval_seconds, "next_poll_at": state.next_poll_at, "polls": state.polls}
    if changed:
        state.last_changed_at = fields["last_changed_at"] = now
    BufferPollState.objects.filter(pk=state.pk).update(**fields)


def defer(state: BufferPollState, *, until: dt.datetime) -> None:
    """The key's budget has no room for this stream before `until`: no request was sent, ask again then."""
    state.next_poll_at = until
    BufferPollState.objects.filter(pk=state.pk).update(next_poll_at=until)
