"""Schedule, edit, reschedule, cancel and delete against the Buffer sandbox over HTTP (seed endpoints 11-13, 16, 17)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from buffer_integration.services import backend_for_account
from posts import scheduling, transitions
from posts.models import Post, PostStatus
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db
S = PostStatus


def url(post, suffix=""):
    return f"/api/v1/posts/{post.pk}{suffix}"


def at_buffer(sandbox) -> list[dict]:
    return sandbox.admin("GET", "updates").json()


def in_days(days: float) -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=days)).replace(microsecond=0)


@pytest.fixture
def post(buffer_account):
    return PostFactory(social_account=buffer_account, content="Launch day!", scheduled_time=in_days(1))


@pytest.fixture
def handed_over(api, post):
    assert api.post(url(post, "/schedule")).status_code == 200
    post.refresh_from_db()
    return post


def snapshot(post) -> tuple:
    post.refresh_from_db()
    return (post.status, post.content, post.scheduled_time, post.buffer_update_id, post.handed_to_buffer_at)


class TestSchedule:
    def test_hands_the_post_to_buffer(self, api, post, sandbox, buffer_account):
        post.media_urls = ["https://cdn.example.com/launch.png"]
        post.save()
        response = api.post(url(post, "/schedule"))
        assert response.status_code == 200, response.json()
        body = response.json()
        [update] = at_buffer(sandbox)
        assert body["buffer_update_id"] == update["id"] and body["handed_to_buffer_at"]
        assert body["status"] == "scheduled"
        assert update["profile_id"] == buffer_account.buffer_profile_id and update["text"] == "Launch day!"
        assert update["due_at"] == int(post.scheduled_time.timestamp()) and update["custom_scheduled"] is True
        assert "launch.png" in str(update["media"])

    def test_a_draft_with_a_time_becomes_scheduled(self, api, post, sandbox):
        Post.objects.filter(pk=post.pk).update(status=S.DRAFT)
        assert api.post(url(post, "/schedule")).json()["status"] == "scheduled"

    def test_twice_is_409_and_buffer_has_one_update(self, api, handed_over, sandbox):
        response = api.post(url(handed_over, "/schedule"))
        assert response.status_code == 409 and "/reschedule" in response.json()["detail"]
        assert len(at_buffer(sandbox)) == 1

    @pytest.mark.parametrize(
        "change, field",
        [({"scheduled_time": None}, "scheduled_time"), ({"scheduled_time": in_days(-1)}, "scheduled_time")],
    )
    def test_without_a_future_time_is_400(self, api, post, sandbox, change, field):
        Post.objects.filter(pk=post.pk).update(status=S.DRAFT, **change)
        response = api.post(url(post, "/schedule"))
        assert response.status_code == 400 and field in response.json()["errors"]
        assert at_buffer(sandbox) == []

    def test_account_without_profile_or_buffer_config_is_400(self, api, owner, sandbox):
        no_profile = PostFactory(social_account=SocialAccountFactory(owner=owner, access_token="t"))
        assert "social_account_id" in api.post(url(no_profile, "/schedule")).json()["errors"]
        # The account's own token is the network's credential: it does not stand in for a Buffer config.
        account = SocialAccountFactory(owner=owner, buffer_profile_id="a" * 24, access_token="network-token")
        response = api.post(url(PostFactory(social_account=account), "/schedule"))
        assert response.status_code == 400 and response.json()["detail"].startswith("Configure Buffer first")

    @pytest.mark.parametrize("status", [S.PUBLISHED, S.PUBLISHING, S.CANCELLED])
    def test_wrong_status_is_409(self, api, post, sandbox, status):
        Post.objects.filter(pk=post.pk).update(status=status)
        assert api.post(url(post, "/schedule")).status_code == 409
        assert at_buffer(sandbox) == []

    def test_buffer_down_is_503_and_the_post_unchanged(self, api, post, sandbox):
        before = snapshot(post)
        sandbox.faults(down=True)
        response = api.post(url(post, "/schedule"))
        assert response.status_code == 503 and "Buffer" in response.json()["detail"]
        assert snapshot(post) == before
        sandbox.faults(down=False)
        assert at_buffer(sandbox) == []

    def test_losing_the_race_withdraws_the_new_update(self, api, post, sandbox, monkeypatch):
        hand_to_buffer = transitions.hand_to_buffer

        def rival_wins(**kwargs):
            Post.objects.filter(pk=kwargs["post_id"]).update(status=S.PUBLISHING)
            return hand_to_buffer(**kwargs)

        monkeypatch.setattr(transitions, "hand_to_buffer", rival_wins)
        response = api.post(url(post, "/schedule"))
        assert response.status_code == 409 and "is now publishing" in response.json()["detail"]
        [update] = at_buffer(sandbox)
        assert update["deleted"] is True


class TestEditAndReschedule:
    def test_edit_is_applied_at_buffer(self, api, handed_over, sandbox):
        response = api.patch(url(handed_over), {"content": "Launch day, edited"}, format="json")
        assert response.status_code == 200
        assert at_buffer(sandbox)[0]["text"] == "Launch day, edited"

    def test_edit_with_buffer_down_is_503_and_unchanged(self, api, handed_over, sandbox):
        before = snapshot(handed_over)
        sandbox.faults(down=True)
        assert api.patch(url(handed_over), {"content": "no"}, format="json").status_code == 503
        assert snapshot(handed_over) == before

    def test_moving_a_handed_over_post_to_another_account_is_409(self, api, owner, handed_over, sandbox):
        other = SocialAccountFactory(owner=owner)
        assert api.patch(url(handed_over), {"social_account_id": other.pk}, format="json").status_code == 409

    def test_reschedule_moves_the_update_at_buffer(self, api, handed_over, sandbox):
        new_time = in_days(3)
        response = api.post(url(handed_over, "/reschedule"), {"scheduled_time": new_time.isoformat()}, format="json")
        assert response.status_code == 200, response.json()
        assert response.json()["buffer_update_id"] == handed_over.buffer_update_id
        [update] = at_buffer(sandbox)
        assert update["due_at"] == int(new_time.timestamp()) and update["deleted"] is False

    def test_reschedule_with_buffer_down_is_503_and_unchanged(self, api, handed_over, sandbox):
        before = snapshot(handed_over)
        sandbox.faults(down=True)
        body = {"scheduled_time": in_days(3).isoformat()}
        assert api.post(url(handed_over, "/reschedule"), body, format="json").status_code == 503
        assert snapshot(handed_over) == before

    def test_reschedule_of_a_failed_handover_withdraws_the_stale_update(self, api, handed_over, sandbox):
        Post.objects.filter(pk=handed_over.pk).update(status=S.FAILED)
        body = {"scheduled_time": in_days(3).isoformat()}
        response = api.post(url(handed_over, "/reschedule"), body, format="json")
        assert response.status_code == 200 and response.json()["buffer_update_id"] == ""
        assert at_buffer(sandbox)[0]["deleted"] is True

    def test_update_gone_at_buffer_is_409(self, api, handed_over, sandbox):
        backend_for_account(account=handed_over.social_account).destroy_update(handed_over.buffer_update_id)
        body = {"scheduled_time": in_days(3).isoformat()}
        response = api.post(url(handed_over, "/reschedule"), body, format="json")
        assert response.status_code == 409 and "no longer has" in response.json()["detail"]


class TestCancelAndDelete:
    def test_cancel_withdraws_from_buffer(self, api, handed_over, sandbox):
        response = api.post(url(handed_over, "/cancel"))
        assert response.status_code == 200
        assert response.json()["status"] == "cancelled" and response.json()["buffer_update_id"] == ""
        assert at_buffer(sandbox)[0]["deleted"] is True

    def test_cancel_when_buffer_already_lost_it(self, api, handed_over, sandbox):
        backend_for_account(account=handed_over.social_account).destroy_update(handed_over.buffer_update_id)
        assert api.post(url(handed_over, "/cancel")).json()["status"] == "cancelled"

    def test_cancel_with_buffer_down_is_503_and_unchanged(self, api, handed_over, sandbox):
        before = snapshot(handed_over)
        sandbox.faults(down=True)
        assert api.post(url(handed_over, "/cancel")).status_code == 503
        assert snapshot(handed_over) == before
        sandbox.faults(down=False)
        assert at_buffer(sandbox)[0]["deleted"] is False

    def test_cancel_losing_to_a_publish_is_409(self, api, handed_over, sandbox, monkeypatch):
        withdraw = scheduling.withdraw_from_buffer

        def published_meanwhile(*, post):
            withdraw(post=post)
            transitions.mark_published(post_id=post.pk, published_at=timezone.now())

        monkeypatch.setattr(scheduling, "withdraw_from_buffer", published_meanwhile)
        response = api.post(url(handed_over, "/cancel"))
        assert response.status_code == 409
        assert response.json()["detail"] == f"Post {handed_over.pk} is now published: it cannot be cancelled."

    def test_delete_destroys_the_update(self, api, handed_over, sandbox):
        assert api.delete(url(handed_over)).status_code == 204
        assert not Post.objects.filter(pk=handed_over.pk).exists()
        assert at_buffer(sandbox)[0]["deleted"] is True

    def test_delete_when_buffer_already_lost_it(self, api, handed_over, sandbox):
        backend_for_account(account=handed_over.social_account).destroy_update(handed_over.buffer_update_id)
        assert api.delete(url(handed_over)).status_code == 204

    def test_delete_with_buffer_down_is_503_and_kept(self, api, handed_over, sandbox):
        sandbox.faults(down=True)
        assert api.delete(url(handed_over)).status_code == 503
        assert Post.objects.filter(pk=handed_over.pk, buffer_update_id=handed_over.buffer_update_id).exists()

    def test_published_post_is_deleted_here_only(self, api, handed_over, sandbox):
        transitions.mark_published(post_id=handed_over.pk, published_at=timezone.now())
        assert api.delete(url(handed_over)).status_code == 204
        assert at_buffer(sandbox)[0]["deleted"] is False
