"""The accounts page against the Buffer sandbox: status, test connection, sync, connect from Buffer, the token form."""

from __future__ import annotations

import re

import pytest

from accounts import services
from accounts.models import SocialAccount
from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from buffer_integration.exceptions import BufferUnavailable
from buffer_integration.models import BufferConfig
from buffer_integration.tests.factories import BufferConfigFactory

pytestmark = pytest.mark.django_db


def current_step(html: str) -> str | None:
    """The number of the first-run step the page marks as the current one."""
    match = re.search(r'aria-current="step">\s*<span class="step-num" aria-hidden="true">(\d)', html)
    return match.group(1) if match else None


TOKEN = "sandbox-web-token"


@pytest.fixture
def linked(owner, sandbox):
    """A twitter account on a profile the sandbox knows under its owner's Buffer config."""
    BufferConfigFactory(owner=owner, access_token=TOKEN)
    return SocialAccountFactory(
        owner=owner, account_name="@brand", buffer_profile_id=sandbox.profile_id(TOKEN, "twitter")
    )


class TestList:
    def test_needs_login(self, client):
        assert client.get("/accounts/")["Location"].startswith("/login/")

    def test_shows_status_last_check_and_error_of_own_accounts(self, web, owner, outsider):
        SocialAccountFactory(owner=owner, account_name="@broken", connection_status="error", last_error="Token revoked")
        SocialAccountFactory(owner=outsider, account_name="@theirs")
        html = web.get("/accounts/").content.decode()
        assert "@broken" in html and "Token revoked" in html and "status-error" in html and ">Error<" in html
        assert "@theirs" not in html and "never" in html

    @pytest.mark.parametrize("count", [2, 40])
    def test_query_count_does_not_grow(self, web, owner, count, django_assert_num_queries):
        for _ in range(count):
            SocialAccountFactory(owner=owner)
        # session, user, membership, accounts, Buffer config, the workspace switcher, unread notifications (bell)
        with django_assert_num_queries(7):
            assert web.get("/accounts/").status_code == 200


class TestConnectionButtons:
    def test_test_connection_ok(self, web, linked):
        response = web.post(f"/accounts/{linked.pk}/test/", follow=True)
        linked.refresh_from_db()
        assert linked.connection_status == "ok" and "@brand: Connected." in response.content.decode()

    def test_test_connection_rejected_token_is_recorded(self, web, owner, sandbox):
        BufferConfigFactory(owner=owner, access_token="invalid-token")
        account = SocialAccountFactory(owner=owner, buffer_profile_id="a" * 24)
        html = web.post(f"/accounts/{account.pk}/test/", follow=True).content.decode()
        account.refresh_from_db()
        assert account.connection_status == "error" and "Buffer rejected the access token" in html
        assert "invalid-token" not in html

    def test_test_connection_buffer_down(self, web, linked, sandbox):
        sandbox.faults(down=True)
        html = web.post(f"/accounts/{linked.pk}/test/", follow=True).content.decode()
        assert "Buffer is unavailable:" in html

    def test_sync(self, web, linked):
        response = web.post(f"/accounts/{linked.pk}/sync/", follow=True)
        linked.refresh_from_db()
        assert linked.last_synced_at and "synced from its Buffer profile" in response.content.decode()

    def test_sync_without_profile_says_why(self, web, owner, sandbox):
        account = SocialAccountFactory(owner=owner)
        html = web.post(f"/accounts/{account.pk}/sync/", follow=True).content.decode()
        # The service's per-field error, under the page's label: no raw API field name.
        assert "Buffer profile: Set a Buffer profile id first." in html and "buffer_profile_id" not in html

    def test_buttons_are_post_only_and_scoped(self, web, linked, outsider):
        theirs = SocialAccountFactory(owner=outsider)
        for action in ("test", "sync"):
            assert web.get(f"/accounts/{linked.pk}/{action}/").status_code == 405
            assert web.post(f"/accounts/{theirs.pk}/{action}/").status_code == 404


