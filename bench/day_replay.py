"""Replay one day of a realistic account set against the sandbox's real windows, on an accelerated clock.

    .venv/bin/python bench/day_replay.py                       # 20 keys x 5 channels, 400 posts, ~1 min
    .venv/bin/python bench/day_replay.py --keys 40 --posts 1000 --rush 0.4 --handed-over 0.1

What runs: the sandbox (in this process, GraphQL, Buffer's windows per key on: 100 / 15 min, and the
plan's 250 / 24 h and 3,000 / 30 d where the sandbox has them), a SQLite
database in var/bench-day/, and the real engine functions a beat and a worker would call — dispatch
(Celery eager: each claimed post's publish task runs on the spot), the sweeper and reconciliation every
ENGINE_SWEEP_INTERVAL, the status sync every ENGINE_STATUS_SYNC_INTERVAL. Every customer has its own
GraphQL key and organization with five channels; its posts are spread over the day at round times
(people schedule at :00 / :15 / :30 / :45) with a rush at 9:00 sharp, and a share of them is handed to
Buffer's own queue when the day starts (Buffer sends those, the status sync follows them).

The clock: time-machine moves the product's clock and the sandbox's together. While there is work it runs
at real speed (so a rush takes the time the engine really takes); when there is none it jumps to the next
beat tick at which something is due. A day replays in about a minute.

Prints requests per published post (every HTTP request to Buffer during the day — publishing, hand-overs,
status sync, reconciliation, lookups — over posts published; goal <= 1.2), the peak use per key of the
15-minute and 24-hour windows, lateness (published_at - scheduled_time) p50/p99/max, 429s and duplicates
(sandbox creates per post text > 1; must be 0).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import shutil
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench-day"
FERNET_KEY = "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE="
PLAIN_SERVICES = ("twitter", "facebook", "linkedin", "mastodon", "bluesky")  # no per-network metadata needed
WINDOWS = {"15m": 15 * 60, "24h": 24 * 3600}
LIMITS = {"15m": 100, "24h": 250}  # Buffer's smallest plan: shared/reference/buffer-graphql/README.md §5


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--keys", type=int, default=20, help="customers, each with its own API key")
    parser.add_argument("--channels", type=int, default=5, help="channels (accounts) per key, at most 5")
    parser.add_argument("--posts", type=int, default=400)
    parser.add_argument("--rush", type=float, default=0.3, help="share of the posts scheduled at 9:00 sharp")
    parser.add_argument("--handed-over", type=float, default=0.15, help="share handed to Buffer's own queue")
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--timeout", type=float, default=600.0, help="real seconds before giving up")
    return parser.parse_args()


def configure_environment() -> None:
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    BENCH_DIR.mkdir(parents=True)
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SQLITE_PATH", "CELERY_BROKER_DIR"):
        os.environ.pop(name, None)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "socialhub.settings",
            "DEBUG": "false",
            "SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
            "FIELD_ENCRYPTION_KEYS": FERNET_KEY,
            "ALLOWED_HOSTS": "localhost",
            "SOCIALHUB_VAR_DIR": str(BENCH_DIR),
            "CELERY_TASK_ALWAYS_EAGER": "true",  # the worker's task runs where dispatch queues it
            "LOG_LEVEL": "ERROR",
        }
    )


def day_plan(args: argparse.Namespace, start: dt.datetime) -> list[tuple[int, dt.timedelta, bool]]:
    """(account index, time of day, handed over?) per post: a 9:00 rush, the rest at round times 7:00-22:00."""
    rng = random.Random(args.seed)
    accounts = args.keys * args.channels
    plan = []
    for i in range(args.posts):
        if i < args.posts * args.rush:
            when = dt.timedelta(hours=9)
        else:
            when = dt.timedelta(hours=rng.randint(7, 21), minutes=rng.choice((0, 0, 15, 30, 30, 45)))
        plan.append((rng.randrange(accounts), when, rng.random() < args.handed_over))
    return plan


class RequestLog:
    """Every HTTP request the product sends to Buffer, by key and (simulated) time: a response hook on
    the one pooled Session all backends share, so retries and lookups count too."""

    def __init__(self) -> None:
        self.entries: list[tuple[str, float, str]] = []
        self.recording = False

    def hook(self, response, *args, **kwargs):
        if self.recording:
            request = response.request
            operation = (request.path_url or "").rsplit("/", 1)[-1]
            body = request.body or b""
            if b'"operationName"' in body:
                operation = body.split(b'"operationName": "', 1)[-1].split(b'"', 1)[0].decode()
            self.entries.append((request.headers.get("Authorization", "")[-12:], time.time(), operation))
        return response

    def peak(self, window_seconds: int) -> tuple[int, str]:
        """The highest count of requests any key sent within any window of that length."""
        by_key: dict[str, list[float]] = defaultdict(list)
        for key, when, _ in self.entries:
            by_key[key].append(when)
        best, best_key = 0, ""
        for key, times in by_key.items():
            times.sort()
            lo = 0
            for hi, when in enumerate(times):
                while when - times[lo] >= window_seconds:
                    lo += 1
                if hi - lo + 1 > best:
                    best, best_key = hi - lo + 1, key
        return best, best_key


def sandbox_requests(sandbox) -> int | None:
    """What the sandbox's own per-key windows counted (None with a sandbox that has none)."""
    budgets = getattr(sandbox, "budgets", None)
    return sum(b.requests for b in budgets.tokens.values()) if budgets is not None else None


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def seed_accounts(args: argparse.Namespace) -> tuple[list, list[str]]:
    """One user with a GraphQL Buffer key per `--keys`, and a social account on each of its first
    `--channels` plain channels; the accounts, and the key each one publishes with."""
    from accounts.models import SocialAccount, User
    from accounts.workspaces import workspace_personal_for
    from buffer_integration.backends import get_backend
    from buffer_integration.backends.graphql import GraphQLBackend
    from buffer_integration.models import BufferConfig

    accounts, tokens = [], []
    for k in range(args.keys):
        token = f"1/bench-day-{k}"
        user = User.objects.create(username=f"day{k}")
        config = BufferConfig(workspace=workspace_personal_for(user), owner=user, api="graphql")
        config.set_access_token(token)
        config.save()
        backend = get_backend(token, api="graphql")
        channels = [c for c in backend.list_profiles() if c.service in PLAIN_SERVICES][: args.channels]
        assert isinstance(backend, GraphQLBackend)
        organization_id = channels[0].organization_id or backend._organizations()[0]
        for channel in channels:
            accounts.append(
                SocialAccount.objects.create(
                    workspace=workspace_personal_for(user),
                    owner=user,
                    platform="twitter",
                    account_name=f"@day{k}-{channel.service}",
                    buffer_profile_id=channel.id,
                    buffer_organization_id=organization_id,
                )
            )
            tokens.append(token)
    return accounts, tokens


