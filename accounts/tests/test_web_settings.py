"""Login, logout and the layout; the settings page: timezone, API how-to, publisher apps, webhook secret, callbacks."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.tests.factories import UserFactory
from accounts.workspaces import workspace_personal_for
from publisher.models import CallbackAttempt, CallbackDelivery, IntegratorApp, PublisherPost, WebhookSecret

pytestmark = pytest.mark.django_db


def callback_for(user, **fields) -> CallbackDelivery:
    publisher_post = PublisherPost.objects.create(workspace=workspace_personal_for(user), owner=user)
    defaults = {
        "owner": user,
        "workspace_id": publisher_post.workspace_id,
        "publisher_post": publisher_post,
        "stream": "status",
        "sequence": 1,
        "event": "status.PROCESSED",
        "method": "POST",
        # A loopback URL: the callback guard refuses it, so a replay records a failure without any network.
        "url": "http://127.0.0.1:9/hook",
        "webhook_id": f"msg_{publisher_post.public_id}",
        "body": "{}",
    }
    return CallbackDelivery.objects.create(**{**defaults, **fields})


class TestLoginAndLayout:
    def test_login_then_home_then_logout(self, owner):
        browser = Client(enforce_csrf_checks=True)
        page = browser.get("/login/")
        token = page.cookies["csrftoken"].value
        response = browser.post(
            "/login/", {"username": "owner", "password": "correct-horse-battery", "csrfmiddlewaretoken": token}
        )
        assert response["Location"] == "/"
        html = browser.get("/").content.decode()
        for link in ('href="/"', 'href="/posts/"', 'href="/campaigns/"', 'href="/accounts/"', 'href="/settings/"'):
            assert link in html
        assert "/admin/" not in html  # not staff
        token = browser.cookies["csrftoken"].value
        assert browser.post("/logout/", {"csrfmiddlewaretoken": token})["Location"] == "/login/"
        assert browser.get("/")["Location"].startswith("/login/")

    def test_wrong_password_is_refused(self, client, owner):
        response = client.post("/login/", {"username": "owner", "password": "nope"})
        assert (
            response.status_code == 200 and "Please enter a correct username and password" in response.content.decode()
        )

    def test_staff_see_the_admin_link(self, client):
        client.force_login(UserFactory(is_staff=True))
        assert 'href="/admin/"' in client.get("/settings/").content.decode()

    def test_logout_is_post_only(self, web):
        assert web.get("/logout/").status_code == 405

    def test_unknown_pages_are_html_404(self, web):
        response = web.get("/no-such-page/")
        assert response.status_code == 404 and "belongs to someone else" in response.content.decode()


class TestTimezone:
    def test_page_shows_api_how_to(self, web, owner):
        html = web.get("/settings/").content.decode()
        assert "http://testserver/api/v1/auth/token" in html and '"username": "owner"' in html
        assert 'href="http://testserver/docs"' in html

    def test_change_timezone(self, web, owner):
        response = web.post("/settings/timezone/", {"timezone": "America/New_York"}, follow=True)
        owner.refresh_from_db()
        assert owner.timezone == "America/New_York" and "Timezone set to America/New_York." in response.content.decode()

    def test_unknown_timezone_is_shown_next_to_the_field(self, web, owner):
        response = web.post("/settings/timezone/", {"timezone": "Mars/Olympus"})
        assert response.status_code == 400 and 'id="id_timezone_error"' in response.content.decode()
        owner.refresh_from_db()
        assert owner.timezone == "UTC"

    def test_needs_login_and_post(self, web):
        assert Client().post("/settings/timezone/", {"timezone": "UTC"})["Location"].startswith("/login/")
        assert web.get("/settings/timezone/").status_code == 405


class TestPublisherApps:
    def test_create_shows_the_secret_once(self, web, owner):
        response = web.post("/settings/apps/", {"name": "CMS"})
        app = IntegratorApp.objects.get(owner=owner)
        html = response.content.decode()
        assert app.get_secret() in html and app.app_id in html and response["Cache-Control"] == "no-store"
        assert app.get_secret() not in web.get("/settings/").content.decode()

    def test_name_is_required(self, web):
        assert web.post("/settings/apps/", {"name": ""}).status_code == 400

    def test_revoke(self, web, owner, outsider):
        app = IntegratorApp.objects.create(
            workspace=workspace_personal_for(owner), owner=owner, name="CMS", app_id="app_1"
        )
        theirs = IntegratorApp.objects.create(
            workspace=workspace_personal_for(outsider), owner=outsider, name="Theirs", app_id="app_2"
        )
        assert web.post(f"/settings/apps/{theirs.pk}/revoke/").status_code == 404
        assert "revoked" in web.post(f"/settings/apps/{app.pk}/revoke/", follow=True).content.decode()
        app.refresh_from_db()
        theirs.refresh_from_db()
        assert app.revoked_at and theirs.revoked_at is None


class TestWebhookSecretAndCallbacks:
    def test_rotate_shows_the_new_secret_once(self, web, owner):
        response = web.post("/settings/webhook-secret/")
        secret = WebhookSecret.objects.get(owner=owner).get_secret()
        assert secret in response.content.decode() and secret not in web.get("/settings/").content.decode()
        assert "Rotate secret" in web.get("/settings/").content.decode()

    def test_the_owner_can_show_the_secret_at_any_time(self, web, owner, outsider):
        from publisher.config_services import webhook_secret_ensure

        theirs = webhook_secret_ensure(workspace=workspace_personal_for(outsider), actor=outsider).get_secret()
        response = web.post("/settings/webhook-secret/reveal/")  # created on demand: no callback needed one yet
        mine = WebhookSecret.objects.get(owner=owner).get_secret()
        html = response.content.decode()
        assert response.status_code == 200 and response["Cache-Control"] == "no-store"
        assert mine in html and theirs not in html and mine.startswith("whsec_")
        assert web.post("/settings/webhook-secret/reveal/").content.decode().count(mine) == 1  # same secret again
        assert mine not in web.get("/settings/").content.decode()  # only when asked for

    def test_after_a_rotation_the_page_says_the_old_secret_still_signs(self, web, owner):
        web.post("/settings/webhook-secret/")
        web.post("/settings/webhook-secret/")
        html = web.post("/settings/webhook-secret/reveal/").content.decode()
        assert "also signed with the previous secret until" in html

    def test_callback_log_is_the_users_own(self, web, owner, outsider):
        callback_for(owner, event="status.FINISHED", last_status_code=500, last_error="Server error")
        callback_for(outsider, event="comment.created")
        html = web.get("/settings/").content.decode()
        assert "status.FINISHED" in html and "HTTP 500" in html and "comment.created" not in html

    def test_replay_sends_again_and_logs_the_attempt(self, web, owner, outsider):
        mine = callback_for(owner)
        theirs = callback_for(outsider)
        response = web.post(f"/settings/callbacks/{mine.pk}/replay/", follow=True)
        assert "sent again" in response.content.decode()
        attempt = CallbackAttempt.objects.get(callback=mine)
        assert attempt.is_replay and attempt.error.startswith("Refused")
        assert web.post(f"/settings/callbacks/{theirs.pk}/replay/").status_code == 404

    @pytest.mark.parametrize("count", [2, 30])
    def test_query_count_does_not_grow(self, web, owner, count, django_assert_num_queries):
        for sequence in range(count):
            callback_for(owner, sequence=sequence)
        # session, user, the caller's membership (once per request), apps, webhook secret, callbacks with their
        # publisher posts, the member's notification choices, unread notifications (bell), the workspace switcher
        with django_assert_num_queries(9):
            assert web.get("/settings/").status_code == 200
