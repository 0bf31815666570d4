"""The queue: an account's time slots (its posting schedule, `accounts.posting_schedule`) and the posts in them.

"Add to queue" (`queue_post`) gives a post the next free slot of its account — free: no other post of that
account holds that time (scheduled, waiting for approval, publishing) — and schedules it there by the same
rules and code as rescheduling it by hand (`posts.scheduling.post_reschedule`: validation, approvals, the
audit log), marking it `queued`. Slots are local wall-clock times in the account's timezone
(`profile_timezone`, else the workspace's), computed day by day, so they stay at the same local time across
DST: a slot at a local time a spring-forward skips moves to the next minute that exists (02:30 in
Europe/Berlin on the last Sunday of March → 03:00), and one a fall-back repeats is taken once, at its first
occurrence (summer time). Slots that land on the same instant are one slot.

Races: the database keeps one queued post per (account, time) (`post_one_queued_per_slot`, a partial
unique index); a request that loses a slot to another one between reading and writing gets the
IntegrityError in a savepoint and takes the next free slot. Shuffle and move-to-top lock the account row,
so two reorders of one queue run one after the other.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import SocialAccount, User
from accounts.posting_schedule import PostingSchedule, account_schedule, account_tz
from accounts.roles import Capability, require
from accounts.workspaces import membership_for
from kernel.errors import Conflict, Forbidden, InvalidInput
from posts import approvals, transitions
from posts.models import HOLDS_SLOT, Post, PostStatus
from posts.scheduling import post_reschedule

UTC = dt.UTC
MAX_QUEUE_LISTED = 100  # GET .../queue?count=N
_BATCH = 32  # slots read per query while looking for a free one
_MAX_RACES = 50  # slots lost to concurrent requests before giving up (409): never reached in practice
_MAX_GAP_MINUTES = 180  # the longest DST gap there is (Lord Howe's is 30 min, most are 60)
EMPTY_SCHEDULE = (
    "This account has no time slots: give it posting times (its schedule) before adding posts to its queue."
)


def local_slot(day: dt.date, at: dt.time, tz: ZoneInfo) -> dt.datetime:
    """The instant (UTC) of local time `at` on `day`: a skipped time moves to the next minute that exists,
    a repeated one is its first occurrence (fold=0)."""
    naive = dt.datetime.combine(day, at)
    for minutes in range(_MAX_GAP_MINUTES + 1):
        candidate = naive + dt.timedelta(minutes=minutes)
        aware = candidate.replace(tzinfo=tz)
        if aware.astimezone(UTC).astimezone(tz).replace(tzinfo=None) == candidate:  # it exists
            return aware.astimezone(UTC)
    raise ValueError(f"{naive} does not exist in {tz}")  # pragma: no cover - no zone has such a gap


def _slots_from(schedule: PostingSchedule, tz: ZoneInfo, after: dt.datetime) -> Iterator[dt.datetime]:
    """Every slot strictly after `after`, in order, each instant once (endless; callers take what they need)."""
    if schedule.is_empty:
        return
    day = after.astimezone(tz).date()
    last: dt.datetime | None = None
    while True:
        for at in schedule.times_on(day.weekday()):
            slot = local_slot(day, at, tz)
            if slot > after and (last is None or slot > last):  # a gap merges slots: each instant once
                last = slot
                yield slot
        day += dt.timedelta(days=1)


def upcoming_slots(account: SocialAccount, *, start: dt.datetime, count: int) -> list[dt.datetime]:
    """The account's next `count` slots after `start` (UTC, aware); none when its schedule is empty."""
    slots = _slots_from(account_schedule(account), account_tz(account), start)
    return [slot for _, slot in zip(range(count), slots, strict=False)]


def _taken(account: SocialAccount, slots: list[dt.datetime], *, ignoring: int | None) -> set[dt.datetime | None]:
    """Which of `slots` a post of the account holds (one query)."""
    held = Post.objects.filter(
        social_account=account, status__in=HOLDS_SLOT, scheduled_time__gte=slots[0], scheduled_time__lte=slots[-1]
    )
    if ignoring is not None:
        held = held.exclude(pk=ignoring)
    return set(held.values_list("scheduled_time", flat=True))


