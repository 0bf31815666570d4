"""Recurring posts in the pages: the composer's Repeat option and preview, the post page's series box,
"edit this and following" and "end series"."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine

from posts.models import Post, PostSeries, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 3, 20, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def berlin_account(account):
    account.profile_timezone = "Europe/Berlin"
    account.save(update_fields=["profile_timezone"])
    return account


def compose(web, account, **fields):
    data = {
        "accounts": [account.pk],
        "content": "Daily tip #socialhub",
        "media_urls": "",
        "scheduled_time": "2026-03-21T02:30",  # Berlin, like the owner
        "action": "schedule",
        **fields,
    }
    return web.post("/posts/new/", data)


def field_errors(html: str, field: str) -> list[str]:
    return re.findall(rf'<p class="error" id="id_{field}_error">([^<]*)</p>', html)


def test_the_composer_offers_repeat_presets_and_a_custom_rule(web, berlin_account):
    html = web.get("/posts/new/").content.decode()
    assert 'name="repeat"' in html and 'name="recurrence"' in html
    assert "Weekly on this day" in html and "/static/js/repeat.js" in html
    assert 'data-preview-url="/posts/recurrence-preview/"' in html


def test_composing_a_daily_post_makes_a_series_and_shows_it_on_the_post_page(web, berlin_account):
    response = compose(
        web, berlin_account, repeat="custom", recurrence="FREQ=DAILY;COUNT=12", scheduled_time="2026-03-27T02:30"
    )
    assert response.status_code == 302
    series = PostSeries.objects.get()
    first = series.posts.order_by("scheduled_time").first()
    assert response["Location"] == f"/posts/{first.pk}/" and series.posts.count() == 12
    html = web.get(response["Location"]).content.decode()
    assert "FREQ=DAILY;COUNT=12" in html and "Europe/Berlin" in html
    assert "02:30 does not exist on 2026-03-29 (clocks go forward): moved to 03:00." in html
    assert "End series" in html and f"/posts/{first.pk}/edit/?scope=following" in html


def test_a_preset_repeats_unbounded_at_the_same_local_time(web, berlin_account):
    assert compose(web, berlin_account, repeat="FREQ=WEEKLY").status_code == 302
    series = PostSeries.objects.get()
    assert series.rule == "FREQ=WEEKLY" and series.posts.count() == 5


def test_a_bad_rule_is_shown_next_to_the_field_and_nothing_is_made(web, berlin_account):
    response = compose(web, berlin_account, repeat="custom", recurrence="FREQ=MINUTELY")
    assert response.status_code == 400
    assert "may repeat at most hourly" in field_errors(response.content.decode(), "recurrence")[0]
    response = compose(web, berlin_account, repeat="FREQ=DAILY", action="publish")
    assert response.status_code == 400 and field_errors(response.content.decode(), "repeat")
    assert not Post.objects.exists() and not PostSeries.objects.exists()


def test_the_preview_lists_the_next_occurrences_with_dst_notes(web, berlin_account):
    query = {"rule": "FREQ=DAILY", "start": "2026-03-27T02:30", "account": berlin_account.pk}
    body = web.get("/posts/recurrence-preview/", query).json()
    assert body["ok"] and body["timezone"] == "Europe/Berlin"
    assert [row["local"] for row in body["occurrences"]][:3] == [
        "Fri 2026-03-27 02:30 CET",
        "Sat 2026-03-28 02:30 CET",
        "Sun 2026-03-29 03:00 CEST",
    ]
    assert body["occurrences"][2]["note"].endswith("moved to 03:00.")
    refused = web.get("/posts/recurrence-preview/", {"rule": "FREQ=SECONDLY"})
    assert refused.status_code == 400 and "at most hourly" in refused.json()["error"]


def test_edit_this_and_following_from_the_page(web, berlin_account):
    compose(web, berlin_account, repeat="custom", recurrence="FREQ=DAILY;COUNT=6")
    old = PostSeries.objects.get()
    third = old.posts.order_by("scheduled_time")[2]
    page = web.get(f"/posts/{third.pk}/edit/?scope=following").content.decode()
    assert "This and the following occurrences" in page and "FREQ=DAILY;COUNT=6" in page
    data = {
        "social_account": berlin_account.pk,
        "content": "From now on #socialhub",
        "media_urls": "",
        "scheduled_time": "2026-03-23T02:30",
        "repeat": "custom",
        "recurrence": "FREQ=DAILY;COUNT=2",
        "action": "schedule",
    }
    response = web.post(f"/posts/{third.pk}/edit/?scope=following", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    new = PostSeries.objects.exclude(pk=old.pk).get()
    assert list(new.posts.values_list("content", flat=True)) == ["From now on #socialhub"] * 2
    assert old.posts.count() == 2


def test_editing_an_occurrence_on_the_page_detaches_it(web, berlin_account):
    compose(web, berlin_account, repeat="custom", recurrence="FREQ=DAILY;COUNT=3")
    first = Post.objects.order_by("scheduled_time").first()
    data = {
        "social_account": berlin_account.pk,
        "content": "Only this one",
        "media_urls": "",
        "scheduled_time": "2026-03-21T02:30",
        "action": "schedule",
    }
    assert web.post(f"/posts/{first.pk}/edit/", data).status_code == 302
    first.refresh_from_db()
    assert first.series_detached and Post.objects.filter(content="Daily tip #socialhub").count() == 2
    assert "This occurrence was edited on its own." in web.get(f"/posts/{first.pk}/").content.decode()


def test_ending_the_series_from_the_page_deletes_its_future_posts(web, berlin_account):
    compose(web, berlin_account, repeat="custom", recurrence="FREQ=DAILY;COUNT=3")
    published = Post.objects.order_by("scheduled_time").first()
    Post.objects.filter(pk=published.pk).update(status=PostStatus.PUBLISHED)
    response = web.post(f"/posts/{published.pk}/series/end/")
    assert response.status_code == 302 and response["Location"] == f"/posts/{published.pk}/"
    assert list(Post.objects.values_list("pk", flat=True)) == [published.pk]
    html = web.get(f"/posts/{published.pk}/").content.decode()
    assert "ended" in html and "End series" not in html


def test_a_one_off_post_has_no_series_box_and_cannot_end_one(web, berlin_account):
    post = PostFactory(social_account=berlin_account)
    assert 'id="series"' not in web.get(f"/posts/{post.pk}/").content.decode()
    response = web.post(f"/posts/{post.pk}/series/end/", follow=True)
    assert "not part of a recurring series" in response.content.decode()
