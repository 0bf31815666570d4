"""The calendar's chips (one per post group and time, thumbnail, first line, looks), its views (month counts,
the week's first hour, the list) and their query counts whatever the number of posts, groups and media."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from media_library.models import MediaItem
from posts.models import Post, PostGroup, PostMedia, PostStatus
from posts.tests.factories import PostFactory
from posts.tests.test_web_calendar import DAY, at, cell, chips

pytestmark = pytest.mark.django_db


def chip_html(html: str, post_id: int) -> str:
    """One chip's markup: its <li>, the <li>s of its deliveries inside it included."""
    start = html.rindex('<li class="chip ', 0, html.index(f'data-post-id="{post_id}"'))
    depth = 0
    for tag in re.finditer(r"<li\b|</li>", html[start:]):
        depth += 1 if tag.group() == "<li" else -1
        if depth == 0:
            return html[start : start + tag.end()]
    raise AssertionError("unclosed chip")


def group_of(owner, accounts, when: dt.datetime, content: str = "Spring launch\nsecond line") -> list:
    group = PostGroup.objects.create(workspace=workspace_personal_for(owner), owner=owner, content=content)
    return [PostFactory(social_account=a, group=group, content=content, scheduled_time=when) for a in accounts]


@pytest.fixture
def three_accounts(owner, account):
    return [
        account,
        SocialAccountFactory(owner=owner, platform="bluesky", account_name="brand.bsky.social"),
        SocialAccountFactory(owner=owner, platform="linkedin", account_name="Brand Inc"),
    ]


class TestGroupChips:
    def test_three_deliveries_of_a_group_at_one_time_are_one_chip_with_three_network_icons(
        self, web, owner, three_accounts
    ):
        posts = group_of(owner, three_accounts, at(owner, DAY, 10))
        html = web.get(f"/?date={DAY}").content.decode()
        assert chips(html) == [str(posts[0].pk)]
        chip = chip_html(html, posts[0].pk)
        nets = chip[: chip.index('class="deliveries"')]
        assert all(f"net-{p}" in nets for p in ("twitter", "bluesky", "linkedin"))
        assert f'data-post-ids="{" ".join(str(p.pk) for p in posts)}"' in chip
        assert 'aria-expanded="false"' in chip and f'aria-controls="deliveries-{posts[0].pk}"' in chip
        assert re.findall(r'data-delivery-id="(\d+)"', chip) == [str(p.pk) for p in posts]
        assert "@brand" in chip and "brand.bsky.social" in chip and "Brand Inc" in chip
        assert f"Reschedule posts {posts[0].pk} {posts[1].pk} {posts[2].pk}" in chip

    def test_a_delivery_moved_to_another_time_is_its_own_chip(self, web, owner, three_accounts):
        posts = group_of(owner, three_accounts, at(owner, DAY, 10))
        Post.objects.filter(pk=posts[2].pk).update(scheduled_time=at(owner, DAY, 15))
        html = web.get(f"/?date={DAY}").content.decode()
        assert chips(html) == [str(posts[0].pk), str(posts[2].pk)]
        assert 'data-delivery-id="' not in chip_html(html, posts[2].pk)  # alone: nothing to expand
        assert re.findall(r'data-delivery-id="(\d+)"', chip_html(html, posts[0].pk)) == [
            str(posts[0].pk),
            str(posts[1].pk),
        ]

    def test_posts_without_a_group_at_one_time_stay_apart(self, web, owner, three_accounts):
        for a in three_accounts:
            PostFactory(social_account=a, scheduled_time=at(owner, DAY, 10))
        assert len(chips(web.get(f"/?date={DAY}").content.decode())) == 3

    def test_a_group_chip_wears_its_most_urgent_look_and_each_delivery_its_own(self, web, owner, three_accounts):
        posts = group_of(owner, three_accounts, at(owner, DAY, 10))
        Post.objects.filter(pk=posts[1].pk).update(status=PostStatus.FAILED)
        Post.objects.filter(pk=posts[2].pk).update(status=PostStatus.PUBLISHED)
        chip = chip_html(web.get(f"/?date={DAY}").content.decode(), posts[0].pk)
        assert chip.startswith('<li class="chip look-failed chip-group"')
        head = chip[: chip.index('class="deliveries"')]
        assert "status-failed" in head and ">Failed<" in head
        rows = chip[chip.index('class="deliveries"') :]
        assert [m for m in re.findall(r"delivery look-(\w+)", rows)] == ["scheduled", "failed", "published"]


