"""Request limits: body size, JSON nesting and NUL in query strings are refused before any view runs."""

from __future__ import annotations

import json

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def post_raw(api, path: str, raw: bytes | str):
    return api.generic("POST", path, raw, content_type="application/json")


def test_a_body_over_the_limit_is_413_without_being_read(api, settings):
    settings.API_MAX_BODY_BYTES = 2048
    body = json.dumps({"posts": [{"social_account_id": 1, "content": "x" * 3000}]})
    response = post_raw(api, "/api/v1/posts/bulk", body)
    assert response.status_code == 413
    assert response.json()["detail"] == "Request body too large: at most 2048 bytes."


def test_the_default_limit_is_one_mebibyte(api):
    big = json.dumps({"content": "x" * (1024 * 1024)})
    response = post_raw(api, "/api/v1/posts", big)
    assert response.status_code == 413 and "1048576 bytes" in response.json()["detail"]


def test_the_parser_refuses_more_than_the_limit_whatever_content_length_says(settings, rf):
    from kernel.api.parsers import BoundedJSONParser, RequestTooLarge

    settings.API_MAX_BODY_BYTES = 1024
    request = rf.post("/api/v1/posts", data=json.dumps({"a": "x" * 2000}), content_type="application/json")
    with pytest.raises(RequestTooLarge):
        BoundedJSONParser().parse(request, "application/json", {})


@pytest.mark.parametrize("depth", [33, 1000, 100_000])
def test_deep_json_is_400(api, depth):
    response = post_raw(api, "/api/v1/posts", "[" * depth + "]" * depth)
    assert response.status_code == 400
    assert response.json()["detail"] == "Malformed request body: JSON nested deeper than 32 levels."


def test_json_up_to_the_depth_limit_reaches_the_serializer(api):
    nested: object = "x"
    for _ in range(31):
        nested = [nested]
    response = post_raw(api, "/api/v1/posts", json.dumps({"content": nested}))
    assert response.status_code == 400
    assert "content" in response.json()["errors"]  # parsed, then refused by the field


def test_nan_is_not_json(api):
    response = post_raw(api, "/api/v1/posts", '{"social_account_id": NaN}')
    assert response.status_code == 400 and response.json()["detail"].startswith("Malformed request body")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/posts?q=a%00b",
        "/api/v1/campaigns?q=%00",
        "/api/v1/analytics?platform=%00",
        "/api/v1/social-accounts?platform=twitter&x%00=1",
        "/api/v1/posts/calendar?start_date=2025-12-01%00&end_date=2025-12-02",
    ],
)
def test_nul_in_any_query_parameter_is_400(api, path):
    response = api.get(path)
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


def test_nul_in_a_web_page_query_is_400(web):
    response = web.get("/posts/?q=%00")
    assert response.status_code == 400


def test_bulk_size_is_bounded(api, account):
    from posts.services import MAX_BULK

    item = {"social_account_id": account.pk, "content": "x"}
    response = api.post("/api/v1/posts/bulk", {"posts": [item] * (MAX_BULK + 1)}, format="json")
    assert response.status_code == 400
    assert f"no more than {MAX_BULK}" in response.json()["detail"]


@pytest.fixture
def account(owner):
    from accounts.tests.factories import SocialAccountFactory

    return SocialAccountFactory(owner=owner)


def test_limits_are_in_the_schema(client: Client):
    schema = client.get("/api/schema", HTTP_ACCEPT="application/json").json()
    description = schema["info"]["description"]
    assert "up to 1048576 bytes (larger → 413)" in description and "at most 32 levels" in description
    skip = next(p for p in schema["paths"]["/api/v1/posts"]["get"]["parameters"] if p["name"] == "skip")
    assert skip["schema"]["maximum"] == 1_000_000_000
