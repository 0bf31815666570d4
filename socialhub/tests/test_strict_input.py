"""JSON values of the wrong type and filters that say nothing are 400s, as the schema documents.

Each case here was accepted before (DRF converts `0` to "0", `0` to False, `"7"` to 7, and
django-filter drops an empty or unknown boolean filter), and Schemathesis' `negative_data_rejection`
check reported it.
"""

from __future__ import annotations

import pytest

from accounts.tests.factories import SocialAccountFactory
from campaigns.models import Campaign
from campaigns.tests.factories import CampaignFactory
from posts.models import Post
from publisher.models import Channel

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "Launch", "description": 0}, "description"),
        ({"name": 0}, "name"),
        ({"name": "Launch", "start_date": 20260601}, "start_date"),
        ({"name": ["Launch"]}, "name"),
    ],
)
def test_a_campaign_field_of_the_wrong_json_type_is_refused(api, body, field):
    response = api.post("/api/v1/campaigns", body, format="json")
    assert response.status_code == 400, response.json()
    assert list(response.json()["errors"]) == [field]
    assert not Campaign.objects.exists()


def test_a_post_needs_a_string_content_and_an_integer_account(api, owner):
    account = SocialAccountFactory(owner=owner)
    refused = api.post(
        "/api/v1/posts", {"social_account_id": str(account.pk), "content": 0, "status": "draft"}, format="json"
    )
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"social_account_id", "content"}
    assert refused.json()["errors"]["content"] == ["Not a valid string."]
    assert not Post.objects.exists()


def test_true_is_not_an_id(api, owner):
    SocialAccountFactory(owner=owner)  # pk 1 may exist: True would have been read as 1
    response = api.post("/api/v1/posts", {"social_account_id": True, "content": "Hi", "status": "draft"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["social_account_id"] == ["A valid integer is required."]


def test_bulk_items_are_checked_one_by_one(api, owner):
    account = SocialAccountFactory(owner=owner)
    posts = [{"social_account_id": account.pk, "content": "Fine", "status": "draft"}, {"content": 7}]
    response = api.post("/api/v1/posts/bulk", {"posts": posts}, format="json")
    assert response.status_code == 400
    assert not Post.objects.exists()


def test_booleans_are_booleans(api, sandbox):
    response = api.post("/api/v1/buffer/config", {"access_token": "strict-token", "is_active": 0}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"is_active": ["Must be a valid boolean."]}


def test_a_list_of_ids_is_a_list_of_integers(api, owner):
    for posttype_ids in ({}, "1", [True], ["1"]):
        response = api.post(
            "/api/v1/publisher/channels", {"name": "Strict", "posttype_ids": posttype_ids}, format="json"
        )
        assert response.status_code == 400, (posttype_ids, response.json())
        assert list(response.json()["errors"]) == ["posttype_ids"]
    assert not Channel.objects.filter(name="Strict").exists()


def test_null_is_still_left_to_the_field(api, owner):
    response = api.post("/api/v1/campaigns", {"name": "Launch", "description": None}, format="json")
    assert response.status_code == 400  # description is not nullable: DRF's own message, not a type error
    assert response.json()["errors"]["description"] == ["This field may not be null."]


def test_right_types_still_pass(api, owner):
    response = api.post(
        "/api/v1/campaigns", {"name": "Launch", "description": "", "start_date": "2026-06-01"}, format="json"
    )
    assert response.status_code == 201


class TestFilters:
    def test_an_empty_filter_value_is_refused(self, api):
        response = api.get("/api/v1/posts", {"scheduled_to": ""})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == ["scheduled_to"]

    @pytest.mark.parametrize("param", ["skip", "limit"])
    def test_an_empty_page_parameter_is_refused(self, api, param):
        response = api.get("/api/v1/social-accounts", {param: ""})
        assert response.status_code == 400
        assert list(response.json()["errors"]) == [param]

    @pytest.mark.parametrize("value", ["null", "yes", "1", "True"])
    def test_a_boolean_filter_takes_true_or_false_only(self, api, value):
        response = api.get("/api/v1/publisher/posttypes", {"is_default": value})
        assert response.status_code == 400
        assert response.json()["errors"] == {"is_default": ["Must be true or false."]}

    def test_real_values_filter(self, api, owner):
        CampaignFactory(owner=owner, status="paused")
        assert api.get("/api/v1/campaigns", {"status": "paused"}).json()[0]["status"] == "paused"
        assert api.get("/api/v1/publisher/posttypes", {"is_default": "true"}).status_code == 200


def test_the_default_configs_conflicts_are_documented(api):
    """The 409s of the Publisher's default channel and default post types are in the schema."""
    paths = api.get("/api/schema", HTTP_ACCEPT="application/json").json()["paths"]
    channel = paths["/api/v1/publisher/channels/{id}"]
    assert {"put", "patch", "delete"} <= {method for method, op in channel.items() if "409" in op["responses"]}
    assert "409" in paths["/api/v1/publisher/posttypes/{id}"]["delete"]["responses"]


def test_a_timezone_is_a_name_of_the_tz_database_never_a_path(api):
    long_name = "T" + "\u0337o" * 200  # ZoneInfo would open it as a file: OSError "File name too long"
    for tz in (long_name, "../../etc/passwd", "Europe/Nowhere"):
        response = api.get("/api/v1/posts/calendar", {"start_date": "2026-01-01", "end_date": "2026-01-07", "tz": tz})
        assert response.status_code == 400, tz
        assert list(response.json()["errors"]) == ["tz"]
    ok = api.get("/api/v1/posts/calendar", {"start_date": "2026-01-01", "end_date": "2026-01-07", "tz": "Asia/Tokyo"})
    assert ok.status_code == 200


@pytest.mark.parametrize("value", ["0269-09-16T22:37:03.270+17:47", "2026-01-01", "2026-02-30T10:00"])
def test_analytics_date_filters_read_like_every_date_time(api, value):
    response = api.get("/api/v1/analytics", {"recorded_to": value})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["recorded_to"]
