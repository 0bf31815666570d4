"""After POST /posts/{id}/schedule a post visibly sits in Buffer's queue: API (over real HTTP) and pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from posts.tests.factories import PostFactory

QUEUED = "In Buffer\u2019s queue"  # the typographic apostrophe of the page


@pytest.fixture
def post(buffer_account):
    return PostFactory(social_account=buffer_account, scheduled_time=timezone.now() + dt.timedelta(days=2))


def test_the_api_shows_the_post_in_buffers_queue(live_api, post, sandbox):
    before = live_api.get(f"/posts/{post.pk}").json()
    assert (before["status"], before["in_buffer_queue"]) == ("scheduled", False)

    scheduled = live_api.post(f"/posts/{post.pk}/schedule")
    assert scheduled.status_code == 200, scheduled.text
    assert (scheduled.json()["status"], scheduled.json()["in_buffer_queue"]) == ("scheduled", True)
    assert live_api.get(f"/posts/{post.pk}").json()["in_buffer_queue"] is True
    assert [p["in_buffer_queue"] for p in live_api.get("/posts").json()] == [True]

    day = timezone.localtime(post.scheduled_time, post.owner.tzinfo).date().isoformat()
    calendar = live_api.get(f"/posts/calendar?start_date={day}&end_date={day}").json()
    assert [p["in_buffer_queue"] for p in calendar["days"][0]["posts"]] == [True]

    cancelled = live_api.post(f"/posts/{post.pk}/cancel").json()
    assert (cancelled["status"], cancelled["in_buffer_queue"]) == ("cancelled", False)


def test_the_pages_show_it_on_the_list_the_detail_and_the_calendar_chip(web, post, sandbox):
    other = PostFactory(social_account=post.social_account, scheduled_time=post.scheduled_time)
    assert QUEUED not in web.get(f"/posts/{post.pk}/").content.decode()
    web.post(f"/posts/{post.pk}/buffer/")

    assert QUEUED in web.get(f"/posts/{post.pk}/").content.decode()
    assert QUEUED not in web.get(f"/posts/{other.pk}/").content.decode()
    assert web.get("/posts/").content.decode().count(QUEUED) == 1
    day = timezone.localtime(post.scheduled_time, post.owner.tzinfo).date().isoformat()
    calendar = web.get(f"/?view=week&date={day}").content.decode()
    assert calendar.count(QUEUED) == 1
