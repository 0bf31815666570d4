"""The budget seen from outside: the config's plan, 503 + Retry-After over budget, health, accounts page, admin."""

from __future__ import annotations

import pytest
from django.utils import timezone

from buffer_integration.budget import KeyBudget, Priority
from buffer_integration.tests.factories import BufferConfigFactory

pytestmark = pytest.mark.django_db
KEY = "budget-api-key-0001"


@pytest.fixture
def config(owner):
    return BufferConfigFactory(owner=owner, access_token=KEY, api="graphql")


def test_plan_defaults_to_the_smallest_and_only_buffers_plan_names_are_taken(api, sandbox):
    created = api.post("/api/v1/buffer/config", {"access_token": KEY}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["plan"] == "free"
    assert [w["limit"] for w in body["budget"]["windows"]] == [100, 250, 3000]
    assert body["budget"]["posts_per_day"] == 208 and KEY not in str(body)
    bad = api.patch(f"/api/v1/buffer/config/{body['id']}", {"plan": "pro"}, format="json")
    assert bad.status_code == 400 and "plan" in bad.json()["errors"]
    team = api.patch(f"/api/v1/buffer/config/{body['id']}", {"plan": "team"}, format="json")
    assert team.status_code == 200 and team.json()["plan"] == "team"
    assert [w["limit"] for w in team.json()["budget"]["windows"]] == [100, 500, 15000]


def test_config_shows_the_requests_its_own_validation_cost(api, sandbox):
    body = api.post("/api/v1/buffer/config", {"access_token": KEY}, format="json").json()
    windows = api.get(f"/api/v1/buffer/config/{body['id']}").json()["budget"]["windows"]
    assert all(w["used"] >= 1 and w["refills_at"] for w in windows)
    assert all(w["remaining"] == w["limit"] - w["used"] for w in windows)


def test_a_user_call_over_budget_is_503_with_retry_after_and_nothing_reaches_buffer(api, config, sandbox):
    KeyBudget(KEY, api="graphql").record_rate_limited(90, "15m")
    before = sandbox.stats()["requests"]
    response = api.get("/api/v1/buffer/profiles")
    assert response.status_code == 503
    assert 85 <= int(response["Retry-After"]) <= 91
    assert "Buffer cannot be asked right now" in response.json()["detail"]
    assert sandbox.stats()["requests"] == before


def test_health_shows_each_active_key_by_config_id_never_the_key(client, config, sandbox, settings):
    settings.BUFFER_PLAN_LIMITS = {"free": {"15m": 100, "24h": 250, "30d": 3000}}
    gate = KeyBudget(KEY, api="graphql", priority=Priority.PUBLISH)
    for _ in range(3):
        gate.admit()
    body = client.get("/api/v1/health").json()
    assert body["buffer_keys_total"] == 1
    [key] = body["buffer_budgets"]
    assert key["config_id"] == config.pk and key["label"] == f"Buffer config #{config.pk} (graphql, free)"
    assert {w["window"]: (w["used"], w["limit"]) for w in key["windows"]} == {
        "15m": (3, 100),
        "24h": (3, 250),
        "30d": (3, 3000),
    }
    assert all(w["refills_at"] for w in key["windows"]) and key["blocked_until"] is None
    assert KEY not in str(body) and gate.digest not in str(body)


def test_health_shows_a_429_block(client, config):
    KeyBudget(KEY, api="graphql").record_rate_limited(60, "24h")
    [key] = client.get("/api/v1/health").json()["buffer_budgets"]
    assert key["blocked_until"] is not None


def test_accounts_page_and_admin_show_the_budget(web, config, admin_client):
    KeyBudget(KEY, api="graphql").admit()
    page = web.get("/accounts/")
    assert page.status_code == 200 and b'id="buffer-budget"' in page.content and b"free plan" in page.content
    listing = admin_client.get("/admin/buffer_integration/bufferconfig/")
    assert listing.status_code == 200 and b"15m: 1/100" in listing.content
    assert KEY.encode() not in page.content + listing.content


def test_a_deferred_key_refills_at_the_time_shown(config):
    gate = KeyBudget(KEY, api="graphql", limits={"15m": 1})
    gate.admit()
    [use] = gate.usage()
    assert use.used == 1 and use.refills_at > timezone.now()
