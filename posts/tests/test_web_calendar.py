"""The calendar page (month and week views) and the reschedule action its drag and drop uses."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from campaigns.tests.factories import CampaignFactory
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory
from publisher.models import Delivery, PublisherPost

pytestmark = pytest.mark.django_db


def current_step(html: str) -> str | None:
    """The number of the first-run step the page marks as the current one."""
    match = re.search(r'aria-current="step">\s*<span class="step-num" aria-hidden="true">(\d)', html)
    return match.group(1) if match else None


DAY = dt.date(2030, 3, 14)  # a Thursday, well in the future


def at(owner, day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=owner.tzinfo)


def chips(html: str) -> list[str]:
    return re.findall(r'data-post-id="(\d+)"', html)


def cell(html: str, date: str) -> str:
    """The HTML of one day cell (month) or of all a day's slots (week)."""
    start = html.index(f'data-date="{date}"')
    end = html.find("data-drop", start + 1)
    return html[start : end if end > 0 else len(html)]


def bulk_posts(owner, account, count: int, *, days: int = 28) -> None:
    Post.objects.bulk_create(
        Post(
            owner=owner,
            workspace_id=account.workspace_id,
            social_account=account,
            platform=account.platform,
            content=f"Bulk post {i}",
            scheduled_time=at(owner, DAY.replace(day=1), 8) + dt.timedelta(days=i % days, minutes=i % 600),
            status=PostStatus.SCHEDULED,
        )
        for i in range(count)
    )


class TestAccess:
    def test_anonymous_visitors_are_sent_to_the_login_page(self, client):
        response = client.get("/?view=week")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/?next=")

    def test_only_the_users_own_posts_appear(self, web, owner, account, outsider):
        mine = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 10))
        theirs = PostFactory(social_account=SocialAccountFactory(owner=outsider), scheduled_time=at(owner, DAY, 10))
        html = web.get(f"/?date={DAY}").content.decode()
        assert str(mine.pk) in chips(html) and str(theirs.pk) not in chips(html)


class TestMonth:
    def test_posts_sit_on_their_local_day_with_local_time(self, web, owner, account):
        # 23:30 UTC on the 14th is 00:30 on the 15th in Berlin.
        post = PostFactory(social_account=account, scheduled_time=dt.datetime(2030, 3, 14, 23, 30, tzinfo=dt.UTC))
        html = web.get(f"/?date={DAY}").content.decode()
        day = cell(html, "2030-03-15")
        assert f'data-post-id="{post.pk}"' in day and ">00:30</time>" in day
        assert "March 2030" in html

    def test_chip_shows_network_status_and_text(self, web, owner, account):
        PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9), content="Spring is here", status="draft")
        html = web.get(f"/?date={DAY}").content.decode()
        assert "net-twitter" in html and "status-draft" in html and ">Draft<" in html and "Spring is here" in html

    def test_filters_narrow_the_posts_and_stay_in_the_links(self, web, owner, account, campaign):
        bluesky = SocialAccountFactory(owner=owner, platform="bluesky")
        on_x = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9), campaign=campaign)
        on_bsky = PostFactory(social_account=bluesky, scheduled_time=at(owner, DAY, 9))
        html = web.get(f"/?date={DAY}&platform=bluesky").content.decode()
        assert chips(html) == [str(on_bsky.pk)]
        assert "date=2030-04-01&amp;platform=bluesky" in html  # "next month" keeps the filter
        assert chips(web.get(f"/?date={DAY}&campaign_id={campaign.pk}").content.decode()) == [str(on_x.pk)]
        assert chips(web.get(f"/?date={DAY}&status=draft").content.decode()) == []
        assert chips(web.get(f"/?date={DAY}&social_account_id={bluesky.pk}").content.decode()) == [str(on_bsky.pk)]
        everything = web.get(f"/?date={DAY}&campaign_id=&social_account_id=&platform=&status=").content.decode()
        assert len(chips(everything)) == 2 and "filters were ignored" not in everything

    def test_invalid_filters_are_reported_not_fatal(self, web):
        response = web.get("/?status=nonsense&date=not-a-date")
        assert response.status_code == 200
        assert "Some filters were ignored" in response.content.decode()

    def test_future_days_link_to_the_composer_at_that_day(self, web):
        html = web.get(f"/?date={DAY}").content.decode()
        assert f"/posts/new/?date={DAY}" in html

    def test_publisher_api_posts_are_marked(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9))
        PostFactory(social_account=account, scheduled_time=at(owner, DAY, 10))
        Delivery.objects.create(
            publisher_post=PublisherPost.objects.create(workspace=workspace_personal_for(owner), owner=owner),
            requested_kind="STATUS",
            post=post,
        )
        html = web.get(f"/?date={DAY}").content.decode()
        assert html.count("Created through the publisher API") == 1

    def test_a_full_day_shows_a_few_chips_and_links_to_the_rest(self, web, owner, account):
        for minute in range(6):
            PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9, minute))
        day = cell(web.get(f"/?date={DAY}").content.decode(), str(DAY))
        assert len(chips(day)) == 4 and "+2 more" in day
        assert f"scheduled_from={DAY}T00:00" in day


