"""A social account's Buffer profile is checked with its owner's Buffer config, over real HTTP.

The account's own `access_token` is the network's credential kept for it; Buffer never sees it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import SocialAccount
from buffer_integration.tests.factories import BufferConfigFactory
from buffer_sandbox.graphql_data import set_channel_flags
from conftest import Sandbox
from posts.engine.dispatch import dispatch_due_posts
from posts.models import Post, PostStatus

BUFFER_TOKEN = "sandbox-seed-buffer-token"
PROFILE = Sandbox.profile_id(BUFFER_TOKEN, "twitter")
SEED_ACCOUNT = {"platform": "twitter", "account_name": "@username", "access_token": "token_123"}


def tomorrow() -> str:
    return (timezone.now() + dt.timedelta(days=1)).replace(microsecond=0).isoformat()


@pytest.fixture
def config(owner, sandbox):
    return BufferConfigFactory(owner=owner, api="graphql", access_token=BUFFER_TOKEN)


def test_the_seed_flow_schedules_via_buffer_and_publishes_on_the_default_graphql_config(live_api, sandbox):
    created = live_api.post("/buffer/config", {"access_token": "your-buffer-access-token"})
    assert created.status_code == 201, created.text
    assert created.json()["api"] == "graphql"  # the default
    profiles = live_api.get("/buffer/profiles").json()
    twitter = next(p for p in profiles if p["service"] == "twitter")

    account = live_api.post("/social-accounts", {**SEED_ACCOUNT, "buffer_profile_id": twitter["id"]})
    assert account.status_code == 201, account.text
    assert account.json()["connection_status"] == "ok" and account.json()["has_access_token"] is True
    account_id = account.json()["id"]

    body = {
        "social_account_id": account_id,
        "content": "Post content #hashtag",
        "scheduled_time": tomorrow(),
        "platform": "twitter",
        "media_urls": ["https://example.com/image.jpg"],
    }
    queued = live_api.post("/posts", body)
    assert queued.status_code == 201, queued.text
    scheduled = live_api.post(f"/posts/{queued.json()['id']}/schedule")
    assert scheduled.status_code == 200, scheduled.text
    assert scheduled.json()["buffer_update_id"]

    due = live_api.post("/posts", {**body, "content": "Published by the engine"})
    assert due.status_code == 201, due.text
    Post.objects.filter(pk=due.json()["id"]).update(scheduled_time=timezone.now() - dt.timedelta(seconds=1))
    assert dispatch_due_posts() == 1  # the publish task runs eagerly in the test settings
    published = live_api.get(f"/posts/{due.json()['id']}").json()
    assert published["status"] == PostStatus.PUBLISHED, published["last_error"]
    sent = [u for u in sandbox.admin("GET", "updates").json() if u["id"] == published["buffer_update_id"]]
    assert sent[0]["profile_id"] == twitter["id"] and sent[0]["status"] == "sent"


@pytest.mark.usefixtures("config")
class TestCreateAndUpdateAskBuffer:
    def test_a_profile_buffer_does_not_know_under_the_config_is_400_and_nothing_is_saved(self, live_api):
        response = live_api.post("/social-accounts", {**SEED_ACCOUNT, "buffer_profile_id": "buf_123"})
        assert response.status_code == 400
        body = response.json()
        assert "Buffer has no profile buf_123" in body["detail"]
        assert body["errors"]["buffer_profile_id"] == [body["detail"]]
        assert not SocialAccount.objects.exists()

    def test_a_profile_of_another_network_is_400(self, live_api):
        response = live_api.post(
            "/social-accounts", {**SEED_ACCOUNT, "platform": "linkedin", "buffer_profile_id": PROFILE}
        )
        assert response.status_code == 400
        assert "is a twitter profile" in response.json()["errors"]["buffer_profile_id"][0]
        assert not SocialAccount.objects.exists()

    def test_a_token_buffer_rejects_is_400_on_the_profile(self, live_api, sandbox):
        sandbox.admin("POST", "tokens/revoke", json={"token": BUFFER_TOKEN})
        response = live_api.post("/social-accounts", {**SEED_ACCOUNT, "buffer_profile_id": PROFILE})
        assert response.status_code == 400
        assert "rejected the access token of your Buffer config" in response.json()["errors"]["buffer_profile_id"][0]

    def test_buffer_unreachable_is_503_and_nothing_is_saved(self, live_api, sandbox):
        sandbox.faults(down=True)
        response = live_api.post("/social-accounts", {**SEED_ACCOUNT, "buffer_profile_id": PROFILE})
        assert response.status_code == 503 and "Buffer" in response.json()["detail"]
        assert not SocialAccount.objects.exists()

    def test_an_account_without_a_profile_needs_no_buffer(self, live_api, sandbox):
        sandbox.faults(down=True)
        response = live_api.post("/social-accounts", SEED_ACCOUNT)
        assert response.status_code == 201 and response.json()["connection_status"] == "unknown"

    def test_updating_to_an_unknown_profile_is_400_and_keeps_the_account(self, live_api):
        account_id = live_api.post("/social-accounts", {**SEED_ACCOUNT, "buffer_profile_id": PROFILE}).json()["id"]
        response = live_api.patch(f"/social-accounts/{account_id}", {"buffer_profile_id": "f" * 24})
        assert response.status_code == 400 and "buffer_profile_id" in response.json()["errors"]
        assert SocialAccount.objects.get(pk=account_id).buffer_profile_id == PROFILE

    def test_a_new_network_token_does_not_touch_the_buffer_connection(self, live_api, sandbox):
        account_id = live_api.post("/social-accounts", {**SEED_ACCOUNT, "buffer_profile_id": PROFILE}).json()["id"]
        sandbox.faults(down=True)  # Buffer is not asked: the network's credential is not Buffer's business
        response = live_api.patch(f"/social-accounts/{account_id}", {"access_token": "network-token-2"})
        assert response.status_code == 200 and response.json()["connection_status"] == "ok"
        assert SocialAccount.objects.get(pk=account_id).get_access_token() == "network-token-2"


def test_without_a_buffer_config_a_profile_is_refused_with_configure_buffer_first(live_api, sandbox):
    response = live_api.post("/social-accounts", {**SEED_ACCOUNT, "buffer_profile_id": PROFILE})
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Configure Buffer first")
    assert response.json()["errors"]["buffer_profile_id"][0].startswith("Configure Buffer first")


class TestTestConnectionReport:
    @pytest.fixture
    def account_id(self, live_api, config):
        return live_api.post("/social-accounts", {**SEED_ACCOUNT, "buffer_profile_id": PROFILE}).json()["id"]

    def report(self, live_api, account_id) -> dict:
        response = live_api.post(f"/social-accounts/{account_id}/test-connection")
        assert response.status_code == 200, response.text
        assert BUFFER_TOKEN not in response.text and "token_123" not in response.text
        return response.json()

    def test_names_the_config_it_used_and_what_buffer_answered(self, live_api, config, account_id):
        report = self.report(live_api, account_id)
        assert report["ok"] is True and report["connection_status"] == "ok"
        assert (report["token_source"], report["buffer_config_id"], report["buffer_api"]) == (
            "buffer_config",
            config.pk,
            "graphql",
        )
        assert report["buffer_answer"] == "profile_found"

    def test_a_disconnected_profile(self, live_api, sandbox, account_id):
        set_channel_flags(sandbox.server.state, PROFILE, isDisconnected=True)
        report = self.report(live_api, account_id)
        assert (report["ok"], report["buffer_answer"], report["connection_status"]) == (
            False,
            "profile_disconnected",
            "error",
        )

    def test_a_profile_buffer_no_longer_knows(self, live_api, account_id):
        SocialAccount.objects.filter(pk=account_id).update(buffer_profile_id="f" * 24)
        assert self.report(live_api, account_id)["buffer_answer"] == "profile_not_found"

    def test_a_token_buffer_rejects(self, live_api, sandbox, account_id):
        sandbox.admin("POST", "tokens/revoke", json={"token": BUFFER_TOKEN})
        report = self.report(live_api, account_id)
        assert (report["ok"], report["buffer_answer"]) == (False, "token_rejected")
