"""End-to-end publishing benchmark: N posts due now, the beat dispatcher and K workers, the sandbox.

    .venv/bin/python bench/publish_bench.py                     # 10,000 posts, 500 accounts, 2 workers
    .venv/bin/python bench/publish_bench.py --posts 2000 --workers 1 --concurrency 4

Everything runs in a throw-away directory (var/bench/: SQLite database, filesystem broker, file
cache) unless --database-url / --redis-url are given (the bench FLUSHES that database: give it a
scratch one); DATABASE_URL & co. from the shell are ignored on purpose. The sandbox runs in its own
process with no latency and Buffer's rate limit off; every account has its own owner with its own
Buffer config (token), so Buffer's per-token limit is not what is measured. Prints posts/s end to
end, lateness (published_at - scheduled_time) p50/p99/max, duplicates (sandbox creates per post
text > 1; must be 0), and the raw rate at which this one process can POST updates/create to the
same sandbox: the ceiling.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parent.parent
BENCH_DIR = BASE_DIR / "var" / "bench"
FERNET_KEY = "YmVuY2gta2V5LWJlbmNoLWtleS1iZW5jaC1rZXktMDE="


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2, help="worker processes (K)")
    parser.add_argument("--concurrency", type=int, default=4, help="pool size of each worker")
    parser.add_argument("--pool", default="prefork", choices=["prefork", "threads", "solo"])
    parser.add_argument("--dispatch-interval", type=int, default=1, help="seconds between beat dispatch ticks")
    parser.add_argument("--raw-seconds", type=float, default=5.0, help="how long to measure the raw POST rate")
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--database-url", default="", help="scratch PostgreSQL database (flushed!)")
    parser.add_argument("--redis-url", default="", help="Redis for the cache, and (db+1) for the broker")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def configure_environment(args: argparse.Namespace, sandbox_url: str) -> dict[str, str]:
    """The environment shared by this process, the beat and the workers (set before Django loads)."""
    shutil.rmtree(BENCH_DIR, ignore_errors=True)
    BENCH_DIR.mkdir(parents=True)
    for name in ("DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "SQLITE_PATH", "CELERY_BROKER_DIR"):
        os.environ.pop(name, None)
    env = {
        "DJANGO_SETTINGS_MODULE": "socialhub.settings",
        "DEBUG": "false",  # DEBUG keeps every query in memory
        "SECRET_KEY": "bench-secret-key-not-for-production-0123456789",
        "FIELD_ENCRYPTION_KEYS": FERNET_KEY,
        "ALLOWED_HOSTS": "localhost",
        "SOCIALHUB_VAR_DIR": str(BENCH_DIR),
        "BUFFER_API_URL": sandbox_url,
        "ENGINE_DISPATCH_INTERVAL": str(args.dispatch_interval),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(BASE_DIR),
    }
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    if args.redis_url:
        root, _, db = args.redis_url.rpartition("/")
        env["REDIS_URL"] = args.redis_url
        env["CELERY_BROKER_URL"] = f"{root}/{int(db or 0) + 1}"
    os.environ.update(env)
    return {**os.environ}


def spawn(cmd: list[str], log_name: str, **kwargs) -> subprocess.Popen:
    """A child in its own process group (stop() takes down its pool too), its output in var/bench/."""
    with open(BENCH_DIR / f"{log_name}.log", "wb") as log:
        return subprocess.Popen(  # noqa: S603
            cmd, cwd=BASE_DIR, start_new_session=True, stdout=log, stderr=subprocess.STDOUT, **kwargs
        )


def start_sandbox(port: int) -> subprocess.Popen:
    code = (
        "from buffer_sandbox.server import SandboxServer\n"
        f"SandboxServer(port={port}, rate_limit_per_minute=0, quiet=True).serve_forever()\n"
    )
    process = spawn([sys.executable, "-c", code], "sandbox")
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(f"{url}/__sandbox/health", timeout=1).raise_for_status()
            return process
        except requests.RequestException:
            time.sleep(0.1)
    raise SystemExit("the sandbox did not start")


def prepare_database() -> None:
    from django.core.management import call_command

    from kernel.periodic import ensure_periodic_tasks

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    ensure_periodic_tasks()


def seed(*, posts: int, accounts: int) -> list[int]:
    """`accounts` users, each with its own Buffer config (v1 token) and one Twitter account on its
    sandbox profile; posts round-robin. Buffer calls use the owner's config, so one user per token."""
    import hashlib

    from django.utils import timezone

    from accounts.models import SocialAccount, User
    from accounts.workspaces import workspace_personal_for
    from buffer_integration.models import BufferConfig
    from posts.models import Post, PostStatus

    users = User.objects.bulk_create([User(username=f"bench{i}") for i in range(accounts)])
    configs, rows = [], []
    for i, user in enumerate(users):
        token = f"bench-token-{i}"
        workspace = workspace_personal_for(user)
        config = BufferConfig(workspace=workspace, owner=user, api="v1")
        config.set_access_token(token)
        configs.append(config)
        rows.append(
            SocialAccount(
                workspace=workspace,
                owner=user,
                platform="twitter",
                account_name=f"@bench{i}",
                buffer_profile_id=hashlib.sha256(f"{token}:twitter".encode()).hexdigest()[:24],
            )
        )
    BufferConfig.objects.bulk_create(configs)
    accounts_created = SocialAccount.objects.bulk_create(rows)
    now = timezone.now()
    batch = [
        Post(
            owner=accounts_created[i % accounts].owner,
            social_account=accounts_created[i % accounts],
            workspace_id=accounts_created[i % accounts].workspace_id,
            platform="twitter",
            content=f"Bench post {i} of {posts} #socialhub",
            scheduled_time=now,
            status=PostStatus.SCHEDULED,
        )
        for i in range(posts)
    ]
    return [p.pk for p in Post.objects.bulk_create(batch, batch_size=1000)]


