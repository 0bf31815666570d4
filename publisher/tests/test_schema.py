"""POST /posts checks the seed's request schema exactly; every 400 names the property or id at fault."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from accounts.workspaces import workspace_personal_for
from kernel.errors import InvalidInput
from publisher.schema import parse_post_request

pytestmark = pytest.mark.django_db
UTC = zoneinfo.ZoneInfo("UTC")


def errors_of(data) -> dict:
    with pytest.raises(InvalidInput) as caught:
        parse_post_request(data, tz=UTC)
    return caught.value.errors


def test_only_payload_is_required_and_defaults_apply():
    request = parse_post_request({"payload": None}, tz=UTC)
    assert request.payload is None and request.strict is False and request.fail_on == "error"
    assert request.channels is request.posttypes is request.networktargets is None


@pytest.mark.parametrize("payload", ["text", 3, [1, 2], {"message": "hi", "custom": {"x": 1}}, True])
def test_payload_is_any_json_value(payload):
    assert parse_post_request({"payload": payload}, tz=UTC).payload == payload


@pytest.mark.parametrize(
    "data, field",
    [
        ({}, "payload"),
        ({"payload": 1, "extra": 1}, "extra"),
        ({"payload": 1, "channels": "ch_1"}, "channels"),
        ({"payload": 1, "posttypes": [1]}, "posttypes"),
        ({"payload": 1, "contentSourceLink": "not a url"}, "contentSourceLink"),
        ({"payload": 1, "postStatusCallback": "ftp://example.com/x"}, "postStatusCallback"),
        ({"payload": 1, "postCommentCallback": 5}, "postCommentCallback"),
        ({"payload": 1, "scheduled": "tomorrow"}, "scheduled"),
        ({"payload": 1, "scheduled": "2099-01-01"}, "scheduled"),
        ({"payload": 1, "scheduled": "2001-01-01T10:00:00Z"}, "scheduled"),
        ({"payload": 1, "strict": "true"}, "strict"),
        ({"payload": 1, "failOn": "never"}, "failOn"),
    ],
)
def test_each_rule(data, field):
    assert field in errors_of(data)


def test_scheduled_naive_is_read_in_the_callers_timezone():
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    year = timezone.now().year + 1
    request = parse_post_request({"payload": 1, "scheduled": f"{year}-07-01T12:00:00"}, tz=berlin)
    assert request.scheduled == dt.datetime(year, 7, 1, 10, 0, tzinfo=dt.UTC)
    explicit = parse_post_request({"payload": 1, "scheduled": f"{year}-07-01T12:00:00Z"}, tz=berlin)
    assert explicit.scheduled == dt.datetime(year, 7, 1, 12, 0, tzinfo=dt.UTC)


def test_empty_filters_mean_no_filter():
    assert parse_post_request({"payload": 1, "channels": []}, tz=UTC).channels is None


class TestApi:
    def test_unknown_property_is_400_naming_it(self, api):
        response = api.post("/api/v1/publisher/posts", {"payload": {}, "colour": "red"}, format="json")
        assert response.status_code == 400
        body = response.json()
        assert body["detail"].startswith("colour: Unknown property")
        assert list(body["errors"]) == ["colour"]

    def test_non_object_body_is_400(self, api):
        response = api.post("/api/v1/publisher/posts", [1, 2], format="json")
        assert response.status_code == 400 and response.json()["detail"]

    def test_unknown_and_foreign_ids_are_400_naming_them(self, api, outsider, channel):
        from publisher import config_services

        foreign = config_services.channel_create(
            workspace=workspace_personal_for(outsider), actor=outsider, name="Theirs"
        )
        data = {"payload": {"message": "hi"}, "channels": [channel.config_id, f"ch_{foreign.pk}", "pt_1"]}
        response = api.post("/api/v1/publisher/posts", data, format="json")
        assert response.status_code == 400
        messages = response.json()["errors"]["channels"]
        assert messages == [
            f"Unknown channel id 'ch_{foreign.pk}' (see GET /configs/channels).",
            "Unknown channel id 'pt_1' (see GET /configs/channels).",
        ]

    def test_all_problems_are_listed(self, api):
        response = api.post(
            "/api/v1/publisher/posts", {"payload": 1, "strict": 1, "failOn": "x", "scheduled": "x"}, format="json"
        )
        assert set(response.json()["errors"]) == {"strict", "failOn", "scheduled"}
