"""Deleting a social account goes through the post rules: refused while a post of it is publishing or
reconciling, its handed-over posts withdrawn from Buffer (the sandbox, over HTTP) before it goes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.models import DELETION, LogEntry
from django.utils import timezone

from accounts.models import SocialAccount
from accounts.tests.factories import UserFactory
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
S = PostStatus


def url(account) -> str:
    return f"/api/v1/social-accounts/{account.pk}"


def at_buffer(sandbox) -> dict[str, dict]:
    return {update["id"]: update for update in sandbox.admin("GET", "updates").json()}


def handed_over(api, account, n: int = 1) -> Post:
    when = (timezone.now() + dt.timedelta(days=n)).replace(microsecond=0)
    post = PostFactory.create(social_account=account, content=f"At Buffer, #{n}", scheduled_time=when)
    assert api.post(f"/api/v1/posts/{post.pk}/schedule").status_code == 200
    post.refresh_from_db()
    assert post.buffer_update_id
    return post


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize("busy", [S.PUBLISHING, S.RECONCILING])
def test_refused_while_a_post_is_with_buffer_and_nothing_is_withdrawn(api, buffer_account, sandbox, busy):
    waiting = handed_over(api, buffer_account)
    engine = PostFactory(social_account=buffer_account, status=busy)
    response = api.delete(url(buffer_account))
    assert response.status_code == 409  # as deleting the post itself would be
    detail = response.json()["detail"]
    assert f"post {engine.pk} ({busy})" in detail and buffer_account.account_name in detail
    assert SocialAccount.objects.filter(pk=buffer_account.pk).exists()
    assert set(Post.objects.values_list("pk", flat=True)) == {waiting.pk, engine.pk}
    assert at_buffer(sandbox)[waiting.buffer_update_id]["deleted"] is False  # refused before any withdrawal


def test_handed_over_posts_are_withdrawn_at_buffer_before_the_account_goes(api, buffer_account, sandbox):
    first, second = handed_over(api, buffer_account, 1), handed_over(api, buffer_account, 2)
    draft = PostFactory(social_account=buffer_account, status=S.DRAFT)
    assert api.delete(url(buffer_account)).status_code == 204
    updates = at_buffer(sandbox)
    assert updates[first.buffer_update_id]["deleted"] is True and updates[second.buffer_update_id]["deleted"] is True
    assert not SocialAccount.objects.filter(pk=buffer_account.pk).exists()
    assert not Post.objects.filter(pk__in=[first.pk, second.pk, draft.pk]).exists()


def test_a_published_post_stays_at_buffer_as_its_history(api, buffer_account, sandbox):
    published = handed_over(api, buffer_account)
    Post.objects.filter(pk=published.pk).update(status=S.PUBLISHED, published_at=timezone.now())
    assert api.delete(url(buffer_account)).status_code == 204
    assert at_buffer(sandbox)[published.buffer_update_id]["deleted"] is False  # as post delete leaves it


def test_drafts_just_go_without_asking_buffer(api, account):
    """No Buffer config at all: nothing of the account is at Buffer, so nothing needs asking."""
    drafts = [PostFactory(social_account=account, status=status) for status in (S.DRAFT, S.CANCELLED, S.FAILED)]
    assert api.delete(url(account)).status_code == 204
    assert not SocialAccount.objects.filter(pk=account.pk).exists()
    assert not Post.objects.filter(pk__in=[d.pk for d in drafts]).exists()


def test_buffer_down_keeps_the_account_and_its_post(api, buffer_account, sandbox):
    waiting = handed_over(api, buffer_account)
    sandbox.faults(down=True)
    assert api.delete(url(buffer_account)).status_code == 503
    assert Post.objects.filter(pk=waiting.pk, buffer_update_id=waiting.buffer_update_id).exists()
    assert SocialAccount.objects.filter(pk=buffer_account.pk).exists()


def test_outsiders_cannot_delete_it(outsider_api, account):
    assert outsider_api.delete(url(account)).status_code == 404
    assert SocialAccount.objects.filter(pk=account.pk).exists()


class TestAdmin:
    def test_delete_withdraws_from_buffer_and_logs(self, admin_client, api, buffer_account, sandbox):
        waiting = handed_over(api, buffer_account)
        page = f"/admin/accounts/socialaccount/{buffer_account.pk}/delete/"
        assert admin_client.get(page).status_code == 200  # Django's confirmation page
        response = admin_client.post(page, {"post": "yes"})
        assert response.status_code == 302 and response["Location"] == "/admin/accounts/socialaccount/"
        assert at_buffer(sandbox)[waiting.buffer_update_id]["deleted"] is True
        assert not SocialAccount.objects.filter(pk=buffer_account.pk).exists()
        assert LogEntry.objects.get(action_flag=DELETION).object_id == str(buffer_account.pk)

    def test_refused_while_publishing_says_why(self, admin_client, buffer_account):
        engine = PostFactory(social_account=buffer_account, status=S.PUBLISHING)
        page = f"/admin/accounts/socialaccount/{buffer_account.pk}/delete/"
        response = admin_client.post(page, {"post": "yes"}, follow=True)
        assert f"post {engine.pk} (publishing)" in response.content.decode()
        assert SocialAccount.objects.filter(pk=buffer_account.pk).exists() and not LogEntry.objects.exists()

    def test_no_bulk_delete(self, admin_client):
        assert admin_client.get("/admin/accounts/socialaccount/").context["action_form"] is None  # no actions left
