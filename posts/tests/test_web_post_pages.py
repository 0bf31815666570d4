"""A post's page (content, timeline, analytics chart, actions), the posts list, and the cancel/Buffer/delete buttons."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from analytics.tests.factories import PostAnalyticsFactory
from posts.models import AttemptOutcome, Post, PostStatus, PublishAttempt
from posts.tests.factories import PostFactory
from publisher.models import Delivery, PublisherPost

pytestmark = pytest.mark.django_db


def soon(days: float = 1) -> dt.datetime:
    return timezone.now() + dt.timedelta(days=days)


class TestDetail:
    def test_content_actions_and_timeline_of_a_scheduled_post(self, web, account, campaign):
        post = PostFactory(
            social_account=account, campaign=campaign, content="Big news", media_urls=["https://x.example/a.png"]
        )
        html = web.get(f"/posts/{post.pk}/").content.decode()
        assert "Big news" in html and 'src="https://x.example/a.png"' in html and "Launch" in html
        assert ">Scheduled<" in html and "No analytics yet" in html
        for action in ("/cancel/", "/buffer/", "/reschedule/", "/delete/", "/edit/", f"duplicate={post.pk}"):
            assert action in html

    def test_published_post_shows_attempts_link_and_chart(self, web, account):
        post = PostFactory(
            social_account=account,
            status=PostStatus.PUBLISHED,
            published_at=timezone.now(),
            service_link="https://x.com/brand/status/1",
        )
        PublishAttempt.objects.create(
            post=post,
            claim_id=uuid.uuid4(),
            number=1,
            started_at=timezone.now(),
            outcome=AttemptOutcome.RETRY,
            error="Buffer is unavailable: 503",
        )
        PublishAttempt.objects.create(
            post=post, claim_id=uuid.uuid4(), number=2, started_at=timezone.now(), outcome=AttemptOutcome.PUBLISHED
        )
        for hours, views in ((1, 100), (2, 250)):
            PostAnalyticsFactory(post=post, views=views, recorded_at=timezone.now() - dt.timedelta(hours=3 - hours))
        html = web.get(f"/posts/{post.pk}/").content.decode()
        assert "Attempt 1: failed, retried later" in html and "Buffer is unavailable: 503" in html
        assert "Attempt 2: published" in html
        assert 'href="https://x.com/brand/status/1"' in html
        assert "<polyline" in html and "Views and engagements at each analytics snapshot" in html
        assert "/cancel/" not in html and "/edit/" not in html  # published: no such actions

    def test_marks_publisher_api_posts(self, web, owner, account):
        post = PostFactory(social_account=account)
        publisher_post = PublisherPost.objects.create(workspace=workspace_personal_for(owner), owner=owner)
        Delivery.objects.create(publisher_post=publisher_post, requested_kind="STATUS", post=post)
        html = web.get(f"/posts/{post.pk}/").content.decode()
        assert "From the publisher API" in html and publisher_post.public_id in html

    def test_another_users_post_is_404(self, web, outsider):
        theirs = PostFactory(social_account=SocialAccountFactory(owner=outsider))
        assert web.get(f"/posts/{theirs.pk}/").status_code == 404
        assert web.get("/posts/999999/").status_code == 404


class TestActions:
    def test_cancel(self, web, account):
        post = PostFactory(social_account=account, scheduled_time=soon())
        response = web.post(f"/posts/{post.pk}/cancel/", follow=True)
        post.refresh_from_db()
        assert post.status == PostStatus.CANCELLED and f"Post #{post.pk} cancelled." in response.content.decode()

    def test_cancel_a_published_post_is_refused_with_a_message(self, web, account):
        post = PostFactory(social_account=account, status=PostStatus.PUBLISHED)
        response = web.post(f"/posts/{post.pk}/cancel/", follow=True)
        assert "can no longer be cancelled" in response.content.decode()

    def test_schedule_via_buffer(self, web, buffer_account, sandbox):
        post = PostFactory(social_account=buffer_account, scheduled_time=soon())
        response = web.post(f"/posts/{post.pk}/buffer/", follow=True)
        post.refresh_from_db()
        assert post.buffer_update_id and "scheduled at Buffer" in response.content.decode()

    def test_schedule_via_buffer_unreachable(self, web, buffer_account, dead_buffer_url):
        post = PostFactory(social_account=buffer_account, scheduled_time=soon())
        response = web.post(f"/posts/{post.pk}/buffer/", follow=True)
        assert "Buffer is unavailable:" in response.content.decode()
        post.refresh_from_db()
        assert not post.buffer_update_id

    def test_delete(self, web, account):
        post = PostFactory(social_account=account)
        response = web.post(f"/posts/{post.pk}/delete/")
        assert response["Location"] == "/" and not Post.objects.filter(pk=post.pk).exists()

    def test_actions_are_post_only_and_scoped(self, web, account, outsider):
        mine = PostFactory(social_account=account)
        theirs = PostFactory(social_account=SocialAccountFactory(owner=outsider))
        for action in ("cancel", "buffer", "delete"):
            assert web.get(f"/posts/{mine.pk}/{action}/").status_code == 405
            assert web.post(f"/posts/{theirs.pk}/{action}/").status_code == 404
        assert Post.objects.filter(pk=theirs.pk, status=PostStatus.SCHEDULED).exists()


class TestList:
    def test_filters_search_and_scope(self, web, owner, account, outsider):
        PostFactory(social_account=account, content="Summer sale")
        PostFactory(social_account=account, content="Winter news", status=PostStatus.DRAFT)
        PostFactory(social_account=SocialAccountFactory(owner=outsider), content="Summer of others")
        html = web.get("/posts/?q=summer").content.decode()
        assert "Summer sale" in html and "Summer of others" not in html and "1 post." in html
        html = web.get("/posts/?status=draft&campaign_id=&platform=&social_account_id=").content.decode()
        assert "Winter news" in html and "Summer sale" not in html
        html = web.get("/posts/?q=&status=&campaign_id=&platform=&ordering=&scheduled_from=").content.decode()
        assert "Winter news" in html and "Summer sale" in html and "filters were ignored" not in html

    def test_pages_keep_the_filters(self, web, account):
        Post.objects.bulk_create(
            Post(
                workspace=workspace_personal_for(account.owner),
                owner=account.owner,
                social_account=account,
                platform="twitter",
                content=f"P{i}",
                status="draft",
            )
            for i in range(120)
        )
        html = web.get("/posts/?status=draft").content.decode()
        assert "Page 1 of 3" in html and "status=draft&amp;page=2" in html

    @pytest.mark.parametrize("count", [5, 200])
    def test_query_count_does_not_grow(self, web, account, count, django_assert_num_queries):
        Post.objects.bulk_create(
            Post(
                workspace=workspace_personal_for(account.owner),
                owner=account.owner,
                social_account=account,
                platform="twitter",
                content=f"P{i}",
                status="draft",
            )
            for i in range(count)
        )
        # session, user, membership (once per request), count, page of posts (with account, campaign, publisher
        # mark), accounts, campaigns, the workspace switcher, unread notifications (bell)
        with django_assert_num_queries(9):
            assert web.get("/posts/").status_code == 200