LOOK_CASES = {
    "held": ({"hold_reason": "The campaign is paused"}, "Held"),
    "queued": ({"buffer_update_id": "upd-1"}, "In Buffer\u2019s queue"),
    "pending_approval": ({"status": PostStatus.PENDING_APPROVAL, "approval_required": True}, "Needs approval"),
    "failed": ({"status": PostStatus.FAILED}, "Failed"),
    "published": ({"status": PostStatus.PUBLISHED}, "Published"),
    "scheduled": ({}, "Scheduled"),
    "draft": ({"status": PostStatus.DRAFT}, "Draft"),
}


class TestLooks:
    @pytest.mark.parametrize("key", list(LOOK_CASES))
    def test_each_state_has_its_own_look_colour_icon_and_word(self, web, owner, account, key):
        fields, label = LOOK_CASES[key]
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9), **fields)
        chip = chip_html(web.get(f"/?date={DAY}").content.decode(), post.pk)
        assert chip.startswith(f'<li class="chip look-{key}"')
        assert f'class="badge look status-{key}"' in chip and f">{label}</span>" in chip

    def test_a_scheduled_post_awaiting_approval_needs_approval(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9), approval_required=True)
        assert "status-pending_approval" in chip_html(web.get(f"/?date={DAY}").content.decode(), post.pk)

    def test_a_held_chip_says_why(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9), hold_reason="Account inactive")
        assert 'title="Held: Account inactive"' in chip_html(web.get(f"/?date={DAY}").content.decode(), post.pk)

    def test_the_legend_names_every_look(self, web, owner, account):
        PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9))
        html = web.get(f"/?date={DAY}").content.decode()
        legend = html[html.index('id="cal-legend"') : html.index("</details>")]
        for word in ("Held", "Handed to Buffer", "Needs approval", "Failed", "Published"):
            assert f">{word} — " in legend


class TestChipContent:
    def test_the_first_line_is_shown_whole_for_the_css_to_cut(self, web, owner, account):
        long_line = "A first line well beyond eighty characters, " * 3
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9), content=f"{long_line}\nhidden")
        chip = chip_html(web.get(f"/?date={DAY}").content.decode(), post.pk)
        assert f'<span class="chip-text">{long_line.strip()}</span>' in chip and "hidden" not in chip

    def test_the_thumbnail_is_the_first_library_items(self, web, owner, account):
        workspace = workspace_personal_for(owner)
        post = PostFactory(
            social_account=account, scheduled_time=at(owner, DAY, 9), media_urls=["https://x.test/a.png"]
        )
        for position, name in ((1, "second"), (0, "first")):
            item = MediaItem.objects.create(
                workspace=workspace,
                name=f"{name}.png",
                kind="image",
                content_type="image/png",
                file=f"media/{workspace.pk}/{name}.png",
                thumbnail=f"media/{workspace.pk}/thumbs/{name}.jpg",
                size_bytes=10,
                sha256=name,
            )
            PostMedia.objects.create(post=post, media=item, position=position)
        chip = chip_html(web.get(f"/?date={DAY}").content.decode(), post.pk)
        assert re.search(rf'class="chip-thumb" src="[^"]*media/{workspace.pk}/thumbs/first.jpg"', chip)

    def test_without_library_items_the_first_image_url_is_the_thumbnail(self, web, owner, account):
        urls = ["https://cdn.test/clip.mp4", "https://cdn.test/photo.jpg"]
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9), media_urls=urls)
        bare = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 10))
        html = web.get(f"/?date={DAY}").content.decode()
        assert 'class="chip-thumb" src="https://cdn.test/photo.jpg"' in chip_html(html, post.pk)
        assert "chip-thumb" not in chip_html(html, bare.pk)


