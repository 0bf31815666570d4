"""Integrator apps sign requests: HMAC of METHOD&path&timestamp + body; bad, stale or replayed → 401."""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import pytest
import time_machine
from rest_framework.test import APIClient

from accounts.workspaces import workspace_personal_for
from publisher.models import IntegratorApp, PublisherPost

pytestmark = pytest.mark.django_db
POSTS = "/api/v1/publisher/posts"


def sign(secret: str, method: str, path: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    """An independent implementation of the documented scheme."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = hmac.new(secret.encode(), f"{method}&{path}&{ts}".encode() + body, hashlib.sha256).hexdigest()
    return {"timestamp": ts, "signature": signature}


@pytest.fixture
def app(api) -> dict:
    response = api.post("/api/v1/publisher/apps", {"name": "Drupal site"}, format="json")
    assert response.status_code == 201
    return response.json()


def call(app: dict, method: str, path: str, data=None, *, secret=None, params=None, body_override=None):
    body = json.dumps(data).encode() if data is not None else b""
    query = {"appId": app["app_id"], **sign(secret or app["secret"], method, path, body), **(params or {})}
    client = APIClient()
    url = path + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    data = body_override if body_override is not None else body
    return client.generic(method, url, data, "application/json")


def test_secret_is_shown_once(api, app):
    assert app["secret"] and app["app_id"].startswith("app_")
    listed = api.get("/api/v1/publisher/apps").json()
    assert "secret" not in listed[0] and app["secret"] not in json.dumps(listed)
    assert app["secret"] not in IntegratorApp.objects.get().secret_encrypted


def test_signed_requests_work(app, channel):
    response = call(app, "POST", POSTS, {"payload": {"message": "Signed"}})
    assert response.status_code == 201, response.json()
    assert PublisherPost.objects.get().app.app_id == app["app_id"]
    assert call(app, "GET", "/api/v1/publisher/configs").status_code == 200


@pytest.mark.parametrize(
    "tamper",
    ["no signature", "bad signature", "other body", "unknown app", "not a timestamp"],
)
def test_bad_signatures_are_401(app, channel, tamper):
    body = json.dumps({"payload": "x"}).encode()
    query = {"appId": app["app_id"], **sign(app["secret"], "POST", POSTS, body)}
    if tamper == "no signature":
        del query["signature"]
    elif tamper == "bad signature":
        query["signature"] = "0" * 64
    elif tamper == "other body":
        body = json.dumps({"payload": "y"}).encode()
    elif tamper == "unknown app":
        query["appId"] = "app_nope"
    else:
        query["timestamp"] = "soon"
    url = POSTS + "?" + "&".join(f"{k}={v}" for k, v in query.items())
    response = APIClient().generic("POST", url, body, "application/json")
    assert response.status_code == 401 and response.json()["detail"]
    assert not PublisherPost.objects.exists()


def test_a_replayed_request_is_refused(app, channel):
    body = json.dumps({"payload": "once"}).encode()
    url = (
        POSTS
        + "?"
        + "&".join(f"{k}={v}" for k, v in {"appId": app["app_id"], **sign(app["secret"], "POST", POSTS, body)}.items())
    )
    assert APIClient().generic("POST", url, body, "application/json").status_code == 201
    replay = APIClient().generic("POST", url, body, "application/json")
    assert replay.status_code == 401 and "already used" in replay.json()["detail"]
    assert PublisherPost.objects.count() == 1


def test_a_stale_timestamp_is_refused(app, channel, settings):
    body = json.dumps({"payload": "late"}).encode()
    signed = sign(app["secret"], "POST", POSTS, body)
    url = POSTS + "?" + "&".join(f"{k}={v}" for k, v in {"appId": app["app_id"], **signed}.items())
    with time_machine.travel(time.time() + settings.PUBLISHER_SIGNATURE_MAX_SKEW_SECONDS + 5):
        response = APIClient().generic("POST", url, body, "application/json")
    assert response.status_code == 401 and "timestamp" in response.json()["detail"]


def test_revoked_apps_stop_working(api, app, channel):
    assert api.delete(f"/api/v1/publisher/apps/{app['id']}").status_code == 204
    assert call(app, "GET", "/api/v1/publisher/configs").status_code == 401
    assert api.get(f"/api/v1/publisher/apps/{app['id']}").json()["revoked_at"]


def test_apps_cannot_manage_apps_or_secrets(app):
    assert call(app, "GET", "/api/v1/publisher/apps").status_code == 401
    assert call(app, "POST", "/api/v1/publisher/webhook-secret").status_code == 401


def test_no_credentials_at_all_is_401():
    assert APIClient().get("/api/v1/publisher/configs").status_code == 401
    assert APIClient().post(POSTS, {"payload": 1}, format="json").status_code == 401


def test_the_readme_client_works_verbatim(live_server, transactional_db, owner, settings):
    from publisher import config_services

    app, secret = config_services.integrator_app_create(
        workspace=workspace_personal_for(owner), actor=owner, name="README"
    )
    # --- the README's client, unchanged -------------------------------------------------------------
    import hashlib, hmac, json, time, requests  # noqa: E401, I001

    def publisher(method, path, body=None, *, base, app_id, secret):
        raw = json.dumps(body).encode() if body is not None else b""
        ts = str(int(time.time()))
        signature = hmac.new(secret.encode(), f"{method}&{path}&{ts}".encode() + raw, hashlib.sha256).hexdigest()
        query = {"appId": app_id, "timestamp": ts, "signature": signature}
        headers = {"Content-Type": "application/json"}
        return requests.request(method, base + path, params=query, data=raw, headers=headers, timeout=15)

    # -------------------------------------------------------------------------------------------------
    settings.ALLOWED_HOSTS = ["*"]
    response = publisher("GET", "/api/v1/publisher/configs", base=live_server.url, app_id=app.app_id, secret=secret)
    assert response.status_code == 200, response.text
    assert set(response.json()) == {"channels", "posttypes", "networktargets"}


def test_an_app_acts_in_its_own_workspace_with_its_creators_role(owner, api):
    """An app made in a team workspace posts there, whatever the header says; its creator leaving stops it."""
    from accounts.models import Membership, Role
    from accounts.tests.factories import MembershipFactory, WorkspaceFactory

    team = WorkspaceFactory()
    membership = MembershipFactory(workspace=team, user=owner, role=Role.MANAGER)
    response = api.post("/api/v1/publisher/apps", {"name": "Team CMS"}, format="json", HTTP_X_WORKSPACE=str(team.pk))
    assert response.status_code == 201
    app = response.json()
    assert IntegratorApp.objects.get(app_id=app["app_id"]).workspace == team
    PublisherPost.objects.create(workspace=team, owner=owner, public_id="team-post", payload={"message": "x"})
    PublisherPost.objects.create(
        workspace=workspace_personal_for(owner), owner=owner, public_id="personal-post", payload={"message": "x"}
    )
    listed = call(app, "GET", POSTS).json()
    assert [row["postId"] for row in listed] == ["team-post"]
    membership.role = Role.VIEWER  # the app has its creator's role: a viewer's app reads but cannot post
    membership.save(update_fields=["role"])
    refused = call(app, "POST", POSTS, {"payload": {"message": "Signed"}})
    assert refused.status_code == 403 and "contributor role" in refused.json()["detail"]
    Membership.objects.filter(pk=membership.pk).delete()
    with time_machine.travel(time.time() + 5):  # a new signature: the first GET's may not be used again
        assert call(app, "GET", POSTS).status_code == 404
