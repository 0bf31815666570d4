"""The queue in the pages: an account's schedule page (grid, pause days, next slots), the accounts list, the
composer's "Add to queue", and admin's schedule field."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from accounts.models import Role
from accounts.posting_schedule import clean_schedule
from accounts.tests.factories import MembershipFactory, SocialAccountFactory, UserFactory
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory
from posts.tests.queue_helpers import account_with_slots, draft

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 12, 7, 7, 0, tzinfo=dt.UTC)  # a Monday, 08:00 in Berlin


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def queued_account(owner):
    days = {"mon": ["09:00", "13:00"], "tue": ["09:00"]}
    return account_with_slots(owner=owner, account_name="@queue", days=days, tz="Europe/Berlin", paused=["tue"])


def test_the_accounts_list_summarises_each_schedule(web, queued_account):
    html = web.get("/accounts/").content.decode()
    assert "Mon 09:00, 13:00 · Tue 09:00 (paused)" in html
    assert f"/accounts/{queued_account.pk}/schedule/" in html


def test_the_schedule_page_shows_the_grid_and_the_next_slots(web, queued_account):
    post = PostFactory(social_account=queued_account, scheduled_time=dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC))
    html = web.get(f"/accounts/{queued_account.pk}/schedule/").content.decode()
    assert 'name="times_mon" value="09:00, 13:00"' in html
    assert 'name="paused_tue" value="1" checked' in html
    assert "Mon 7 Dec 2026, 09:00 CET" in html and f"/posts/{post.pk}/" in html  # filled by hand
    assert "Mon 7 Dec 2026, 13:00 CET" in html and "Tue 8 Dec" not in html  # Tuesday is paused


def test_saving_the_grid_and_its_errors(web, queued_account):
    saved = web.post(
        f"/accounts/{queued_account.pk}/schedule/",
        {"times_wed": "17:30, 08:00", "times_fri": "12:00", "paused_fri": "1"},
    )
    assert saved.status_code == 302
    queued_account.refresh_from_db()
    assert queued_account.queue_schedule["days"]["wed"] == ["08:00", "17:30"]
    assert queued_account.queue_schedule["paused_days"] == ["fri"] and queued_account.queue_schedule_edited_at
    refused = web.post(f"/accounts/{queued_account.pk}/schedule/", {"times_mon": "9am"})
    assert refused.status_code == 400
    assert "&#x27;9am&#x27; is not a time: use HH:MM" in refused.content.decode()
    queued_account.refresh_from_db()
    assert queued_account.queue_schedule["days"]["wed"] == ["08:00", "17:30"]  # unchanged


def test_use_buffers_schedule_again(web, queued_account):
    queued_account.queue_schedule_buffer = clean_schedule({"days": {"sun": ["10:00"]}}).to_json()
    queued_account.queue_schedule_edited_at = NOW
    queued_account.save()
    assert web.post(f"/accounts/{queued_account.pk}/schedule/buffer/").status_code == 302
    queued_account.refresh_from_db()
    assert queued_account.queue_schedule["days"]["sun"] == ["10:00"] and queued_account.queue_schedule_edited_at is None


def test_move_to_top_and_shuffle_from_the_schedule_page(web, owner, queued_account):
    from posts import queueing

    first, second = (queueing.queue_post(post=draft(queued_account), actor=owner) for _ in range(2))
    page = web.get(f"/accounts/{queued_account.pk}/schedule/").content.decode()
    assert f"/posts/{second.pk}/queue/top/" in page and f"/posts/{first.pk}/queue/top/" not in page  # first is on top
    moved = web.post(f"/posts/{second.pk}/queue/top/", follow=True)
    assert "is at the top" in moved.content.decode()
    second.refresh_from_db()
    assert second.scheduled_time == dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC)
    shuffled = web.post(f"/accounts/{queued_account.pk}/queue/shuffle/", follow=True)
    assert "queue is shuffled" in shuffled.content.decode()
    not_queued = PostFactory(social_account=queued_account)
    refused = web.post(f"/posts/{not_queued.pk}/queue/top/", follow=True)
    assert "only queued posts move" in refused.content.decode()


def test_a_viewer_sees_the_schedule_but_may_not_save_it(client, queued_account):
    viewer = MembershipFactory(workspace=queued_account.workspace, role=Role.VIEWER).user
    client.force_login(viewer)
    session = client.session
    from accounts.scoping import SESSION_KEY

    session[SESSION_KEY] = queued_account.workspace_id
    session.save()
    page = client.get(f"/accounts/{queued_account.pk}/schedule/")
    assert page.status_code == 200 and "Managers and owners edit" in page.content.decode()
    assert client.post(f"/accounts/{queued_account.pk}/schedule/", {"times_mon": "10:00"}).status_code == 403


def test_another_workspaces_schedule_page_is_404(client, queued_account, outsider):
    client.force_login(outsider)
    assert client.get(f"/accounts/{queued_account.pk}/schedule/").status_code == 404


def test_the_composer_adds_to_the_queue(web, queued_account):
    assert "Add to queue" in web.get("/posts/new/").content.decode()
    response = web.post(
        "/posts/new/",
        {"accounts": [queued_account.pk], "content": "Into the queue", "media_urls": "", "action": "queue"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post = Post.objects.get(content="Into the queue")
    assert (post.status, post.queued) == (PostStatus.SCHEDULED, True)
    assert post.scheduled_time == dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC)  # Monday 09:00 in Berlin
    assert "In the queue" in web.get(response["Location"]).content.decode()


def test_the_composer_queues_a_group_each_delivery_in_its_accounts_next_slot(web, owner, queued_account):
    other = account_with_slots(owner=owner, account_name="@other", platform="bluesky", days={"mon": ["11:00"]})
    response = web.post(
        "/posts/new/",
        {"accounts": [queued_account.pk, other.pk], "content": "Both queues", "media_urls": "", "action": "queue"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    mine, theirs = Post.objects.filter(content="Both queues").order_by("social_account_id")
    assert mine.group_id == theirs.group_id is not None
    assert all(post.queued and post.status == PostStatus.SCHEDULED for post in (mine, theirs))
    assert mine.scheduled_time == dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC)  # Monday 09:00 in Berlin
    assert theirs.scheduled_time == dt.datetime(2026, 12, 7, 11, tzinfo=dt.UTC)  # Monday 11:00 UTC


def test_the_composer_says_when_an_account_has_no_slots(web, owner):
    empty = SocialAccountFactory(owner=owner, account_name="@empty")
    response = web.post(
        "/posts/new/", {"accounts": [empty.pk], "content": "Nowhere", "media_urls": "", "action": "queue"}
    )
    assert response.status_code == 400 and "no time slots" in response.content.decode()
    assert not Post.objects.exists()


def test_the_composer_queues_an_edited_post(web, queued_account):
    post = draft(queued_account)
    response = web.post(
        f"/posts/{post.pk}/edit/",
        {"social_account": queued_account.pk, "content": "Edited, then queued", "media_urls": "", "action": "queue"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    post.refresh_from_db()
    assert (post.content, post.queued, post.status) == ("Edited, then queued", True, PostStatus.SCHEDULED)


def test_admin_edits_the_schedule_with_the_same_rules(client, queued_account):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = f"/admin/accounts/socialaccount/{queued_account.pk}/change/"
    page = client.get(url).content.decode()
    assert "Mon 09:00, 13:00" in page
    form = {
        "owner": queued_account.owner_id,
        "workspace": queued_account.workspace_id,
        "platform": queued_account.platform,
        "account_name": queued_account.account_name,
        "buffer_profile_id": "",
        "is_active": "on",
        "buffer_organization_id": "",
        "pinterest_boards": "[]",
        "default_pinterest_board_id": "",
        "queue_schedule": '{"days": {"mon": ["25:00"]}}',
    }
    refused = client.post(url, form)
    assert refused.status_code == 200 and "is not a time" in refused.content.decode()
    saved = client.post(url, {**form, "queue_schedule": '{"days": {"thu": ["11:00"]}, "paused_days": []}'})
    assert saved.status_code == 302
    queued_account.refresh_from_db()
    assert queued_account.queue_schedule["days"]["thu"] == ["11:00"] and queued_account.queue_schedule_edited_at