def raw_post_rate(sandbox_url: str, seconds: float) -> float:
    """Sequential updates/create calls from this one process through the product's client."""
    import hashlib

    from buffer_integration.backends.base import UpdateDraft
    from buffer_integration.backends.v1 import V1Backend

    sent, started, i = 0, time.monotonic(), 0
    while time.monotonic() - started < seconds:
        token = f"raw-token-{i % 500}"
        profile_id = hashlib.sha256(f"{token}:twitter".encode()).hexdigest()[:24]
        V1Backend(token, base_url=sandbox_url, max_retries=0).create_update(
            UpdateDraft(profile_id=profile_id, text=f"raw {i}", now=True)
        )
        sent, i = sent + 1, i + 1
    return sent / (time.monotonic() - started)


def start_pipeline(env: dict[str, str], args: argparse.Namespace) -> list[subprocess.Popen]:
    celery = [sys.executable, "-m", "celery", "-A", "socialhub"]
    quiet = ["--loglevel", "WARNING"]
    processes = [spawn([*celery, "beat", *quiet], "beat", env=env)]
    for k in range(args.workers):
        worker = [*celery, "worker", "--pool", args.pool, "--concurrency", str(args.concurrency)]
        worker += ["--hostname", f"bench{k}@%h", "--without-gossip", "--without-mingle", "--without-heartbeat"]
        processes.append(spawn([*worker, *quiet], f"worker{k}", env=env))
    return processes


def stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def main() -> None:
    args = parse_args()
    port = free_port()
    sandbox_url = f"http://127.0.0.1:{port}"
    env = configure_environment(args, sandbox_url)
    sandbox = start_sandbox(port)
    processes: list[subprocess.Popen] = []
    try:
        import django

        sys.path.insert(0, str(BASE_DIR))
        django.setup()
        from django.db.models import Count, Max, Q
        from django.utils import timezone

        from posts.models import Post, PostStatus

        prepare_database()
        seed(posts=args.posts, accounts=args.accounts)
        raw = raw_post_rate(sandbox_url, args.raw_seconds)
        requests.post(f"{sandbox_url}/__sandbox/reset", timeout=5).raise_for_status()

        t0 = timezone.now()
        Post.objects.update(scheduled_time=t0)  # due from this instant: lateness counts from here
        processes = start_pipeline(env, args)
        done_states = [PostStatus.PUBLISHED, PostStatus.FAILED]
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            done = Post.objects.filter(status__in=done_states).count()
            print(f"\r{done}/{args.posts} done", end="", flush=True, file=sys.stderr)
            if done >= args.posts:
                break
            time.sleep(0.5)
        print(file=sys.stderr)
        stop(processes)

        stats = Post.objects.aggregate(
            published=Count("id", filter=Q(status=PostStatus.PUBLISHED)),
            failed=Count("id", filter=Q(status=PostStatus.FAILED)),
            last=Max("published_at"),
        )
        lateness = [
            (published - scheduled).total_seconds()
            for published, scheduled in Post.objects.filter(status=PostStatus.PUBLISHED).values_list(
                "published_at", "scheduled_time"
            )
            if published is not None and scheduled is not None
        ]
        creates = requests.get(f"{sandbox_url}/__sandbox/stats", timeout=30).json()["creates_by_text"]
        duplicates = sum(count - 1 for count in creates.values() if count > 1)
        elapsed = (stats["last"] - t0).total_seconds() if stats["last"] else float("nan")
        rate = stats["published"] / elapsed if elapsed else float("nan")
        print(f"posts={args.posts} accounts={args.accounts} workers={args.workers}x{args.concurrency} ({args.pool})")
        print(f"published={stats['published']} failed={stats['failed']} in {elapsed:.1f}s")
        print(f"end-to-end: {rate:.1f} posts/s")
        print(
            f"lateness: p50={percentile(lateness, 0.5):.2f}s p99={percentile(lateness, 0.99):.2f}s"
            f" max={max(lateness, default=float('nan')):.2f}s"
        )
        print(f"duplicates: {duplicates}")
        print(f"raw sandbox POST rate (one process): {raw:.1f} req/s")
        print(f"ratio end-to-end / raw: {rate / raw:.2f}")
    finally:
        stop(processes)
        stop([sandbox])


if __name__ == "__main__":
    main()
