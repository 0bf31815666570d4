"""The OpenAPI schema tells the truth: real answers validate against it, and every error it can give is there.

Answers are validated with jsonschema (brought by Schemathesis), formats included, against the schema
served at /api/schema, the same document the fuzzer (bin/fuzz) reads.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import jsonschema
import pytest

from accounts.tests.factories import SocialAccountFactory
from accounts.workspaces import workspace_personal_for
from posts.tests.factories import PostFactory
from publisher import config_services
from publisher.defaults import ensure_default_posttypes

# jsonschema checks `uri` and `date-time` only with optional packages: check them here, as the fuzzer does.
FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri")
def _is_uri(value) -> bool:
    return not isinstance(value, str) or bool(urlsplit(value).scheme and urlsplit(value).netloc)


@FORMATS.checks("date-time", raises=ValueError)
def _is_datetime(value) -> bool:
    return not isinstance(value, str) or dt.datetime.fromisoformat(value).tzinfo is not None


@pytest.fixture
def schema(client):
    return client.get("/api/schema", HTTP_ACCEPT="application/json").json()


def _validate(schema: dict, path: str, method: str, status: int, body) -> None:
    response = schema["paths"][path][method]["responses"][str(status)]
    target = {**response["content"]["application/json"]["schema"], "components": schema["components"]}
    jsonschema.validate(body, _openapi_to_jsonschema(target), format_checker=FORMATS)


def _openapi_to_jsonschema(node):
    """OpenAPI 3.0's `nullable: true` becomes JSON Schema's "or null"; refs resolve in the copied `components`."""
    if isinstance(node, list):
        return [_openapi_to_jsonschema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _openapi_to_jsonschema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        return {"anyOf": [{key: value for key, value in node.items() if key != "components"}, {"type": "null"}]}
    return node


def test_empty_urls_and_emails_in_answers_match_the_schema(schema, api, owner):
    """Empty `service_link`, `avatar_url` and `email` are real answers: `format: uri/email` alone failed them."""
    owner.email = ""
    owner.save(update_fields=["email"])
    account = SocialAccountFactory(owner=owner, avatar_url="")
    PostFactory(social_account=account, service_link="")

    _validate(schema, "/api/v1/me", "get", 200, api.get("/api/v1/me").json())
    _validate(schema, "/api/v1/social-accounts", "get", 200, api.get("/api/v1/social-accounts").json())
    _validate(schema, "/api/v1/posts", "get", 200, api.get("/api/v1/posts").json())
    # Still a format where a value is given: a malformed email is not schema-valid.
    me = schema["components"]["schemas"]["PatchedMeRequest"]["properties"]["email"]
    assert {"format": "email"} in me["anyOf"]


def test_publisher_configs_answers_match_the_schema(schema, api, owner):
    """`/configs/<kind>` answer arrays (the schema said object), `/configs` an object of arrays."""
    SocialAccountFactory(owner=owner, platform="twitter")
    ensure_default_posttypes(workspace=workspace_personal_for(owner))
    config_services.channel_create(workspace=workspace_personal_for(owner), actor=owner, name="Marketing")

    for kind in ("channels", "posttypes", "networktargets"):
        body = api.get(f"/api/v1/publisher/configs/{kind}").json()
        assert isinstance(body, list) and body
        _validate(schema, f"/api/v1/publisher/configs/{kind}", "get", 200, body)
    _validate(schema, "/api/v1/publisher/configs", "get", 200, api.get("/api/v1/publisher/configs").json())


def test_publisher_post_answers_match_the_schema(schema, api, owner):
    twitter = SocialAccountFactory(owner=owner, platform="twitter")
    body = {"networktargets": [f"nt_{twitter.pk}"], "payload": {"message": "Hello"}}
    created = api.post("/api/v1/publisher/posts", body, format="json")
    assert created.status_code == 201
    _validate(schema, "/api/v1/publisher/posts", "post", 201, created.json())
    post_id = created.json()["postId"]
    _validate(schema, "/api/v1/publisher/posts", "get", 200, api.get("/api/v1/publisher/posts").json())
    detail = api.get(f"/api/v1/publisher/posts/{post_id}").json()
    _validate(schema, "/api/v1/publisher/posts/{post_id}", "get", 200, detail)
    callbacks = api.get(f"/api/v1/publisher/posts/{post_id}/callbacks").json()
    _validate(schema, "/api/v1/publisher/posts/{post_id}/callbacks", "get", 200, callbacks)


def test_publisher_post_request_is_the_seeds_schema_with_its_real_bounds(schema):
    request = schema["paths"]["/api/v1/publisher/posts"]["post"]["requestBody"]["content"]["application/json"]
    body = request["schema"]
    assert body["additionalProperties"] is False and body["required"] == ["payload"]
    link = body["properties"]["contentSourceLink"]
    # The API refuses "" and non-http(s) URLs: the schema says so instead of a bare `format: uri`.
    assert link["minLength"] == 1 and link["pattern"].startswith("^") and link["format"] == "uri"
    assert body["properties"]["failOn"]["enum"] == ["warning", "error"]


@pytest.mark.parametrize(
    ("path", "method", "codes"),
    [
        ("/api/v1/me", "get", {"401", "429"}),
        ("/api/v1/me", "patch", {"400", "401", "413", "415", "429"}),
        ("/api/v1/auth/token", "post", {"400", "401", "415", "429"}),
        ("/api/v1/posts/{id}/attempts", "get", {"400", "401", "404", "429"}),  # skip/limit are read
        ("/api/v1/publisher/channels/{id}", "delete", {"401", "404", "429"}),
        ("/api/v1/publisher/posts/{post_id}", "delete", {"401", "404", "409", "429"}),
        ("/api/v1/publisher/webhook-secret", "post", {"401", "429"}),
        ("/api/v1/posts/{id}/schedule", "post", {"401", "404", "409", "429", "503"}),
    ],
)
def test_error_answers_are_documented_with_the_shared_error_body(schema, path, method, codes):
    responses = schema["paths"][path][method]["responses"]
    assert codes <= responses.keys()
    for code in codes:
        assert responses[code]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_every_error_answer_has_a_body_and_public_operations_no_401(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for code, response in operation["responses"].items():
                if code[0] in "45":
                    assert "content" in response, f"{method.upper()} {path} {code}"
    health = schema["paths"]["/api/v1/health"]["get"]["responses"]
    assert "401" not in health and "429" not in health
    assert health["503"]["content"] == health["200"]["content"], "an unhealthy report has the same body"
    assert set(schema["components"]["schemas"]["Error"]["required"]) == {"detail"}


def test_validation_error_answer_matches_the_error_component(schema, api):
    response = api.post("/api/v1/campaigns", {}, format="json")
    assert response.status_code == 400
    _validate(schema, "/api/v1/campaigns", "post", 400, response.json())
    assert response.json()["errors"]["name"]


def test_creates_link_to_the_operations_on_what_they_created(schema):
    links = schema["paths"]["/api/v1/posts"]["post"]["responses"]["201"]["links"]
    by_operation = {link["operationId"]: link["parameters"] for link in links.values()}
    for operation in ("posts_retrieve", "posts_update", "posts_partial_update", "posts_destroy", "posts_cancel_create"):
        assert by_operation[operation] == {"id": "$response.body#/id"}
    publisher = schema["paths"]["/api/v1/publisher/posts"]["post"]["responses"]["201"]["links"]
    assert {link["parameters"]["post_id"] for link in publisher.values()} == {"$response.body#/postId"}


@pytest.mark.parametrize("path", ["/api/v1/buffer/config/{id}", "/api/v1/posts/{id}", "/api/v1/me"])
def test_put_bodies_are_partial_like_the_api(schema, path):
    """PUT keeps what it omits, so nothing in its body is required (it said `access_token` was)."""
    ref = schema["paths"][path]["put"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]
    assert "required" not in component
    assert not schema["paths"][path]["put"]["requestBody"].get("required")


def test_put_without_the_required_fields_of_a_create_is_accepted(api, owner):
    from buffer_integration.tests.factories import BufferConfigFactory

    config = BufferConfigFactory(owner=owner)
    assert api.put(f"/api/v1/buffer/config/{config.pk}", {"is_active": True}, format="json").status_code == 200
