"""GET /configs*: the three lists in the seed's vocabulary; management endpoints keep the invariants."""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from publisher.defaults import default_kinds
from publisher.models import PostType

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "platform, kinds, default",
    [
        ("twitter", ["STATUS", "LINK", "IMAGE", "VIDEO"], "IMAGE"),
        ("instagram", ["IMAGE", "VIDEO"], "IMAGE"),
        ("youtube", ["VIDEO"], "VIDEO"),
        ("tiktok", ["IMAGE", "VIDEO"], "VIDEO"),
        ("googlebusiness", ["STATUS", "LINK", "IMAGE"], "IMAGE"),
    ],
)
def test_default_post_types_per_network(platform, kinds, default):
    assert default_kinds(platform) == (kinds, default)


def test_configs_lists_everything_with_string_ids_and_references(api, owner, channel, twitter, facebook):
    body = api.get("/api/v1/publisher/configs").json()
    assert set(body) == {"channels", "posttypes", "networktargets"}
    default_tw = PostType.objects.get(network_target=twitter, is_default=True)
    default_channel, marketing = body["channels"]
    assert marketing == {
        "id": channel.config_id,
        "name": "Marketing",
        "description": "",
        "posttypes": sorted(marketing["posttypes"], key=lambda i: int(i[3:])),
        "isDefault": False,
    }
    assert default_tw.config_id in marketing["posttypes"]
    assert (default_channel["name"], default_channel["isDefault"]) == ("All network targets", True)
    assert sorted(default_channel["posttypes"]) == sorted(marketing["posttypes"])
    tw_target = next(t for t in body["networktargets"] if t["id"] == f"nt_{twitter.pk}")
    assert tw_target == {
        "id": f"nt_{twitter.pk}",
        "name": "@acme",
        "description": "X / Twitter profile @acme",
        "networkType": "twitter",
        "anchorType": "profile",
        "posttypes": [p.config_id for p in PostType.objects.filter(network_target=twitter)],
    }
    fb_target = next(t for t in body["networktargets"] if t["id"] == f"nt_{facebook.pk}")
    assert fb_target["anchorType"] == "page"
    posttype = next(p for p in body["posttypes"] if p["id"] == default_tw.config_id)
    assert posttype == {
        "id": default_tw.config_id,
        "name": "@acme · Image",
        "description": posttype["description"],
        "type": "IMAGE",
        "networktarget": f"nt_{twitter.pk}",
        "default": True,
    }
    for kind in ("channels", "posttypes", "networktargets"):
        assert api.get(f"/api/v1/publisher/configs/{kind}").json() == body[kind]


def test_configs_are_per_user(api, outsider_api, channel):
    assert outsider_api.get("/api/v1/publisher/configs").json() == {
        "channels": [],
        "posttypes": [],
        "networktargets": [],
    }


def test_configs_query_count_is_constant(api, owner, channel, django_assert_max_num_queries):
    for n in range(5):
        SocialAccountFactory(owner=owner, platform="mastodon", account_name=f"m{n}")
    api.get("/api/v1/publisher/configs")  # creates the new accounts' defaults
    # user (JWT); defaults: accounts without post types, wanted and current default-channel members,
    # the default channel; then per list: rows (+ prefetch)
    with django_assert_max_num_queries(11):  # + the caller's membership, once per request
        assert len(api.get("/api/v1/publisher/configs").json()["networktargets"]) == 7


def test_inactive_accounts_are_not_targets(api, twitter, facebook):
    twitter.is_active = False
    twitter.save()
    ids = [t["id"] for t in api.get("/api/v1/publisher/configs/networktargets").json()]
    assert ids == [f"nt_{facebook.pk}"]


class TestManagement:
    def test_channel_crud(self, api, outsider_api, twitter):
        posttypes = api.get("/api/v1/publisher/posttypes").json()
        first = posttypes[0]["id"]
        created = api.post("/api/v1/publisher/channels", {"name": "HR", "posttype_ids": [first]}, format="json")
        assert created.status_code == 201, created.json()
        channel = created.json()
        assert channel["config_id"] == f"ch_{channel['id']}" and channel["posttype_ids"] == [first]
        duplicate = api.post("/api/v1/publisher/channels", {"name": "HR"}, format="json")
        assert duplicate.status_code == 400 and "name" in duplicate.json()["errors"]
        url = f"/api/v1/publisher/channels/{channel['id']}"
        assert outsider_api.get(url).status_code == 404
        foreign = outsider_api.post("/api/v1/publisher/channels", {"name": "x", "posttype_ids": [first]}, format="json")
        assert foreign.status_code == 400
        assert api.put(url, {"description": "People"}, format="json").json()["posttype_ids"] == [first]
        assert api.delete(url).status_code == 204

    def test_post_types_keep_one_default_and_at_least_one(self, api, twitter):
        listed = api.get(f"/api/v1/publisher/posttypes?network_target={twitter.pk}").json()
        default = next(p for p in listed if p["is_default"])
        other = next(p for p in listed if not p["is_default"])
        assert api.delete(f"/api/v1/publisher/posttypes/{default['id']}").status_code == 409
        made = api.patch(f"/api/v1/publisher/posttypes/{other['id']}", {"is_default": True}, format="json")
        assert made.status_code == 200 and made.json()["is_default"]
        assert PostType.objects.filter(network_target=twitter, is_default=True).count() == 1
        assert api.delete(f"/api/v1/publisher/posttypes/{default['id']}").status_code == 204

    def test_post_type_kind_must_suit_the_network(self, api, owner):
        youtube = SocialAccountFactory(owner=owner, platform="youtube")
        bad = {"social_account_id": youtube.pk, "kind": "IMAGE"}
        response = api.post("/api/v1/publisher/posttypes", bad, format="json")
        assert response.status_code == 400 and "kind" in response.json()["errors"]
        good = api.post("/api/v1/publisher/posttypes", {**bad, "kind": "VIDEO", "name": "Shorts"}, format="json")
        assert good.status_code == 201 and good.json()["name"] == "Shorts"
