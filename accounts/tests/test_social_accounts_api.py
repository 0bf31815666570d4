"""Social Accounts API (seed endpoints 1-7) over HTTP, with the Buffer sandbox behind it."""

from __future__ import annotations

import pytest

from accounts.models import SocialAccount
from accounts.tests.factories import SocialAccountFactory
from buffer_integration.tests.factories import BufferConfigFactory
from conftest import Sandbox

pytestmark = pytest.mark.django_db

TOKEN = "sandbox-owner-token"
PROFILE = Sandbox.profile_id(TOKEN, "twitter")


@pytest.fixture
def config(owner, sandbox):
    """The owner's Buffer config: every Buffer call for the owner's accounts goes through it."""
    return BufferConfigFactory(owner=owner, access_token=TOKEN)


def _create(api, **overrides):
    body = {
        "platform": "twitter",
        "account_name": "@brand",
        "buffer_profile_id": PROFILE,
        "access_token": "token_123",
    }
    body.update(overrides)
    return api.post("/api/v1/social-accounts", body, format="json")


@pytest.mark.usefixtures("config")
class TestCrud:
    def test_create_seed_example(self, api, owner):
        response = _create(api)
        assert response.status_code == 201
        body = response.json()
        assert body["platform"] == "twitter" and body["account_name"] == "@brand"
        assert body["has_access_token"] is True
        assert "access_token" not in body and "token_123" not in response.content.decode()
        assert body["connection_status"] == "ok"  # Buffer was asked for the profile when it was saved
        assert {"id", "created_at", "updated_at"} <= set(body)
        account = SocialAccount.objects.get(pk=body["id"])
        assert account.owner == owner
        assert "token_123" not in account.access_token_encrypted
        assert account.get_access_token() == "token_123"

    def test_owner_cannot_be_set_through_the_api(self, api, owner, outsider):
        response = _create(api, owner=outsider.pk, connection_status="ok")
        assert response.status_code == 201
        account = SocialAccount.objects.get(pk=response.json()["id"])
        assert account.owner == owner
        assert account.connection_status == "ok"

    @pytest.mark.parametrize(
        "overrides, field",
        [
            ({"platform": "myspace"}, "platform"),
            ({"platform": None}, "platform"),
            ({"account_name": ""}, "account_name"),
            ({"account_name": "x" * 256}, "account_name"),
            ({"is_active": "perhaps"}, "is_active"),
        ],
    )
    def test_invalid_fields_are_400_naming_the_field(self, api, overrides, field):
        response = _create(api, **overrides)
        assert response.status_code == 400
        assert field in response.json()["errors"]
        assert response.json()["detail"]
        assert SocialAccount.objects.count() == 0

    def test_duplicate_profile_for_platform_is_400(self, api):
        assert _create(api).status_code == 201
        response = _create(api, account_name="@again")
        assert response.status_code == 400
        assert "buffer_profile_id" in response.json()["errors"]
        facebook = Sandbox.profile_id(TOKEN, "facebook")
        assert _create(api, platform="facebook", buffer_profile_id=facebook).status_code == 201

    def test_same_profile_for_another_user_is_fine(self, api, outsider_api, outsider):
        BufferConfigFactory(owner=outsider, access_token=TOKEN)  # the same Buffer account, shared
        assert _create(api).status_code == 201
        assert _create(outsider_api).status_code == 201

    def test_list_get_update_delete(self, api, owner):
        account_id = _create(api).json()["id"]
        assert [a["id"] for a in api.get("/api/v1/social-accounts").json()] == [account_id]
        assert api.get(f"/api/v1/social-accounts/{account_id}").json()["account_name"] == "@brand"

        updated = api.put(
            f"/api/v1/social-accounts/{account_id}", {"account_name": "@renamed", "is_active": False}, format="json"
        )
        assert updated.status_code == 200
        assert updated.json()["account_name"] == "@renamed" and updated.json()["is_active"] is False
        assert updated.json()["has_access_token"] is True  # PUT keeps what it omits

        patched = api.patch(f"/api/v1/social-accounts/{account_id}", {"access_token": ""}, format="json")
        assert patched.json()["has_access_token"] is False

        assert api.delete(f"/api/v1/social-accounts/{account_id}").status_code == 204
        assert api.get(f"/api/v1/social-accounts/{account_id}").status_code == 404

    def test_filters(self, api, owner):
        SocialAccountFactory(owner=owner, platform="twitter")
        SocialAccountFactory(owner=owner, platform="facebook", is_active=False)
        assert len(api.get("/api/v1/social-accounts?platform=facebook").json()) == 1
        assert len(api.get("/api/v1/social-accounts?is_active=true").json()) == 1


class TestIsolation:
    """Another user's account is indistinguishable from one that does not exist."""

    @pytest.mark.parametrize(
        "method, suffix",
        [
            ("get", ""),
            ("put", ""),
            ("patch", ""),
            ("delete", ""),
            ("post", "/test-connection"),
            ("post", "/sync-buffer"),
        ],
    )
    def test_other_users_account_is_404(self, outsider_api, owner, method, suffix):
        account = SocialAccountFactory(owner=owner)
        response = getattr(outsider_api, method)(f"/api/v1/social-accounts/{account.pk}{suffix}", {}, format="json")
        assert response.status_code == 404
        assert response.json() == {"detail": "Not found."}
        assert SocialAccount.objects.filter(pk=account.pk).exists()

    def test_list_shows_only_own_accounts(self, api, owner, outsider):
        mine = SocialAccountFactory(owner=owner)
        SocialAccountFactory(owner=outsider)
        response = api.get("/api/v1/social-accounts")
        assert [a["id"] for a in response.json()] == [mine.pk]
        assert response["X-Total-Count"] == "1"


