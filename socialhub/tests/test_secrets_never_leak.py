"""No response, log line or admin page ever contains an access token."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from accounts.tests.factories import SocialAccountFactory, UserFactory
from buffer_integration.tests.factories import BufferConfigFactory

pytestmark = pytest.mark.django_db

ACCOUNT_TOKEN = "sandbox-SECRET-account-token-0001"
CONFIG_TOKEN = "sandbox-SECRET-config-token-0002"


def test_tokens_appear_nowhere(api, owner, sandbox, caplog):
    caplog.set_level(logging.DEBUG)
    bodies: list[str] = []

    def call(method, path, data=None):
        response = getattr(api, method)(path, data, format="json")
        bodies.append(response.content.decode() + str(response.headers))
        return response

    config_id = call("post", "/api/v1/buffer/config", {"access_token": CONFIG_TOKEN}).json()["id"]
    account_id = call(
        "post",
        "/api/v1/social-accounts",
        {
            "platform": "twitter",
            "account_name": "@s",
            "buffer_profile_id": sandbox.profile_id(CONFIG_TOKEN, "twitter"),
            "access_token": ACCOUNT_TOKEN,
        },
    ).json()["id"]
    call("get", f"/api/v1/social-accounts/{account_id}")
    call("get", "/api/v1/social-accounts")
    call("post", f"/api/v1/social-accounts/{account_id}/test-connection")
    call("post", f"/api/v1/social-accounts/{account_id}/sync-buffer")
    call("get", f"/api/v1/buffer/config/{config_id}")
    call("get", "/api/v1/buffer/config")
    call("get", "/api/v1/buffer/profiles")
    sandbox.faults(down=True)
    call("post", f"/api/v1/social-accounts/{account_id}/test-connection")
    call("put", f"/api/v1/buffer/config/{config_id}", {"access_token": CONFIG_TOKEN + "x"})
    sandbox.admin("POST", "tokens/revoke", json={"token": CONFIG_TOKEN})  # Buffer calls use the config's
    sandbox.faults(down=False)
    call("post", f"/api/v1/social-accounts/{account_id}/test-connection")

    logged = "\n".join(record.getMessage() + str(record.args) + str(record.exc_info) for record in caplog.records)
    for secret in (ACCOUNT_TOKEN, CONFIG_TOKEN):
        assert all(secret not in body for body in bodies)
        assert secret not in logged


def test_admin_pages_never_show_tokens(owner):
    admin_user = UserFactory(username="staff", is_staff=True, is_superuser=True)
    account = SocialAccountFactory(owner=owner, access_token=ACCOUNT_TOKEN)
    config = BufferConfigFactory(owner=owner, access_token=CONFIG_TOKEN)
    browser = Client()
    browser.force_login(admin_user)
    pages = [
        "/admin/accounts/socialaccount/",
        f"/admin/accounts/socialaccount/{account.pk}/change/",
        "/admin/buffer_integration/bufferconfig/",
        f"/admin/buffer_integration/bufferconfig/{config.pk}/change/",
        "/admin/accounts/socialaccount/?q=SECRET",
    ]
    for page in pages:
        response = browser.get(page)
        assert response.status_code == 200, page
        html = response.content.decode()
        assert ACCOUNT_TOKEN not in html and CONFIG_TOKEN not in html
        assert account.access_token_encrypted not in html and config.access_token_encrypted not in html