class TestWeek:
    def test_posts_sit_in_their_hour_slot(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 14, 15))
        html = web.get(f"/?view=week&date={DAY}").content.decode()
        assert "11 Mar" in html and "17 Mar 2030" in html  # Monday to Sunday
        slot = html[html.index(f'data-date="{DAY}" data-hour="14"') :][:3000]
        assert f'data-post-id="{post.pk}"' in slot.split("data-drop")[0]
        assert f"/posts/new/?at={DAY}T15:00" in html  # empty slots open the composer at their hour


class TestQueryCount:
    @pytest.mark.parametrize("count", [10, 300])
    def test_month_and_week_cost_the_same_queries_whatever_the_posts(
        self, web, owner, account, count, django_assert_num_queries
    ):
        bulk_posts(owner, account, count)
        # session, user, the caller's membership (with its workspace, once per request), accounts, campaigns,
        # the calendar's posts, the publisher marks, the Buffer config (day capacity; without one, no count
        # of the days is needed), the workspace switcher, unread notifications (bell)
        with django_assert_num_queries(10):
            assert web.get(f"/?date={DAY}").status_code == 200
        # a week with posts in it (days 1 to 10 have posts either way)
        with django_assert_num_queries(10):
            assert web.get(f"/?view=week&date={DAY.replace(day=5)}&status=scheduled").status_code == 200

    def test_an_empty_view_asks_once_whether_the_user_has_any_post(
        self, web, owner, account, django_assert_num_queries
    ):
        bulk_posts(owner, account, 10)
        # the ten above, and whether there is a post anywhere (first run)
        with django_assert_num_queries(11):
            html = web.get(f"/?date={DAY.replace(year=2031)}").content.decode()
        assert 'id="cal-empty"' in html and "first-run" not in html

    def test_a_month_of_3000_posts_stays_small(self, web, owner, account):
        """Its speed is measured in bench/, not here: a timed assertion fails on a busy machine."""
        bulk_posts(owner, account, 3000)
        html = web.get(f"/?date={DAY}").content.decode()
        assert "3000 posts in view" in html
        assert len(chips(html)) <= 42 * 4