class TestTestConnection:
    def test_ok_with_the_owners_buffer_config(self, api, owner, config):
        account = SocialAccountFactory(owner=owner, buffer_profile_id=PROFILE)
        response = api.post(f"/api/v1/social-accounts/{account.pk}/test-connection")
        assert response.status_code == 200
        assert response.json()["ok"] is True
        account.refresh_from_db()
        assert account.connection_status == "ok" and account.last_checked_at is not None

    def test_the_accounts_own_token_is_never_used_for_buffer(self, api, owner, config):
        # The network's credential of the account: were it sent to Buffer, Buffer would not know the profile.
        account = SocialAccountFactory(
            owner=owner, buffer_profile_id=Sandbox.profile_id(TOKEN, "facebook"), platform="facebook", access_token="nw"
        )
        response = api.post(f"/api/v1/social-accounts/{account.pk}/test-connection")
        assert response.json()["ok"] is True

    def test_rejected_token_is_recorded_as_error(self, api, owner, sandbox):
        BufferConfigFactory(owner=owner, access_token="invalid-token")
        account = SocialAccountFactory(owner=owner, buffer_profile_id="a" * 24)
        response = api.post(f"/api/v1/social-accounts/{account.pk}/test-connection")
        assert response.status_code == 200
        assert response.json()["ok"] is False
        assert response.json()["connection_status"] == "error"
        account.refresh_from_db()
        assert account.connection_status == "error" and "rejected" in account.last_error
        assert "invalid-token" not in response.content.decode()

    def test_unknown_profile_is_recorded_as_error(self, api, owner, config):
        account = SocialAccountFactory(owner=owner, buffer_profile_id="f" * 24)
        response = api.post(f"/api/v1/social-accounts/{account.pk}/test-connection")
        assert response.json()["ok"] is False
        assert "has no profile" in response.json()["message"]

    def test_no_buffer_config_is_400(self, api, owner, sandbox):
        account = SocialAccountFactory(owner=owner, buffer_profile_id="a" * 24, access_token="token_123")
        response = api.post(f"/api/v1/social-accounts/{account.pk}/test-connection")
        assert response.status_code == 400
        assert response.json()["detail"].startswith("Configure Buffer first")

    def test_buffer_down_is_503_and_records_nothing(self, api, owner, config, sandbox):
        account = SocialAccountFactory(owner=owner, buffer_profile_id=PROFILE)
        sandbox.faults(down=True)
        response = api.post(f"/api/v1/social-accounts/{account.pk}/test-connection")
        assert response.status_code == 503
        assert "Buffer" in response.json()["detail"]
        account.refresh_from_db()
        assert account.connection_status == "unknown" and account.last_checked_at is None

    def test_buffer_unreachable_is_503(self, api, owner, dead_buffer_url):
        BufferConfigFactory(owner=owner, access_token=TOKEN)
        account = SocialAccountFactory(owner=owner, buffer_profile_id="a" * 24)
        response = api.post(f"/api/v1/social-accounts/{account.pk}/test-connection")
        assert response.status_code == 503
        assert "Buffer" in response.json()["detail"]


@pytest.mark.usefixtures("config")
class TestSyncBuffer:
    def test_sync_brings_profile_data(self, api, owner, sandbox):
        account = SocialAccountFactory(owner=owner, buffer_profile_id=PROFILE)
        response = api.post(f"/api/v1/social-accounts/{account.pk}/sync-buffer")
        assert response.status_code == 200
        body = response.json()
        assert body["service_username"] and body["avatar_url"].startswith("http")
        assert body["profile_timezone"] and body["posting_schedule"][0]["times"]
        assert body["connection_status"] == "ok" and body["last_synced_at"]

    def test_without_profile_id_is_400(self, api, owner, sandbox):
        account = SocialAccountFactory(owner=owner)
        response = api.post(f"/api/v1/social-accounts/{account.pk}/sync-buffer")
        assert response.status_code == 400
        assert "buffer_profile_id" in response.json()["errors"]

    def test_profile_unknown_to_buffer_is_404(self, api, owner, sandbox):
        account = SocialAccountFactory(owner=owner, buffer_profile_id="f" * 24)
        response = api.post(f"/api/v1/social-accounts/{account.pk}/sync-buffer")
        assert response.status_code == 404
        assert "Buffer" in response.json()["detail"]

    def test_platform_mismatch_is_400(self, api, owner, sandbox):
        account = SocialAccountFactory(owner=owner, platform="linkedin", buffer_profile_id=PROFILE)
        response = api.post(f"/api/v1/social-accounts/{account.pk}/sync-buffer")
        assert response.status_code == 400
        assert "platform" in response.json()["errors"]

    def test_buffer_down_is_503(self, api, owner, sandbox):
        account = SocialAccountFactory(owner=owner, buffer_profile_id=PROFILE)
        sandbox.faults(down=True)
        assert api.post(f"/api/v1/social-accounts/{account.pk}/sync-buffer").status_code == 503
