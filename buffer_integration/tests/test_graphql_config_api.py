"""A Buffer config for the GraphQL API drives the product end to end, against the sandbox's `/graphql`.

The quickstart path: save an API key (no `api` needed), list channels, check and sync an account,
schedule a post via Buffer, move it. Plus: v1 stays selectable, and what GraphQL lacks answers 501.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.tests.factories import SocialAccountFactory
from buffer_integration.backends.graphql import GraphQLBackend
from buffer_integration.exceptions import BufferUnsupported
from buffer_integration.models import BufferConfig
from buffer_integration.services import backend_for_account
from buffer_integration.tests.factories import BufferConfigFactory
from buffer_sandbox.graphql_data import set_channel_flags
from kernel.api.exceptions import api_exception_handler
from posts.tests.factories import PostFactory

pytestmark = pytest.mark.django_db

KEY = "sandbox-graphql-api-key"


@pytest.fixture
def graphql_config(owner, sandbox):
    return BufferConfigFactory(owner=owner, access_token=KEY, api="graphql")


@pytest.fixture
def account(owner, graphql_config, sandbox):
    """No token of its own: the owner's GraphQL config is used."""
    return SocialAccountFactory(owner=owner, platform="twitter", buffer_profile_id=sandbox.profile_id(KEY, "twitter"))


class TestConfigApi:
    def test_new_config_defaults_to_graphql_and_is_validated_over_graphql(self, api, sandbox):
        before = sandbox.stats()["requests"]
        response = api.post("/api/v1/buffer/config", {"access_token": KEY}, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["api"] == "graphql" and response.json()["buffer_user_id"]
        assert sandbox.stats()["requests"] == before + 1  # one `account` query
        assert BufferConfig.objects.get().api == "graphql"

    def test_v1_can_still_be_chosen_and_a_bad_api_is_400(self, api, sandbox):
        v1 = api.post("/api/v1/buffer/config", {"access_token": KEY, "api": "v1"}, format="json")
        assert v1.status_code == 201 and v1.json()["api"] == "v1"
        bad = api.post("/api/v1/buffer/config", {"access_token": KEY, "api": "v3"}, format="json")
        assert bad.status_code == 400 and "api" in bad.json()["errors"]

    def test_a_key_buffer_rejects_is_400(self, api, sandbox):
        response = api.post("/api/v1/buffer/config", {"access_token": "invalid-key", "api": "graphql"}, format="json")
        assert response.status_code == 400 and "rejected" in response.json()["detail"]

    def test_switching_api_revalidates(self, api, owner, sandbox):
        config = BufferConfigFactory(owner=owner, access_token=KEY, api="v1")
        response = api.patch(f"/api/v1/buffer/config/{config.pk}", {"api": "graphql"}, format="json")
        assert response.status_code == 200 and response.json()["api"] == "graphql"


class TestThroughGraphQL:
    def test_profiles_are_the_channels(self, api, graphql_config, sandbox):
        set_channel_flags(sandbox.server.state, sandbox.profile_id(KEY, "linkedin"), isLocked=True)
        response = api.get("/api/v1/buffer/profiles")
        assert response.status_code == 200
        profiles = {p["service"]: p for p in response.json()}
        assert profiles["twitter"]["id"] == sandbox.profile_id(KEY, "twitter")
        assert profiles["linkedin"]["is_disconnected"] is True and profiles["twitter"]["is_disconnected"] is False
        assert profiles["twitter"]["organization_id"] and profiles["twitter"]["can_publish"] is True
        assert profiles["tiktok"]["can_publish"] is False  # Buffer's API cannot post to TikTok
        assert profiles["pinterest"]["boards"] and profiles["twitter"]["boards"] == []
        assert profiles["twitter"]["schedules"]  # Channel.postingSchedule
        assert isinstance(backend_for_account(account=SocialAccountFactory(owner=graphql_config.owner)), GraphQLBackend)

    def test_test_connection_and_sync(self, api, account, sandbox):
        checked = api.post(f"/api/v1/social-accounts/{account.pk}/test-connection")
        assert checked.status_code == 200 and checked.json()["ok"] is True
        synced = api.post(f"/api/v1/social-accounts/{account.pk}/sync-buffer")
        assert synced.status_code == 200
        assert synced.json()["service_username"] == "sandbox_twitter"
        set_channel_flags(sandbox.server.state, account.buffer_profile_id, isDisconnected=True)
        checked = api.post(f"/api/v1/social-accounts/{account.pk}/test-connection")
        assert checked.json()["ok"] is False and "disconnected" in checked.json()["message"]

    def test_schedule_via_buffer_then_reschedule_keeps_the_update(self, api, account, sandbox):
        when = (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0)
        post = PostFactory(social_account=account, content="Hello from GraphQL", scheduled_time=when)
        scheduled = api.post(f"/api/v1/posts/{post.pk}/schedule")
        assert scheduled.status_code == 200, scheduled.json()
        [update] = sandbox.admin("GET", "updates").json()
        assert scheduled.json()["buffer_update_id"] == update["id"] and update["custom_scheduled"] is True
        assert update["due_at"] == int(when.timestamp()) and update["text"] == "Hello from GraphQL"
        later = when + dt.timedelta(hours=5)
        moved = api.post(f"/api/v1/posts/{post.pk}/reschedule", {"scheduled_time": later.isoformat()}, format="json")
        assert moved.status_code == 200, moved.json()
        [update] = sandbox.admin("GET", "updates").json()
        assert update["id"] == moved.json()["buffer_update_id"] and update["due_at"] == int(later.timestamp())

    def test_unsupported_is_501_with_a_plain_sentence(self):
        response = api_exception_handler(BufferUnsupported("Buffer's GraphQL API offers no comments yet."), {})
        assert response.status_code == 501
        assert response.data == {"detail": "Buffer's GraphQL API offers no comments yet."}