def run_day(start: dt.datetime, traveller, *, deadline: float) -> None:
    """Beat's periodic tasks from `start` to a day later, the frozen clock moved from one tick with
    something to do to the next; SystemExit once the real clock (time.monotonic) passes `deadline`."""
    from django.conf import settings
    from django.db.models import Min

    from posts import tasks
    from posts.models import Post, PostStatus

    end = start + dt.timedelta(days=1)
    beat = settings.ENGINE_DISPATCH_INTERVAL
    next_sweep = next_status = start
    while True:
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        now = dt.datetime.now(dt.UTC)
        if now >= end:
            break
        tasks.dispatch_due_posts()
        if now >= next_sweep:
            tasks.recover_posts()
            next_sweep = now + dt.timedelta(seconds=settings.ENGINE_SWEEP_INTERVAL)
        if now >= next_status:
            tasks.sync_buffer_statuses()
            next_status = now + dt.timedelta(seconds=settings.ENGINE_STATUS_SYNC_INTERVAL)
        # Idle until the next beat tick with something to do: a due post, a retry, the next periodic run.
        ours = Post.objects.filter(status=PostStatus.SCHEDULED, buffer_update_id="", hold_reason="")
        soonest = ours.aggregate(due=Min("scheduled_time"), retry=Min("retry_at"))
        candidates = [next_status, end] + [v for v in soonest.values() if v is not None]
        if Post.objects.filter(status__in=[PostStatus.PUBLISHING, PostStatus.RECONCILING]).exists():
            candidates.append(next_sweep)  # the sweeper has something to look at
        wake = max(min(candidates), dt.datetime.now(dt.UTC) + dt.timedelta(seconds=beat))
        traveller.move_to(wake)


