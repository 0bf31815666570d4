"""Access tokens are header-safe when saved, a bad one never reaches a log, and cache keys hide them."""

from __future__ import annotations

import hashlib
import logging

import pytest

from accounts.models import SocialAccount
from accounts.tests.factories import SocialAccountFactory
from buffer_integration import budget
from buffer_integration.models import BufferConfig
from buffer_integration.tests.factories import BufferConfigFactory
from kernel import crypto
from socialhub.tests.log_secrets import register_secret

pytestmark = pytest.mark.django_db

BAD_TOKENS = {
    "crlf": "abc\r\nX-Injected: 1",
    "lf": "sandbox-token\nsecond-line",
    "tab": "sandbox\ttoken-0001",
    "space": "sandbox token-0001",
    "nul": "sandbox\x00token-0001",
    "latin1": "sandbox-tökén-0001",
    "non_latin1": "sandbox-トークン-0001",
    "too_long": "t" * 2001,
}


@pytest.fixture(params=list(BAD_TOKENS), ids=list(BAD_TOKENS))
def bad_token(request) -> str:
    register_secret(BAD_TOKENS[request.param])
    return BAD_TOKENS[request.param]


def _logged(caplog) -> str:
    return "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text or ''} {r.exc_info!r}" for r in caplog.records)


def test_buffer_config_refuses_it_before_calling_buffer(api, sandbox, bad_token, caplog):
    caplog.set_level(logging.DEBUG)
    response = api.post("/api/v1/buffer/config", {"access_token": bad_token}, format="json")
    assert response.status_code == 400
    assert "access_token" in response.json()["errors"]
    assert response.json()["detail"].startswith("access_token: An access token")
    assert bad_token not in response.content.decode() and bad_token not in _logged(caplog)
    assert not BufferConfig.objects.exists() and sandbox.stats()["requests"] == 0


def test_social_account_refuses_it(api, owner, bad_token):
    body = {"platform": "twitter", "account_name": "@s", "access_token": bad_token}
    response = api.post("/api/v1/social-accounts", body, format="json")
    assert response.status_code == 400 and "access_token" in response.json()["errors"]
    account = SocialAccountFactory(owner=owner)
    response = api.patch(f"/api/v1/social-accounts/{account.pk}", {"access_token": bad_token}, format="json")
    assert response.status_code == 400 and "access_token" in response.json()["errors"]
    assert not SocialAccount.objects.filter(access_token_encrypted__gt="").exists()


def test_the_web_form_refuses_it(web, owner, sandbox, caplog):
    token = BAD_TOKENS["crlf"]
    register_secret(token)
    response = web.post("/accounts/buffer-config/", {"access_token": token})
    assert response.status_code == 400
    assert "cannot be sent in an HTTP header" in response.content.decode()
    assert token not in _logged(caplog) and not BufferConfig.objects.exists()


def test_every_save_path_checks_it(owner):
    from kernel.errors import InvalidInput

    account = SocialAccount(owner=owner, platform="twitter", account_name="@s")
    with pytest.raises(InvalidInput) as raised:
        account.set_access_token(BAD_TOKENS["crlf"])
    assert "access_token" in raised.value.errors and BAD_TOKENS["crlf"] not in str(raised.value.errors)


def test_a_bad_token_stored_earlier_is_never_sent_nor_logged(api, owner, sandbox, caplog):
    token = BAD_TOKENS["crlf"]
    register_secret(token)
    account = SocialAccountFactory(owner=owner, buffer_profile_id="a" * 24)
    config = BufferConfigFactory(owner=owner, access_token="replaced-below")  # Buffer calls use the config's token
    BufferConfig.objects.filter(pk=config.pk).update(access_token_encrypted=crypto.encrypt(token))
    caplog.set_level(logging.DEBUG)
    response = api.post(f"/api/v1/social-accounts/{account.pk}/test-connection")
    assert response.status_code == 200
    assert response.json()["ok"] is False and "cannot be sent in an HTTP header" in response.json()["message"]
    assert token not in _logged(caplog)


def test_good_tokens_still_work(api, sandbox):
    response = api.post("/api/v1/buffer/config", {"access_token": "Abc-123._~+/=xyz"}, format="json")
    assert response.status_code == 201


def test_buffer_budget_keys_are_keyed_hashes(settings):
    token = "sandbox-throttle-token-0001"
    key = budget.key_id(token)
    assert key != hashlib.sha256(token.encode()).hexdigest()  # a bare hash can be checked against guesses
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    assert budget.key_id(token) != key
