"""Buffer retires its REST API (v1) on 2027-02-01 (../shared/reference/buffer-graphql/README.md, "The legacy
REST API"): until then v1 configs keep working but say so everywhere; from then on no new one is saved.
And a v1 base URL alone never receives GraphQL calls."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.tests.factories import SocialAccountFactory
from buffer_integration.backends import BUFFER_GRAPHQL_ENDPOINT, get_backend, graphql_url
from buffer_integration.models import BufferConfig
from buffer_integration.services import V1_RETIREMENT
from buffer_integration.tests.factories import BufferConfigFactory

pytestmark = pytest.mark.django_db
TOKEN = "sandbox-v1-retirement"
BEFORE, ON = datetime(2027, 1, 31, 23, 59, tzinfo=UTC), V1_RETIREMENT


@pytest.fixture
def api(owner):
    """Session-free and token-free: a JWT made now would have expired on the travelled-to day."""
    client = APIClient()
    client.force_authenticate(owner)
    return client


def test_the_retirement_date_is_buffers():
    assert datetime(2027, 2, 1, tzinfo=UTC) == V1_RETIREMENT


def test_a_v1_config_carries_the_notice_and_a_graphql_one_none(api, owner, sandbox):
    with time_machine.travel(BEFORE, tick=False):
        created = api.post("/api/v1/buffer/config", {"access_token": TOKEN, "api": "v1"}, format="json")
    assert created.status_code == 201, created.content
    assert "2027-02-01" in created.json()["deprecation"]
    listed = api.get("/api/v1/buffer/config").json()
    assert "2027-02-01" in (listed["results"] if isinstance(listed, dict) else listed)[0]["deprecation"]
    graphql = api.post("/api/v1/buffer/config", {"access_token": TOKEN, "api": "graphql"}, format="json")
    assert graphql.status_code == 201 and graphql.json()["deprecation"] == ""


def test_new_v1_configs_are_refused_from_the_retirement_day(api, owner, sandbox):
    with time_machine.travel(ON, tick=False):
        response = api.post("/api/v1/buffer/config", {"access_token": TOKEN, "api": "v1"}, format="json")
        assert response.status_code == 400
        assert "2027-02-01" in response.json()["detail"] and "api" in response.json()["errors"]
        assert not BufferConfig.objects.exists()
        config = BufferConfigFactory(owner=owner, api="graphql", access_token=TOKEN)
        switched = api.patch(f"/api/v1/buffer/config/{config.pk}", {"api": "v1"}, format="json")
        assert switched.status_code == 400
        config.refresh_from_db()
        assert config.api == "graphql"


def test_an_existing_v1_config_keeps_working_and_health_tells_the_operator(owner, sandbox):
    BufferConfigFactory(owner=owner, api="v1", access_token=TOKEN)
    body = APIClient().get("/api/v1/health").json()
    assert body["buffer_v1_configs"] == 1 and "2027-02-01" in body["buffer_v1_deprecation"]
    assert get_backend(TOKEN, api="v1").get_user().id


def test_health_is_quiet_without_v1_configs(owner):
    BufferConfigFactory(owner=owner, api="graphql", access_token=TOKEN)
    body = APIClient().get("/api/v1/health").json()
    assert (body["buffer_v1_configs"], body["buffer_v1_deprecation"]) == (0, "")


def test_the_accounts_page_shows_the_notice_for_a_v1_config(web, owner, sandbox):
    config = BufferConfigFactory(owner=owner, api="v1", access_token=TOKEN)
    SocialAccountFactory(owner=owner)
    assert "retires on 2027-02-01" in web.get("/accounts/").content.decode()
    config.api = "graphql"
    config.save()
    assert "retires on 2027-02-01" not in web.get("/accounts/").content.decode()


@pytest.mark.parametrize(
    ("api_url", "graphql_setting", "expected"),
    [
        ("https://api.bufferapp.com", "", BUFFER_GRAPHQL_ENDPOINT),  # the v1 host never gets GraphQL calls
        ("https://api.bufferapp.com/", "https://gql.example/graphql", "https://gql.example/graphql"),
        ("http://127.0.0.1:8008", "", "http://127.0.0.1:8008/graphql"),  # the sandbox serves both
        ("http://localhost:8008/", "", "http://localhost:8008/graphql"),
    ],
)
def test_graphql_url(settings, api_url, graphql_setting, expected):
    settings.BUFFER_API_URL, settings.BUFFER_GRAPHQL_URL = api_url, graphql_setting
    assert graphql_url() == expected
    assert repr(get_backend("k", api="graphql")) == f"GraphQLBackend(url={expected.rstrip('/')!r})"
