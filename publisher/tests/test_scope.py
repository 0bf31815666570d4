"""Every id a request names is resolved within the caller's scope; read-only fields stay read-only."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from publisher import config_services
from publisher.models import PostType

pytestmark = pytest.mark.django_db


@pytest.fixture
def victim_account(outsider):
    return SocialAccountFactory(owner=outsider, platform="youtube", account_name="victim")


@pytest.mark.parametrize("method", ["put", "patch"])
def test_a_post_type_cannot_be_moved_to_another_users_account(
    api, outsider_api, method, twitter, victim_account, django_capture_on_commit_callbacks
):
    victims_default = outsider_api.get("/api/v1/publisher/posttypes").json()[0]
    mine = next(p for p in api.get("/api/v1/publisher/posttypes").json() if p["kind"] == "STATUS")
    url = f"/api/v1/publisher/posttypes/{mine['id']}"
    body = {"social_account_id": victim_account.pk, "is_default": True, "kind": "STATUS"}

    response = getattr(api, method)(url, body, format="json")

    # Ignored, as documented: STATUS would be refused on YouTube, so not even the platform leaks.
    assert response.status_code == 200, response.json()
    assert response.json()["social_account_id"] == twitter.pk
    assert PostType.objects.get(pk=mine["id"]).network_target_id == twitter.pk
    assert PostType.objects.get(pk=victims_default["id"]).is_default
    with django_capture_on_commit_callbacks(execute=True):
        payload = {"message": "hi", "title": "Hi", "video": "http://example.com/v.mp4"}
        body = {"networktargets": [f"nt_{victim_account.pk}"], "payload": payload}
        victims_post = outsider_api.post("/api/v1/publisher/posts", body, format="json")
    assert victims_post.status_code == 201, victims_post.json()
    assert outsider_api.get(f"/api/v1/publisher/posts/{victims_post.json()['postId']}").json()["error"] == ""


def test_a_default_clash_is_a_400_not_a_500(api, twitter, monkeypatch):
    api.get("/api/v1/publisher/posttypes")  # the account's defaults
    other = PostType.objects.filter(network_target=twitter, is_default=False).first()
    # As if another request made a different default between our two statements.
    monkeypatch.setattr(config_services, "_unset_other_defaults", lambda posttype: None)
    response = api.patch(f"/api/v1/publisher/posttypes/{other.pk}", {"is_default": True}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["is_default"]
    assert PostType.objects.filter(network_target=twitter, is_default=True).count() == 1


def test_network_target_filter_never_reveals_other_accounts(api, twitter, victim_account):
    api.get("/api/v1/publisher/posttypes")
    own = {p["id"] for p in api.get("/api/v1/publisher/posttypes").json()}
    assert {p["id"] for p in api.get(f"/api/v1/publisher/posttypes?network_target={twitter.pk}").json()} == own
    assert {p["id"] for p in api.get(f"/api/v1/publisher/posttypes?network_target=nt_{twitter.pk}").json()} == own
    for value in (victim_account.pk, 99_999_999, "nt_99999999", "abc", "99999999999999999999999"):
        response = api.get(f"/api/v1/publisher/posttypes?network_target={value}")
        assert (response.status_code, response.json()) == (200, []), value


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/publisher/posts",
        "/api/v1/publisher/configs",
        "/api/v1/publisher/channels",
        "/api/v1/publisher/posttypes",
        "/api/v1/publisher/webhook-secret",
        "/api/v1/publisher/callbacks",
        "/api/v1/publisher/apps",
    ],
)
def test_options_describes_every_route(api, path):
    response = api.options(path)
    assert response.status_code == 200 and response.json()["name"]


def test_channels_reference_only_own_post_types(api, outsider_api, twitter, victim_account):
    theirs = outsider_api.get("/api/v1/publisher/posttypes").json()[0]["id"]
    mine = api.get("/api/v1/publisher/posttypes").json()[0]["id"]
    created = api.post("/api/v1/publisher/channels", {"name": "Mine", "posttype_ids": [mine]}, format="json").json()
    url = f"/api/v1/publisher/channels/{created['id']}"
    for method in ("put", "patch"):
        response = getattr(api, method)(url, {"posttype_ids": [mine, theirs]}, format="json")
        assert response.status_code == 400 and list(response.json()["errors"]) == ["posttype_ids"]
    assert api.get(url).json()["posttype_ids"] == [mine]
    foreign_account = {"social_account_id": victim_account.pk, "kind": "VIDEO"}
    refused = api.post("/api/v1/publisher/posttypes", foreign_account, format="json")
    unknown = api.post("/api/v1/publisher/posttypes", {**foreign_account, "social_account_id": 99_999}, format="json")
    assert refused.status_code == unknown.status_code == 400
    assert refused.json()["errors"].keys() == unknown.json()["errors"].keys() == {"social_account_id"}
