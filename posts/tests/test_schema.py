"""The OpenAPI schema documents every posts endpoint with its request, response and error codes."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

DETAIL_ERRORS = {"400", "401", "404", "409", "429", "503"}
BODY_ERRORS = {"413", "415"}  # wherever a JSON body is read
# Every route acts in a workspace: 400 (an X-Workspace that is no id) and 404 (one the caller is not in).
WORKSPACE = {"400", "404"}
ROLE = {"403"}  # writes: the caller's role does not allow it
EXPECTED = {
    ("/api/v1/posts", "get"): {"200", "400", "401", "429"} | WORKSPACE,
    ("/api/v1/posts", "post"): {"201", "400", "401", "429"} | BODY_ERRORS | WORKSPACE | ROLE,
    ("/api/v1/posts/{id}", "get"): {"200", "400", "401", "404", "429"} | WORKSPACE,
    ("/api/v1/posts/{id}", "put"): {"200"} | DETAIL_ERRORS | BODY_ERRORS | WORKSPACE | ROLE,
    ("/api/v1/posts/{id}", "patch"): {"200"} | DETAIL_ERRORS | BODY_ERRORS | WORKSPACE | ROLE,
    ("/api/v1/posts/{id}", "delete"): {"204"} | DETAIL_ERRORS | WORKSPACE | ROLE,
    ("/api/v1/posts/{id}/schedule", "post"): {"200"} | DETAIL_ERRORS | WORKSPACE | ROLE,
    ("/api/v1/posts/{id}/cancel", "post"): {"200"} | DETAIL_ERRORS | WORKSPACE | ROLE,
    ("/api/v1/posts/{id}/reschedule", "post"): {"200"} | DETAIL_ERRORS | BODY_ERRORS | WORKSPACE | ROLE,
    ("/api/v1/posts/{id}/submit", "post"): {"200", "400", "401", "403", "404", "409", "429"} | WORKSPACE,
    ("/api/v1/posts/{id}/approve", "post"): {"200", "400", "401", "403", "404", "409", "429"} | BODY_ERRORS | WORKSPACE,
    ("/api/v1/posts/{id}/reject", "post"): {"200", "400", "401", "403", "404", "409", "429"} | BODY_ERRORS | WORKSPACE,
    ("/api/v1/posts/bulk", "post"): {"201", "400", "401", "429"} | BODY_ERRORS | WORKSPACE | ROLE,
    ("/api/v1/posts/calendar", "get"): {"200", "400", "401", "429"} | WORKSPACE,
}


@pytest.fixture(scope="module")
def schema():
    from drf_spectacular.generators import SchemaGenerator

    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize("path, method", list(EXPECTED))
def test_every_endpoint_is_documented_with_its_errors(schema, path, method):
    operation = schema["paths"][path][method]
    assert operation["summary"]
    assert set(operation["responses"]) == EXPECTED[(path, method)]


def test_shapes(schema):
    paths, components = schema["paths"], schema["components"]["schemas"]
    params = {p["name"] for p in paths["/api/v1/posts"]["get"]["parameters"]}
    assert {"status", "platform", "campaign_id", "social_account_id", "scheduled_from", "scheduled_to", "q"} <= params
    assert {"ordering", "skip", "limit"} <= params
    calendar_params = {p["name"] for p in paths["/api/v1/posts/calendar"]["get"]["parameters"]}
    assert {"start_date", "end_date", "tz", "status", "platform", "campaign_id"} <= calendar_params
    request = components["PostRequest"]
    assert {"social_account_id", "content"} <= set(request["required"])
    assert not {"published_at", "buffer_update_id", "attempts", "last_error"} & set(request["properties"])
    assert "scheduled_time" in components["RescheduleRequest"]["required"]
    # A bulk item is a post, plus `queue` (its account's next free time slot instead of a scheduled_time).
    assert components["PostBulkRequest"]["properties"]["posts"]["items"]["$ref"].endswith("/PostBulkItemRequest")
    item = components["PostBulkItemRequest"]
    assert set(request["properties"]) | {"queue"} == set(item["properties"])
    assert {"date", "total", "counts", "posts"} <= set(components["CalendarDay"]["properties"])
