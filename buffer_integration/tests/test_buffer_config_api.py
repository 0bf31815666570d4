"""Buffer Configuration API (seed endpoints 31-35) over HTTP against the sandbox."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from buffer_integration.models import BufferConfig
from buffer_integration.tests.factories import BufferConfigFactory

pytestmark = pytest.mark.django_db

TOKEN = "sandbox-config-token"


class TestConfigCrud:
    def test_create_validates_against_buffer_and_hides_the_token(self, api, owner, sandbox):
        response = api.post("/api/v1/buffer/config", {"access_token": TOKEN}, format="json")
        assert response.status_code == 201
        body = response.json()
        assert body["has_access_token"] is True and body["is_active"] is True
        assert body["buffer_user_id"] and body["last_validated_at"]
        assert TOKEN not in response.content.decode()
        config = BufferConfig.objects.get(pk=body["id"])
        assert config.owner == owner and config.get_access_token() == TOKEN
        assert TOKEN not in config.access_token_encrypted

    def test_token_buffer_rejects_is_400_and_nothing_saved(self, api, sandbox):
        response = api.post("/api/v1/buffer/config", {"access_token": "invalid-token"}, format="json")
        assert response.status_code == 400
        assert "rejected" in response.json()["detail"]
        [message] = response.json()["errors"]["access_token"]
        assert message.startswith("Buffer rejected the access token") and message.count("rejected") == 1
        assert BufferConfig.objects.count() == 0

    def test_missing_token_is_400(self, api, sandbox):
        response = api.post("/api/v1/buffer/config", {}, format="json")
        assert response.status_code == 400
        assert "access_token" in response.json()["errors"]

    def test_buffer_down_is_503_and_nothing_saved(self, api, sandbox):
        sandbox.faults(down=True)
        response = api.post("/api/v1/buffer/config", {"access_token": TOKEN}, format="json")
        assert response.status_code == 503
        assert "Buffer" in response.json()["detail"]
        assert BufferConfig.objects.count() == 0

    def test_buffer_unreachable_is_503(self, api, dead_buffer_url):
        response = api.post("/api/v1/buffer/config", {"access_token": TOKEN}, format="json")
        assert response.status_code == 503

    def test_new_config_becomes_the_only_active_one(self, api, owner, sandbox):
        first = api.post("/api/v1/buffer/config", {"access_token": TOKEN}, format="json").json()["id"]
        second = api.post("/api/v1/buffer/config", {"access_token": TOKEN + "-2"}, format="json").json()["id"]
        assert api.get(f"/api/v1/buffer/config/{first}").json()["is_active"] is False
        assert api.get(f"/api/v1/buffer/config/{second}").json()["is_active"] is True
        reactivated = api.patch(f"/api/v1/buffer/config/{first}", {"is_active": True}, format="json")
        assert reactivated.json()["is_active"] is True
        assert api.get(f"/api/v1/buffer/config/{second}").json()["is_active"] is False

    def test_update_token_revalidates(self, api, owner, sandbox):
        config = BufferConfigFactory(owner=owner, access_token=TOKEN)
        rejected = api.put(f"/api/v1/buffer/config/{config.pk}", {"access_token": "invalid-x"}, format="json")
        assert rejected.status_code == 400
        config.refresh_from_db()
        assert config.get_access_token() == TOKEN
        accepted = api.put(f"/api/v1/buffer/config/{config.pk}", {"access_token": TOKEN + "-new"}, format="json")
        assert accepted.status_code == 200
        config.refresh_from_db()
        assert config.get_access_token() == TOKEN + "-new"

    def test_get_and_delete(self, api, owner):
        config = BufferConfigFactory(owner=owner)
        assert api.get(f"/api/v1/buffer/config/{config.pk}").status_code == 200
        assert api.delete(f"/api/v1/buffer/config/{config.pk}").status_code == 204
        assert api.get(f"/api/v1/buffer/config/{config.pk}").status_code == 404

    @pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
    def test_other_users_config_is_404(self, outsider_api, owner, method):
        config = BufferConfigFactory(owner=owner)
        response = getattr(outsider_api, method)(
            f"/api/v1/buffer/config/{config.pk}", {"is_active": False}, format="json"
        )
        assert response.status_code == 404
        config.refresh_from_db()
        assert config.is_active is True


class TestProfiles:
    def test_lists_profiles_of_the_active_config_marking_connected_ones(self, api, owner, sandbox):
        BufferConfigFactory(owner=owner, access_token=TOKEN)
        twitter_id = sandbox.profile_id(TOKEN, "twitter")
        account = SocialAccountFactory(owner=owner, buffer_profile_id=twitter_id)
        response = api.get("/api/v1/buffer/profiles")
        assert response.status_code == 200
        profiles = {p["id"]: p for p in response.json()}
        assert twitter_id in profiles
        assert profiles[twitter_id]["connected_account_id"] == account.pk
        assert profiles[twitter_id]["platform"] == "twitter"
        others = [p for p in profiles.values() if p["id"] != twitter_id]
        assert others and all(p["connected_account_id"] is None for p in others)

    def test_without_config_is_400(self, api, sandbox):
        response = api.get("/api/v1/buffer/profiles")
        assert response.status_code == 400
        assert "buffer/config" in response.json()["detail"]

    def test_buffer_down_is_503(self, api, owner, sandbox):
        BufferConfigFactory(owner=owner, access_token=TOKEN)
        sandbox.faults(down=True)
        assert api.get("/api/v1/buffer/profiles").status_code == 503

    def test_revoked_token_is_400(self, api, owner, sandbox):
        BufferConfigFactory(owner=owner, access_token=TOKEN)
        sandbox.admin("POST", "tokens/revoke", json={"token": TOKEN})
        response = api.get("/api/v1/buffer/profiles")
        assert response.status_code == 400
        assert "rejected" in response.json()["detail"]
