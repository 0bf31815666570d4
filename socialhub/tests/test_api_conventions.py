"""The API conventions every endpoint follows: JWT, JSON errors with `detail`, skip/limit, 60/min."""

from __future__ import annotations

import time

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.tests.factories import SocialAccountFactory

pytestmark = pytest.mark.django_db


def test_token_obtain_refresh_verify_and_rotation(owner):
    client = APIClient()
    response = client.post(
        "/api/v1/auth/token", {"username": "owner", "password": "correct-horse-battery"}, format="json"
    )
    assert response.status_code == 200
    access, refresh = response.json()["access"], response.json()["refresh"]

    assert client.post("/api/v1/auth/token/verify", {"token": access}, format="json").status_code == 200

    rotated = client.post("/api/v1/auth/token/refresh", {"refresh": refresh}, format="json")
    assert rotated.status_code == 200
    assert rotated.json()["refresh"] != refresh

    reused = client.post("/api/v1/auth/token/refresh", {"refresh": refresh}, format="json")
    assert reused.status_code == 401
    assert "detail" in reused.json()


def test_wrong_password_is_401_with_detail(owner):
    response = APIClient().post("/api/v1/auth/token", {"username": "owner", "password": "nope"}, format="json")
    assert response.status_code == 401
    assert response.json()["detail"]


def test_token_request_missing_fields_is_400_with_errors():
    response = APIClient().post("/api/v1/auth/token", {}, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}


@pytest.mark.parametrize("header", [None, "Bearer not-a-jwt", "Basic dXNlcjpwYXNz"])
def test_endpoints_require_a_valid_jwt(header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    for path in ["/api/v1/social-accounts", "/api/v1/buffer/config", "/api/v1/buffer/profiles", "/api/v1/me"]:
        response = client.get(path)
        assert response.status_code == 401, path
        assert response.json()["detail"]


def test_expired_access_token_is_401(owner, settings):
    import time_machine
    from rest_framework_simplejwt.tokens import AccessToken

    token = str(AccessToken.for_user(owner))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    with time_machine.travel(
        settings.SIMPLE_JWT["ACCESS_TOKEN_LIFETIME"].total_seconds() + 60 + __import__("time").time()
    ):
        assert client.get("/api/v1/me").status_code == 401


def test_unknown_api_path_is_json_404(api):
    response = api.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_malformed_json_is_400_with_detail(api):
    response = api.post("/api/v1/social-accounts", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Malformed request body")


def test_unsupported_media_type_is_415_with_detail(api):
    response = api.post(
        "/api/v1/social-accounts", data="platform=twitter", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 415
    assert "detail" in response.json()


def test_method_not_allowed_is_405_with_detail(api):
    response = api.delete("/api/v1/social-accounts")
    assert response.status_code == 405
    assert "detail" in response.json()


def test_unhandled_exception_is_json_500_without_trace(api, monkeypatch):
    from accounts import api as accounts_api

    def explode(*args, **kwargs):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(accounts_api.SocialAccountViewSet, "list", explode)
    response = api.get("/api/v1/social-accounts")
    assert response.status_code == 500
    assert response.json() == {"detail": "Internal server error. The problem has been logged."}
    assert b"secret internals" not in response.content


class TestPagination:
    def test_skip_limit_total_and_link_headers(self, api, owner):
        SocialAccountFactory.create_batch(5, owner=owner)
        response = api.get("/api/v1/social-accounts?skip=1&limit=2")
        assert response.status_code == 200
        assert len(response.json()) == 2
        assert response["X-Total-Count"] == "5"
        assert 'rel="next"' in response["Link"] and "skip=3" in response["Link"]
        assert 'rel="prev"' in response["Link"] and "skip=0" in response["Link"]

    def test_last_page_has_no_next(self, api, owner):
        SocialAccountFactory.create_batch(3, owner=owner)
        response = api.get("/api/v1/social-accounts?skip=0&limit=20")
        assert response["X-Total-Count"] == "3"
        assert "Link" not in response

    @pytest.mark.parametrize(
        "query, field", [("limit=0", "limit"), ("limit=101", "limit"), ("limit=abc", "limit"), ("skip=-1", "skip")]
    )
    def test_bad_values_are_400(self, api, query, field):
        response = api.get(f"/api/v1/social-accounts?{query}")
        assert response.status_code == 400
        assert field in response.json()["errors"]

    def test_list_query_count_is_constant(self, api, owner, django_assert_max_num_queries):
        SocialAccountFactory.create_batch(30, owner=owner)
        # user (JWT) + count + page
        # the caller's membership, once per request
        with django_assert_max_num_queries(4):
            assert len(api.get("/api/v1/social-accounts?limit=100").json()) == 30


class TestRateLimit:
    @pytest.fixture(autouse=True)
    def clock(self):
        """The limit counts in fixed, minute-aligned windows: a clock stopped just after a window opens,
        so 61 requests never straddle two windows, however slowly a loaded machine sends them."""
        start = (int(time.time()) // 60 + 1) * 60 + 0.25
        with time_machine.travel(start, tick=False) as traveller:
            yield traveller

    def test_61st_request_in_a_minute_is_429_with_retry_after(self, api):
        for _ in range(60):
            assert api.get("/api/v1/me").status_code == 200
        response = api.get("/api/v1/me")
        assert response.status_code == 429
        assert int(response["Retry-After"]) > 0
        assert response.json()["detail"].startswith("Rate limit exceeded")

    def test_limit_is_per_user(self, api, outsider_api):
        for _ in range(60):
            api.get("/api/v1/me")
        assert api.get("/api/v1/me").status_code == 429
        assert outsider_api.get("/api/v1/me").status_code == 200

    def test_window_slides(self, api, clock):
        for _ in range(60):
            api.get("/api/v1/me")
        assert api.get("/api/v1/me").status_code == 429
        clock.shift(61)
        assert api.get("/api/v1/me").status_code == 200


def test_me_reads_and_sets_timezone(api):
    assert api.get("/api/v1/me").json()["timezone"] == "UTC"
    response = api.patch("/api/v1/me", {"timezone": "Europe/Berlin"}, format="json")
    assert response.status_code == 200
    assert response.json()["timezone"] == "Europe/Berlin"
    bad = api.put("/api/v1/me", {"timezone": "Mars/Olympus"}, format="json")
    assert bad.status_code == 400
    assert "timezone" in bad.json()["errors"]


def test_datetimes_are_shown_in_the_users_timezone(api, owner):
    owner.timezone = "Asia/Tokyo"
    owner.save()
    SocialAccountFactory(owner=owner)
    created = api.get("/api/v1/social-accounts").json()[0]["created_at"]
    assert created.endswith("+09:00")


def test_schema_and_offline_swagger_ui(client):
    schema = client.get("/api/schema", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in [
        "/api/v1/social-accounts",
        "/api/v1/social-accounts/{id}/test-connection",
        "/api/v1/buffer/config",
        "/api/v1/buffer/profiles",
        "/api/v1/auth/token",
    ]:
        assert path in paths, path
    docs = client.get("/docs")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower() and "unpkg" not in html.lower()