class TestViews:
    def test_the_month_shows_each_days_post_count(self, web, owner, three_accounts):
        group_of(owner, three_accounts, at(owner, DAY, 10))
        PostFactory(social_account=three_accounts[0], scheduled_time=at(owner, DAY, 12), status=PostStatus.FAILED)
        day = cell(web.get(f"/?date={DAY}").content.decode(), str(DAY))
        assert '<span class="day-count" title="1 Failed, 3 Scheduled">4<span class="sr-only"> posts' in day
        assert "day-count" not in cell(web.get(f"/?date={DAY}").content.decode(), "2030-03-15")

    @pytest.mark.parametrize(("hours", "first"), [((10, 14), 7), ((5, 14), 5), ((), 7)])
    def test_the_week_starts_at_its_first_hour_with_posts_or_at_seven(self, web, owner, account, hours, first):
        for hour in hours:
            PostFactory(social_account=account, scheduled_time=at(owner, DAY + dt.timedelta(days=1), hour))
        html = web.get(f"/?view=week&date={DAY}").content.decode()
        assert f'data-date="{DAY}" data-hour="{first}"' in html
        assert f'data-date="{DAY}" data-hour="{first - 1}"' not in html and f"week from-{first}" in html
        assert 'data-hour="23"' in html
        toggle = re.search(r'<a class="button" id="cal-hours" href="([^"]+)">([^<]+)</a>', html)
        assert toggle and toggle.group(2) == "Show the whole day" and "hours=all" in toggle.group(1)

    def test_the_whole_day_toggle_shows_every_hour_and_is_kept_in_the_links(self, web, owner, account):
        PostFactory(social_account=account, scheduled_time=at(owner, DAY, 10))
        html = web.get(f"/?view=week&date={DAY}&hours=all&platform=twitter").content.decode()
        assert f'data-date="{DAY}" data-hour="0"' in html and "week from-0" in html
        assert "date=2030-03-21&amp;platform=twitter&amp;hours=all" in html  # next week stays whole-day
        assert '<input type="hidden" name="hours" value="all">' in html
        assert ">Hide the early hours</a>" in html

    def test_the_day_view_is_one_column_of_hours_from_its_first_post(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 6, 30))
        PostFactory(social_account=account, scheduled_time=at(owner, DAY + dt.timedelta(days=1), 3))
        html = web.get(f"/?view=day&date={DAY}").content.decode()
        assert "Thursday 14 March 2030" in html and "week from-6 one-day" in html
        assert chips(html) == [str(post.pk)]
        assert f'data-date="{DAY}" data-hour="6"' in html and 'data-hour="5"' not in html
        assert "?view=day&amp;date=2030-03-15" in html and "?view=day&amp;date=2030-03-13" in html

    def test_the_list_shows_the_months_days_with_posts_and_the_same_chips(self, web, owner, three_accounts):
        posts = group_of(owner, three_accounts, at(owner, DAY, 10))
        later = PostFactory(social_account=three_accounts[0], scheduled_time=at(owner, DAY.replace(day=20), 9))
        PostFactory(social_account=three_accounts[0], scheduled_time=at(owner, dt.date(2030, 4, 1), 9))
        html = web.get(f"/?view=list&date={DAY}").content.decode()
        assert "March 2030" in html and 'aria-current="page">List<' in html
        assert re.findall(r'class="list-day-head" id="list-day-([\d-]+)"', html) == [str(DAY), "2030-03-20"]
        assert chips(html) == [str(posts[0].pk), str(later.pk)]
        assert "date=2030-04-01" in html  # next: April
        assert "Thursday 14 March" in html

    def test_the_month_names_each_day_for_the_phone_agenda(self, web, owner, account):
        PostFactory(social_account=account, scheduled_time=at(owner, DAY, 10))
        html = web.get(f"/?date={DAY}").content.decode()
        assert '<span class="day-name" aria-hidden="true">Thursday 14 March</span>' in html

    @pytest.mark.parametrize("view", ["month", "week", "list"])
    def test_another_workspaces_posts_and_groups_never_show(self, web, owner, outsider, view, account):
        theirs = group_of(outsider, [SocialAccountFactory(owner=outsider) for _ in range(2)], at(owner, DAY, 10))
        mine = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 10))
        html = web.get(f"/?view={view}&date={DAY}").content.decode()
        assert chips(html) == [str(mine.pk)]
        assert all(f"/posts/{p.pk}/" not in html for p in theirs)


def grouped_posts_with_media(owner, accounts, count: int) -> None:
    workspace = workspace_personal_for(owner)
    for i in range(count):
        when = at(owner, DAY.replace(day=1 + i % 28), 8 + i % 12)
        posts = group_of(owner, accounts, when)
        item = MediaItem.objects.create(
            workspace=workspace,
            name=f"m{i}.png",
            kind="image",
            content_type="image/png",
            file=f"media/{workspace.pk}/m{i}.png",
            thumbnail=f"media/{workspace.pk}/thumbs/m{i}.jpg",
            size_bytes=1,
            sha256=str(i),
        )
        PostMedia.objects.bulk_create(PostMedia(post=post, media=item, position=0) for post in posts)


class TestQueryCount:
    @pytest.mark.parametrize("count", [2, 30])
    @pytest.mark.parametrize("view", ["month", "week", "day", "list"])
    def test_each_view_costs_the_same_queries_whatever_the_groups_and_media(
        self, web, owner, three_accounts, count, view, django_assert_num_queries
    ):
        grouped_posts_with_media(owner, three_accounts, count)
        # session, user, membership (with its workspace), accounts, campaigns, the calendar's posts (groups
        # and first media in the same query), the publisher marks, the Buffer config, the switcher, the bell
        with django_assert_num_queries(10):
            html = web.get(f"/?view={view}&date={DAY.replace(day=1)}").content.decode()
        assert "chip-thumb" in html and "chip-group" in html
        if count == 2:  # one group on each of the 1st and 2nd: the day view shows the 1st only
            assert len(chips(html)) == (1 if view == "day" else 2)