class TestReschedule:
    def post(self, web, post, value, **extra):
        return web.post(f"/posts/{post.pk}/reschedule/", {"scheduled_time": value}, **extra)

    def test_a_drop_moves_the_post_and_answers_json(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9, 45))
        response = self.post(web, post, "2030-03-18T09:45", HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        assert response.json() | {"message": ""} == {
            "ok": True,
            "message": "",
            "status": "scheduled",
            "status_label": "Scheduled",
            "scheduled_time": "2030-03-18T09:45:00+01:00",
            "time": "09:45",
            "date": "2030-03-18",
            # the chip's look after the move (web.posts.calendar_chips)
            "look": "scheduled",
            "look_label": "Scheduled",
            "look_hint": "SocialHub publishes it at its time",
            "look_rank": 8,
        }
        post.refresh_from_db()
        assert post.scheduled_time == at(owner, dt.date(2030, 3, 18), 9, 45)

    def test_published_posts_are_refused_visibly(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9), status=PostStatus.PUBLISHED)
        response = self.post(web, post, "2030-03-18T09:00", HTTP_ACCEPT="application/json")
        assert response.status_code == 409
        assert response.json()["ok"] is False and "published" in response.json()["message"]
        post.refresh_from_db()
        assert post.scheduled_time == at(owner, DAY, 9)

    def test_past_times_are_refused(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9))
        response = self.post(web, post, "2001-01-01T09:00", HTTP_ACCEPT="application/json")
        assert response.status_code == 400 and "future" in response.json()["message"]

    def test_an_unreadable_time_is_400(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9))
        assert self.post(web, post, "soon", HTTP_ACCEPT="application/json").status_code == 400

    def test_the_dialog_form_redirects_back_with_a_message(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9))
        response = self.post(web, post, "2030-03-19T11:00")
        assert response.status_code == 302 and response["Location"] == f"/posts/{post.pk}/"
        back = web.post(
            f"/posts/{post.pk}/reschedule/",
            {"scheduled_time": "2030-03-20T11:00", "next": f"/?date={DAY}"},
            follow=True,
        )
        assert back.redirect_chain[-1][0] == f"/?date={DAY}"
        assert "rescheduled to Wed 20 Mar 2030, 11:00" in back.content.decode()

    def test_next_to_another_site_is_ignored(self, web, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9))
        response = web.post(
            f"/posts/{post.pk}/reschedule/", {"scheduled_time": "2030-03-19T11:00", "next": "https://evil.example/"}
        )
        assert response["Location"] == f"/posts/{post.pk}/"

    def test_another_users_post_is_404(self, web, outsider):
        theirs = PostFactory(social_account=SocialAccountFactory(owner=outsider))
        assert self.post(web, theirs, "2030-03-19T11:00").status_code == 404

    def test_only_post_is_allowed(self, web, owner, account):
        post = PostFactory(social_account=account)
        assert web.get(f"/posts/{post.pk}/reschedule/").status_code == 405

    def test_csrf_token_is_required(self, owner, account):
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9))
        browser = Client(enforce_csrf_checks=True)
        browser.force_login(owner)
        assert self.post(browser, post, "2030-03-19T11:00").status_code == 403

    def test_campaign_dates_are_the_services_rule(self, web, owner, account):
        campaign = CampaignFactory(owner=owner, start_date=DAY, end_date=DAY)
        post = PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9), campaign=campaign)
        response = self.post(web, post, "2030-03-20T09:00", HTTP_ACCEPT="application/json")
        assert response.status_code == 400 and "outside campaign" in response.json()["message"]


class TestFarDates:
    @pytest.mark.parametrize("view", ["month", "week"])
    @pytest.mark.parametrize("date, shown", [("0001-01-01", "January 1900"), ("9999-12-31", "December 2999")])
    def test_a_date_beyond_the_calendars_reach_is_brought_back_with_a_note(self, web, view, date, shown):
        response = web.get(f"/?view={view}&date={date}")
        assert response.status_code == 200
        html = response.content.decode()
        assert "The calendar covers 1900 to 2999" in html
        if view == "month":
            assert f'<h1 id="cal-title" tabindex="-1">{shown}</h1>' in html


class TestFirstRun:
    def test_a_new_user_sees_the_three_steps_starting_with_buffer(self, web):
        html = web.get("/").content.decode()
        assert "Get started in three steps" in html
        assert current_step(html) == "1"
        assert 'href="/accounts/connect/">Connect</a>' in html

    def test_with_an_account_but_no_post_the_next_step_is_the_first_post(self, web, account):
        html = web.get("/").content.decode()
        assert current_step(html) == "3"
        assert 'href="/posts/new/">Write a post</a>' in html

    def test_an_empty_month_of_a_set_up_user_says_how_to_fill_it(self, web, owner, account):
        PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9))
        html = web.get(f"/?date={DAY.replace(year=2031)}").content.decode()
        assert "first-run" not in html and "Nothing planned in this month" in html and 'href="/posts/new/"' in html

    def test_an_empty_calendar_without_accounts_says_to_connect_one(self, web, owner, account):
        PostFactory(social_account=account, scheduled_time=at(owner, DAY, 9))
        account.delete()  # posts go with it: only a first-run user can have no account
        html = web.get("/").content.decode()
        assert "Get started in three steps" in html


def test_a_member_in_another_timezone_than_the_workspaces_is_offered_it(web, owner):
    from accounts.workspaces import workspace_personal_for

    workspace = workspace_personal_for(owner)
    workspace.timezone = "America/New_York"
    workspace.save(update_fields=["timezone"])
    html = web.get("/").content.decode()
    assert "this workspace plans in America/New_York" in html
    settings_page = web.get("/settings/").content.decode()
    assert 'name="timezone" value="America/New_York"' in settings_page
    assert web.post("/settings/timezone/", {"timezone": "America/New_York"}).status_code == 302
    assert "this workspace plans in" not in web.get("/").content.decode()
