"""One date format on every page, in the user's timezone (web.common.format_* and the `when`/`day` filters)."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from analytics.tests.factories import PostAnalyticsFactory
from posts.models import PostStatus
from posts.tests.factories import PostFactory
from web.charts import snapshot_chart
from web.common import format_date, format_datetime

pytestmark = pytest.mark.django_db
# 09:15 UTC is 10:15 in Berlin (the owner's timezone in the posts tests).
MOMENT = dt.datetime(2030, 3, 14, 9, 15, tzinfo=dt.UTC)
SHOWN = "Thu 14 Mar 2030, 10:15"


def test_the_helpers_write_the_users_local_time():
    with timezone.override("Europe/Berlin"):
        assert format_datetime(MOMENT) == SHOWN
        assert format_datetime(MOMENT, seconds=True) == "Thu 14 Mar 2030, 10:15:00"
        assert format_date(MOMENT) == "Thu 14 Mar 2030"
        assert format_date(dt.date(2030, 3, 4)) == "Mon 4 Mar 2030"
    with timezone.override("America/New_York"):
        assert format_datetime(MOMENT) == "Thu 14 Mar 2030, 05:15"


def test_list_detail_campaign_and_calendar_write_a_moment_the_same_way(web, owner, account, campaign):
    post = PostFactory(social_account=account, campaign=campaign, scheduled_time=MOMENT)
    pages = {
        "list": web.get("/posts/").content.decode(),
        "detail": web.get(f"/posts/{post.pk}/").content.decode(),
        "campaign": web.get(f"/campaigns/{campaign.pk}/").content.decode(),
        "calendar": web.get("/?date=2030-03-14").content.decode(),
    }
    for name, html in pages.items():
        assert SHOWN in html, name
    assert f'<time datetime="{MOMENT.isoformat()}">{SHOWN}</time>' in pages["detail"]


def test_account_and_snapshot_times_use_it_too(web, owner, account):
    account.last_checked_at = MOMENT
    account.save(update_fields=["last_checked_at"])
    post = PostFactory(social_account=account, status=PostStatus.PUBLISHED, published_at=MOMENT)
    PostAnalyticsFactory(post=post, recorded_at=MOMENT)
    assert SHOWN in web.get("/accounts/").content.decode()
    assert f"<td>{SHOWN}</td>" in web.get(f"/posts/{post.pk}/").content.decode()


def test_templates_write_dates_only_through_the_filters():
    """Machine formats ('c', 'Y-m-d') and the calendar grid's day labels are fine; any other date with a year is not."""
    machine = {"'c'", "'Y-m-d'", '"c"', '"Y-m-d"'}
    offenders = []
    for path in (Path(settings.BASE_DIR) / "templates").rglob("*.html"):
        for fmt in re.findall(r"\|(?:date|time):(\"[^\"]*\"|'[^']*')", path.read_text()):
            if fmt not in machine and ("Y" in fmt or "H" in fmt):
                offenders.append(f"{path.name}: {fmt}")
    assert offenders == []


class TestChart:
    def test_a_single_snapshot_draws_a_point_for_each_series(self, owner):
        snapshot = PostAnalyticsFactory.build(recorded_at=MOMENT, views=1000, likes=50, shares=10, comments=5)
        chart = snapshot_chart([snapshot], tz=owner.tzinfo)
        assert len(chart["first_dots"]) == 1 and len(chart["dots"]) == 1
        dot = chart["first_dots"][0]
        assert chart["left"] < dot["x"] < chart["right_x"] and dot["y"] < chart["base_y"]
        assert chart["x_labels"] == [{"x": dot["x"], "label": SHOWN}]

    def test_the_post_page_draws_it(self, web, account):
        post = PostFactory(social_account=account, status=PostStatus.PUBLISHED, published_at=MOMENT)
        PostAnalyticsFactory(post=post, recorded_at=MOMENT, views=400)
        html = web.get(f"/posts/{post.pk}/").content.decode()
        assert re.search(r'<circle class="dot" cx="[\d.]+" cy="[\d.]+" r="4"><title>[^<]*400 views</title>', html)

    def test_long_labels_are_thinned_so_they_do_not_overlap(self, owner):
        snapshots = [PostAnalyticsFactory.build(recorded_at=MOMENT + dt.timedelta(hours=i), views=i) for i in range(12)]
        labels = snapshot_chart(snapshots, tz=owner.tzinfo)["x_labels"]
        gaps = [b["x"] - a["x"] for a, b in itertools.pairwise(labels)]
        assert 1 < len(labels) < 12 and min(gaps) > len(SHOWN) * 6