def next_free_slot(account: SocialAccount, *, after: dt.datetime, ignoring: int | None = None) -> dt.datetime:
    """The first slot after `after` that no post of the account holds (`ignoring` one post: the one moving)."""
    slots = _slots_from(account_schedule(account), account_tz(account), after)
    while batch := [slot for _, slot in zip(range(_BATCH), slots, strict=False)]:
        taken = _taken(account, batch, ignoring=ignoring)
        free = next((slot for slot in batch if slot not in taken), None)
        if free is not None:
            return free
    raise InvalidInput.from_errors({"schedule": [EMPTY_SCHEDULE]})


def _queue_member(*, post: Post, actor: User) -> bool:
    """The actor may queue the post (EDIT_POSTS in its workspace); whether their posts need approval."""
    membership = membership_for(user=actor, workspace_id=post.workspace_id)
    if membership is None:
        raise Forbidden("Only a member of the post's workspace can add it to a queue.")
    require(membership, Capability.EDIT_POSTS)
    return approvals.membership_needs_approval(membership)


def _ensure_queueable(post: Post) -> None:
    if post.status not in transitions.ALLOWED_FROM["reschedule"]:
        raise Conflict(f"Post {post.pk} is {post.get_status_display().lower()}: it cannot be added to a queue.")
    if post.is_handed_to_buffer and post.status != PostStatus.FAILED:
        raise Conflict(f"Post {post.pk} is in Buffer's own queue: cancel it there first to add it to this one.")


def queue_post(*, post: Post, actor: User) -> Post:
    """Schedule the post at its account's next free slot (`queued`), by the rules of scheduling it by hand.

    A post already in the queue keeps its slot. A member whose posts need approval submits it
    (pending_approval at the slot, which it holds). Errors: InvalidInput (400) for an account without slots
    or a post that may not be scheduled there; Conflict (409) for a post that cannot be scheduled now.
    """
    needs_approval = _queue_member(post=post, actor=actor)
    return queue_as(post=post, needs_approval=needs_approval)


def queue_posts(*, posts: Sequence[Post], actor: User) -> list[Post]:
    """`queue_post` for many posts, in order (a bulk, an import): one member check for all, and each account's
    search starts after the slot its previous post got, so N posts cost O(N) queries rather than O(N²)."""
    if not posts:
        return []
    needs_approval = _queue_member(post=posts[0], actor=actor)
    if any(post.workspace_id != posts[0].workspace_id for post in posts):
        raise InvalidInput.from_errors({"posts": ["Queue posts of one workspace at a time."]})
    return queue_in_order(posts=posts, needs_approval=needs_approval)


def queue_in_order(*, posts: Sequence[Post], needs_approval: bool) -> list[Post]:
    cursor = InOrder(needs_approval=needs_approval)
    return [cursor.queue(post) for post in posts]


class InOrder:
    """Queues posts one after the other: each account's search starts after the slot its previous post got
    (every earlier slot is taken by then), not from now again."""

    def __init__(self, *, needs_approval: bool) -> None:
        self.needs_approval = needs_approval
        self.last: dict[int, dt.datetime] = {}

    def queue(self, post: Post) -> Post:
        in_queue = post.queued and post.status in HOLDS_SLOT  # keeps its slot, which says nothing of earlier ones
        done = queue_as(post=post, needs_approval=self.needs_approval, after=self.last.get(post.social_account_id))
        if not in_queue:
            self.last[post.social_account_id] = done.due_time
        return done


def queue_as(*, post: Post, needs_approval: bool, after: dt.datetime | None = None) -> Post:
    """`queue_post` for a caller that has checked the member already and knows whether they need approval.
    `after`: search from there (a slot known to be taken: `queue_in_order`'s previous one), not from now."""
    now = timezone.now()
    if post.queued and post.status in HOLDS_SLOT and post.scheduled_time and post.scheduled_time > now:
        return post
    _ensure_queueable(post)
    start = max(now, after) if after is not None else now
    for _ in range(_MAX_RACES):
        slot = next_free_slot(post.social_account, after=start, ignoring=post.pk)
        try:
            with transaction.atomic():  # a savepoint: losing the slot leaves the caller's transaction usable
                return post_reschedule(post=post, scheduled_time=slot, needs_approval=needs_approval, queued=True)
        except IntegrityError:
            continue  # another request took this slot a moment ago: the next free one
    raise Conflict("The queue is busy: try again in a moment.")


