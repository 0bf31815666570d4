"""POST /posts stores only what can be stored, rendered and published: bounded dates, sizes and text."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from publisher.models import PublisherPost
from publisher.schema import MAX_IMAGES, MAX_PAYLOAD_BYTES, MAX_TEXT_CHARS

pytestmark = pytest.mark.django_db
DEEP: list = ["deep"]
for _ in range(40):
    DEEP = [DEEP]


def ahead(**delta) -> str:
    return (timezone.now() + timedelta(**delta)).isoformat()


def refused(api, body) -> dict:
    # json.dumps escapes lone surrogates as \\udxxx, exactly as a client library would send them.
    raw = json.dumps(body).encode()
    response = api.generic("POST", "/api/v1/publisher/posts", raw, content_type="application/json")
    assert response.status_code == 400, response.content
    assert PublisherPost.objects.count() == 0
    return response.json()


@pytest.mark.parametrize(
    "scheduled",
    [
        "9999-12-31T23:59:59-12:00",  # year 10000 in UTC
        "9999-12-31T23:59:59",
        "2027-02-30T10:00:00Z",
        "2027-01-01T25:00:00Z",
        "beyond the horizon",
        "0001-01-01T00:00:00+01:00",
    ],
)
def test_scheduled_must_be_a_real_date_within_the_horizon(api, channel, scheduled):
    if scheduled == "beyond the horizon":  # 5 years by default
        scheduled = ahead(days=1826, hours=1)
    body = refused(api, {"payload": "x", "scheduled": scheduled})
    assert list(body["errors"]) == ["scheduled"] and body["detail"].startswith("scheduled: ")


def test_the_horizon_is_a_setting(api, channel, settings):
    settings.SCHEDULE_HORIZON_DAYS = 10
    assert "10 days" in refused(api, {"payload": "x", "scheduled": ahead(days=10, hours=1)})["detail"]
    ok = api.post("/api/v1/publisher/posts", {"payload": "x", "scheduled": ahead(days=9)}, format="json")
    assert ok.status_code == 201


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"message": "x" * (MAX_TEXT_CHARS + 1)}, "message"),
        ("x" * (MAX_TEXT_CHARS + 1), "payload"),
        ({"body": "<p>" + "y" * (MAX_TEXT_CHARS + 1) + "</p>"}, "body"),
        ({"message": "hi", "cms": "z" * MAX_PAYLOAD_BYTES}, "bytes"),
        ({"message": "hi", "images": [f"http://example.com/{n}.jpg" for n in range(MAX_IMAGES + 1)]}, "images"),
        ({"message": "hi", "video": ["http://example.com/1.mp4", "http://example.com/2.mp4"]}, "videos"),
    ],
)
def test_payload_size_is_bounded(api, channel, payload, field):
    body = refused(api, {"payload": payload})
    assert list(body["errors"]) == ["payload"] and field in body["detail"]


def test_html_markup_does_not_count_towards_the_text_limit(api, channel):
    body = {"payload": {"body": "<p>" + "y" * MAX_TEXT_CHARS + "</p>" * 100}}
    assert api.post("/api/v1/publisher/posts", body, format="json").status_code == 201


@pytest.mark.parametrize(
    "body, field",
    [
        ({"payload": {"message": "a\x00b"}}, "payload"),
        ({"payload": {"message": "a\ud800b"}}, "payload"),
        ({"payload": {"nested": [{"k\x00": 1}]}}, "payload"),
        ({"payload": "x", "channels": ["ch_1\x00"]}, "channels"),
        ({"payload": "x", "contentSourceLink": "http://example.com/\udfff"}, "contentSourceLink"),
    ],
)
def test_nul_lone_surrogates_are_refused(api, channel, body, field):
    assert list(refused(api, body)["errors"]) == [field]


def test_deep_nesting_is_refused(api, channel):
    # The API's JSON parser refuses it before the Publisher's own payload walk sees it.
    assert "nested deeper than" in refused(api, {"payload": {"a": DEEP}})["detail"]


def test_long_ids_are_refused_without_echoing_them(api, channel):
    body = refused(api, {"payload": "x", "posttypes": ["pt_" + "9" * 10_000]})
    assert len(body["detail"]) < 200
