"""Calendar page benchmark: the month view of a workspace with N posts, as a member sees it.

    .venv/bin/python bench/calendar_bench.py                  # 3,000 posts in one month, 20 renders
    .venv/bin/python bench/calendar_bench.py --posts 10000 --renders 5
    .venv/bin/python bench/calendar_bench.py --grouped        # the posts in groups of 3, each with an image

Runs on a throw-away SQLite database in var/bench-calendar/ (DATABASE_URL & co. from the shell are
ignored). Prints the page's size and render time p50 / max against the target: a month of
3,000 posts under 2 s on the 2-core development machine. The tests pin the queries and the size; the
time is measured here, because a timed assertion fails on a busy CI machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from embedded import BASE_DIR, start_embedded_project

BENCH_DIR = BASE_DIR / "var" / "bench-calendar"
TARGET_SECONDS = 2.0


def configure() -> None:
    start_embedded_project(BENCH_DIR)


def group_posts(workspace, owner, posts: list) -> None:
    """Three deliveries (accounts) a group, each group with one library image: the calendar's heaviest chips."""
    from media_library.models import MediaItem
    from posts.models import Post, PostGroup, PostMedia

    for start in range(0, len(posts), 3):
        deliveries = posts[start : start + 3]
        group = PostGroup.objects.create(workspace=workspace, owner=owner, content=deliveries[0].content)
        item = MediaItem.objects.create(
            workspace=workspace,
            name=f"bench-{start}.png",
            kind="image",
            content_type="image/png",
            file=f"media/{workspace.pk}/bench-{start}.png",
            thumbnail=f"media/{workspace.pk}/thumbs/bench-{start}.jpg",
            size_bytes=1,
            sha256=str(start),
        )
        ids = [post.pk for post in deliveries]
        Post.objects.filter(pk__in=ids).update(group=group, scheduled_time=deliveries[0].scheduled_time)
        PostMedia.objects.bulk_create(PostMedia(post_id=pk, media=item, position=0) for pk in ids)


def run(posts: int, renders: int, *, grouped: bool = False) -> None:
    from django.test import Client
    from django.utils import timezone

    from accounts.models import Membership, Role, SocialAccount, User, Workspace
    from posts.models import Post, PostStatus

    owner = User.objects.create_user(username="bench-owner")
    member = User.objects.create_user(username="bench-member")
    workspace = Workspace.objects.create(name="Bench team")
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    Membership.objects.create(workspace=workspace, user=member, role=Role.VIEWER)
    accounts = [
        SocialAccount.objects.create(owner=owner, workspace=workspace, platform=platform, account_name=f"@b-{platform}")
        for platform in ("twitter", "bluesky", "linkedin")
    ]
    first = timezone.now().replace(day=1, hour=8, minute=0, second=0, microsecond=0)
    created = Post.objects.bulk_create(
        Post(
            owner=owner,
            workspace=workspace,
            social_account=accounts[i % 3 if grouped else 0],
            platform=accounts[i % 3 if grouped else 0].platform,
            content=f"Bench post {i}",
            scheduled_time=first + dt.timedelta(days=i % 28, minutes=i % 600),
            status=PostStatus.SCHEDULED,
        )
        for i in range(posts)
    )
    if grouped:
        group_posts(workspace, owner, created)
    client = Client()
    client.force_login(member)
    session = client.session
    session["workspace_id"] = workspace.pk
    session.save()
    url = f"/?date={first.date().isoformat()}"
    client.get(url, secure=True)  # warm: templates, the tz database
    page = client.get(url, secure=True)
    size = len(page.content)
    if f"{posts} posts in view" not in page.content.decode():
        raise SystemExit(f"the calendar did not show the posts ({page.status_code})")
    times = []
    for _ in range(renders):
        started = time.perf_counter()
        response = client.get(url, secure=True)
        times.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"the calendar answered {response.status_code}")
    p50, worst = statistics.median(times), max(times)
    verdict = "ok" if p50 < TARGET_SECONDS else "OVER TARGET"
    print(f"month of {posts} posts{' in groups of 3 with media' if grouped else ''}: {size / 1024:.0f} KiB")
    print(
        f"render p50 {p50:.3f} s, max {worst:.3f} s over {renders} renders (target p50 < {TARGET_SECONDS} s: {verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--renders", type=int, default=20)
    parser.add_argument("--grouped", action="store_true", help="posts in groups of 3, each with a library image")
    args = parser.parse_args()
    configure()
    run(args.posts, args.renders, grouped=args.grouped)


if __name__ == "__main__":
    main()