def queue_item_errors(*, account: SocialAccount | None, item: dict) -> dict[str, list[str]]:
    """Why a new post (bulk create's `"queue": true`) cannot be queued, checked before anything is created."""
    if item.get("scheduled_time") is not None:
        return {"queue": ["Give a scheduled_time or queue: true, not both."]}
    if account is not None and account_schedule(account).is_empty:
        return {"queue": [EMPTY_SCHEDULE]}
    return {}


# -- the order: shuffle, move to top ------------------------------------------------------------------------


def queued_posts(account: SocialAccount, *, after: dt.datetime) -> list[Post]:
    """The posts in the account's queue from `after` on, in slot order (what shuffle and move-to-top move)."""
    return list(
        Post.objects.filter(
            social_account=account, queued=True, status__in=HOLDS_SLOT, buffer_update_id="", scheduled_time__gt=after
        )
        .exclude(status__in=transitions.BUSY)
        .order_by("scheduled_time", "id")
    )


def _reassign(posts: list[Post], times: list[dt.datetime]) -> None:
    """Give `posts[i]` the slot `times[i]` (the same set of slots) through the reschedule transition, which
    keeps each post's approval (only its time moves) and records it. The posts leave their slots first:
    a slot is never held twice, even for an instant, so the unique index holds throughout."""
    moving = [post for post, slot in zip(posts, times, strict=True) if post.scheduled_time != slot]
    Post.objects.filter(pk__in=[post.pk for post in moving]).update(queued=False)
    for post, slot in zip(posts, times, strict=True):
        if post.scheduled_time == slot:
            continue
        if not transitions.reschedule(post_id=post.pk, scheduled_time=slot, queued=True):
            raise Conflict(f"Post {post.pk} changed state while the queue was being reordered; try again.")


def _lock(account: SocialAccount) -> None:
    SocialAccount.objects.select_for_update().filter(pk=account.pk).exists()


def shuffle_queue(*, account: SocialAccount, actor: User, rng: random.Random | None = None) -> list[Post]:
    """Put the account's queued posts in a random order over the slots they hold; returns them in slot order."""
    _require_edit(account=account, actor=actor)
    with transaction.atomic():
        _lock(account)
        posts = queued_posts(account, after=timezone.now())
        times = [post.due_time for post in posts]
        order = list(posts)
        (rng or random.SystemRandom()).shuffle(order)
        _reassign(order, times)
    return queued_posts(account, after=timezone.now())


def move_to_top(*, post: Post, actor: User) -> Post:
    """The queued post takes the queue's first slot; the posts before it each move one slot later."""
    _require_edit(account=post.social_account, actor=actor)
    with transaction.atomic():
        _lock(post.social_account)
        posts = queued_posts(post.social_account, after=timezone.now())
        if post.pk not in {p.pk for p in posts}:
            raise Conflict(f"Post {post.pk} is not waiting in its account's queue: only queued posts move.")
        times = [p.due_time for p in posts]
        order = [post, *(p for p in posts if p.pk != post.pk)]
        _reassign([p for p in order], times)
    post.refresh_from_db()
    return post


def _require_edit(*, account: SocialAccount, actor: User) -> None:
    membership = membership_for(user=actor, workspace_id=account.workspace_id)
    if membership is None:
        raise Forbidden("Only a member of the account's workspace can reorder its queue.")
    require(membership, Capability.EDIT_POSTS)


# -- reading the queue ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueSlot:
    at: dt.datetime  # UTC
    local: dt.datetime  # in the account's timezone
    post: Post | None  # what fills it (queued or scheduled there by hand), or None: free


def queue_for(account: SocialAccount, *, count: int, now: dt.datetime | None = None) -> list[QueueSlot]:
    """The account's next `count` slots with the post holding each (two queries whatever `count`)."""
    tz = account_tz(account)
    slots = upcoming_slots(account, start=now or timezone.now(), count=count)
    if not slots:
        return []
    held = (
        Post.objects.filter(
            social_account=account, status__in=HOLDS_SLOT, scheduled_time__gte=slots[0], scheduled_time__lte=slots[-1]
        )
        .with_relations()
        .order_by("-queued", "id")  # a queued post first, where a hand-scheduled one shares its time
    )
    by_time: dict[dt.datetime, Post] = {}
    for post in held:
        by_time.setdefault(post.due_time, post)
    return [QueueSlot(at=slot, local=slot.astimezone(tz), post=by_time.get(slot)) for slot in slots]