def main() -> None:
    args = parse_args()
    if not 1 <= args.channels <= len(PLAIN_SERVICES):
        raise SystemExit(f"--channels must be 1..{len(PLAIN_SERVICES)}")
    configure_environment()
    sys.path.insert(0, str(BASE_DIR))
    import time_machine

    from buffer_sandbox.server import SandboxServer

    # Buffer's real 15-minute window per key (the daily one is measured below).
    sandbox = SandboxServer(port=0, rate_limit_per_minute=0, graphql_rate_limit=LIMITS["15m"], quiet=True)
    sandbox.start()
    os.environ["BUFFER_API_URL"] = sandbox.url
    import django

    django.setup()
    from django.core.management import call_command
    from django.db.models import Max

    from buffer_integration.backends import get_backend, get_session
    from buffer_integration.backends.base import UpdateDraft
    from posts import transitions
    from posts.models import BufferPollState, Post, PostStatus

    call_command("migrate", verbosity=0, interactive=False)
    # The day replayed starts at a midnight in the future of the real clock, so that 9:00 reads as 9:00.
    real_now = dt.datetime.now(dt.UTC)
    start = (real_now + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    log = RequestLog()
    get_session().hooks["response"].append(log.hook)
    started_real = time.monotonic()
    with time_machine.travel(start, tick=True) as traveller:
        accounts, tokens = seed_accounts(args)
        plan = day_plan(args, start)
        posts = Post.objects.bulk_create(
            [
                Post(
                    owner=accounts[a].owner,
                    social_account=accounts[a],
                    workspace_id=accounts[a].workspace_id,
                    platform="twitter",
                    content=f"Day post {i} #socialhub",
                    scheduled_time=start + when,
                    status=PostStatus.SCHEDULED,
                )
                for i, (a, when, _) in enumerate(plan)
            ]
        )
        at_sandbox = sandbox_requests(sandbox)
        log.recording = True  # from here on, what the day costs: the hand-overs are the posts' own requests
        for post, (a, _, handed) in zip(posts, plan, strict=True):
            if handed:
                update = get_backend(tokens[a], api="graphql").create_update(
                    UpdateDraft(
                        profile_id=post.social_account.buffer_profile_id,
                        text=post.content,
                        scheduled_at=post.scheduled_time,
                    )
                )
                transitions.hand_to_buffer(
                    post_id=post.pk, buffer_update_id=update.id, handed_at=dt.datetime.now(dt.UTC)
                )

        run_day(start, traveller, deadline=started_real + args.timeout)
        log.recording = False
        if at_sandbox is not None:
            counted = sandbox_requests(sandbox)
            at_sandbox = None if counted is None else counted - at_sandbox
        stats = sandbox.stats.as_dict()
        published = Post.objects.filter(status=PostStatus.PUBLISHED)
        counts = Counter(Post.objects.values_list("status", flat=True))
        lateness = [p.lateness_seconds for p in published if p.lateness_seconds is not None]
        last = published.aggregate(last=Max("published_at"))["last"]
        polls = sum(BufferPollState.objects.values_list("polls", flat=True))
    sandbox.stop()

    total = len(log.entries)
    by_operation = Counter(operation for _, _, operation in log.entries)
    duplicates = sum(count - 1 for count in stats["creates_by_text"].values() if count > 1)
    print(
        f"day of {args.posts} posts, {args.keys} keys x {args.channels} channels, rush {args.rush:.0%} at 9:00,"
        f" {args.handed_over:.0%} handed to Buffer's queue; replayed in {time.monotonic() - started_real:.0f} s"
    )
    print(f"statuses: {dict(sorted(counts.items()))}; last published at {last:%H:%M:%S}" if last else counts)
    print(f"requests: {total} ({dict(by_operation.most_common())}); status-sync polls {polls}")
    if at_sandbox is not None:
        print(f"requests that reached the sandbox's windows: {at_sandbox} (must equal the above)")
    print(f"requests per published post: {total / max(counts[PostStatus.PUBLISHED], 1):.3f} (goal <= 1.2)")
    for name, seconds in WINDOWS.items():
        peak, _ = log.peak(seconds)
        print(f"peak {name} window per key: {peak} / {LIMITS[name]} ({peak / LIMITS[name]:.0%})")
    print(
        f"lateness: p50={percentile(lateness, 0.5):.1f}s p99={percentile(lateness, 0.99):.1f}s"
        f" max={max(lateness, default=float('nan')):.1f}s"
    )
    print(f"429s from the sandbox: {stats['rate_limited']}; duplicates: {duplicates}")


if __name__ == "__main__":
    main()