class TestConnectFromBuffer:
    def test_lists_the_profiles_not_yet_connected(self, web, owner, sandbox, linked):
        html = web.get("/accounts/connect/").content.decode()
        assert sandbox.profile_id(TOKEN, "twitter") not in html  # already connected as @brand
        assert sandbox.profile_id(TOKEN, "facebook") in html
        assert "1 already connected" in html

    def test_connects_a_profile_and_fills_it_from_buffer(self, web, owner, sandbox):
        BufferConfigFactory(owner=owner, access_token=TOKEN)
        profile_id = sandbox.profile_id(TOKEN, "facebook")
        response = web.post("/accounts/connect/", {"buffer_profile_id": profile_id})
        assert response["Location"] == "/accounts/"
        account = SocialAccount.objects.get(owner=owner)
        assert account.platform == "facebook" and account.buffer_profile_id == profile_id
        assert account.last_synced_at and account.connection_status == "ok"

    def test_buffer_failing_half_way_leaves_no_account(self, web, owner, sandbox, monkeypatch):
        """The account is written, then Buffer goes down before the sync: the whole connect is undone."""
        BufferConfigFactory(owner=owner, access_token=TOKEN)
        profile_id = sandbox.profile_id(TOKEN, "facebook")
        real_sync, half_way = services.social_account_sync_from_buffer, []

        def sync_as_buffer_goes_down(*, account):
            half_way.append(SocialAccount.objects.filter(pk=account.pk).exists())
            sandbox.faults(down=True)
            return real_sync(account=account)

        monkeypatch.setattr(services, "social_account_sync_from_buffer", sync_as_buffer_goes_down)
        with pytest.raises(BufferUnavailable):
            services.social_account_connect_from_buffer(
                workspace=workspace_personal_for(owner), actor=owner, buffer_profile_id=profile_id
            )
        assert half_way == [True] and not SocialAccount.objects.exists()

        sandbox.faults(down=False)
        html = web.post("/accounts/connect/", {"buffer_profile_id": profile_id}, follow=True).content.decode()
        assert "Buffer is unavailable:" in html and not SocialAccount.objects.exists()
        assert half_way == [True, True]

    def test_an_unknown_profile_is_refused(self, web, owner, sandbox):
        BufferConfigFactory(owner=owner, access_token=TOKEN)
        html = web.post("/accounts/connect/", {"buffer_profile_id": "f" * 24}, follow=True).content.decode()
        assert "not available to connect" in html and not SocialAccount.objects.exists()

    def test_without_a_token_the_page_asks_for_the_key_and_says_where_it_comes_from(self, web, sandbox):
        html = web.get("/accounts/connect/").content.decode()
        assert "publish.buffer.com" in html and "Settings → API" in html
        assert 'action="/accounts/buffer-config/"' in html and 'name="access_token"' in html
        assert 'id="sandbox-note"' in html and "does not start with “invalid”" in html
        assert "/api/v1" not in html and "POST" not in html.replace('method="post"', "")
        assert current_step(html) == "1" and "Connect Buffer" in html

    def test_the_sandbox_note_only_shows_with_the_local_sandbox(self, web, settings):
        settings.BUFFER_API_URL = "https://api.bufferapp.com"
        settings.BUFFER_GRAPHQL_URL = "https://api.buffer.com"
        html = web.get("/accounts/connect/").content.decode()
        assert "publish.buffer.com" in html and 'id="sandbox-note"' not in html
        settings.BUFFER_API_URL = "http://127.0.0.1:8008"  # v1 local, but GraphQL (the default) is real Buffer
        assert 'id="sandbox-note"' not in web.get("/accounts/connect/").content.decode()

    def test_the_first_run_saves_the_key_then_lists_the_profiles_then_offers_the_first_post(self, web, owner, sandbox):
        response = web.post("/accounts/buffer-config/", {"access_token": TOKEN, "next": "/accounts/connect/"})
        assert response.status_code == 302 and response["Location"] == "/accounts/connect/"
        html = web.get("/accounts/connect/").content.decode()
        profile_id = sandbox.profile_id(TOKEN, "facebook")
        assert profile_id in html and current_step(html) == "2"
        response = web.post("/accounts/connect/", {"buffer_profile_id": profile_id, "next": "/accounts/connect/"})
        assert response["Location"] == "/accounts/connect/"
        html = web.get("/accounts/connect/").content.decode()
        assert 'href="/posts/new/">Write a post</a>' in html

    def test_a_rejected_key_on_the_first_run_stays_on_its_page(self, web, sandbox):
        response = web.post("/accounts/buffer-config/", {"access_token": "invalid-key", "next": "/accounts/connect/"})
        html = response.content.decode()
        assert response.status_code == 400 and "<h1>Connect from Buffer</h1>" in html
        assert 'id="id_access_token_error"' in html and 'value="invalid-key"' not in html

    def test_connecting_without_a_key_goes_back_to_the_key_form(self, web, sandbox):
        response = web.post("/accounts/connect/", {"buffer_profile_id": "f" * 24}, follow=True)
        html = response.content.decode()
        assert 'name="access_token"' in html and "/api/v1" not in html and not SocialAccount.objects.exists()

    def test_buffer_down(self, web, owner, sandbox):
        BufferConfigFactory(owner=owner, access_token=TOKEN)
        sandbox.faults(down=True)
        assert "Buffer is unavailable:" in web.get("/accounts/connect/").content.decode()


class TestBufferConfig:
    def test_saves_a_checked_token_and_never_shows_it(self, web, owner, sandbox):
        response = web.post("/accounts/buffer-config/", {"access_token": TOKEN}, follow=True)
        config = BufferConfig.objects.get(owner=owner)
        assert config.get_access_token() == TOKEN and config.buffer_user_id
        html = response.content.decode()
        assert "Token saved" in html and TOKEN not in html and config.access_token_encrypted not in html

    def test_replaces_the_token(self, web, owner, sandbox):
        config = BufferConfigFactory(owner=owner, access_token=TOKEN)
        web.post("/accounts/buffer-config/", {"access_token": "sandbox-other-token"})
        config.refresh_from_db()
        assert config.get_access_token() == "sandbox-other-token"

    def test_a_rejected_token_is_shown_next_to_the_field(self, web, owner, sandbox):
        response = web.post("/accounts/buffer-config/", {"access_token": "invalid-token"})
        html = response.content.decode()
        assert response.status_code == 400 and 'id="id_access_token_error">Buffer rejected the access token' in html
        assert html.count("rejected") == 1  # said once, not "rejected this … (Buffer rejected the …)"
        assert 'value="invalid-token"' not in html and not BufferConfig.objects.exists()

    def test_empty_token(self, web, sandbox):
        assert web.post("/accounts/buffer-config/", {"access_token": ""}).status_code == 400
