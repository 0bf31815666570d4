"""The sandbox's `/graphql`: Buffer's GraphQL API over the same state, faults and limits as `/1/`.

Raw HTTP, no client library in between, so these pin the wire contract the GraphQL backend reads.
"""

from __future__ import annotations

import requests

from buffer_sandbox.server import SandboxServer
from buffer_sandbox.testing import profile_id

ORG = "query { account { organizations { id } } }"
CREATE = (
    "mutation($i: CreatePostInput!) { createPost(input: $i) { __typename"
    " ... on PostActionSuccess { post { id status channelId dueAt isCustomScheduled } }"
    " ... on MutationError { message } } }"
)
PAGE = (
    "query($o: OrganizationId!, $after: String) { posts(first: 2, after: $after, input: {organizationId: $o,"
    " filter: {status: [scheduled]}}) { edges { cursor node { id } }"
    " pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"
)


def org_of(box, key) -> str:
    return box.graphql(key, ORG).json()["data"]["account"]["organizations"][0]["id"]


def create(box, key, text, **extra) -> dict:
    data = {"channelId": profile_id(key), "text": text, "schedulingType": "automatic", "mode": "addToQueue"}
    return box.graphql(key, CREATE, {"i": {**data, **extra}}).json()["data"]["createPost"]


def codes(response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json()["errors"]]


def test_authentication_is_bearer_only(box, key):
    missing = box.graphql(None, ORG)
    assert missing.status_code == 401 and codes(missing) == ["UNAUTHORIZED"]
    assert missing.headers["WWW-Authenticate"].startswith("Bearer")
    assert box.graphql("invalid-key", ORG).status_code == 401
    in_query = requests.post(f"{box.url}/graphql?access_token={key}", json={"query": ORG}, timeout=5)
    assert in_query.status_code == 401
    assert requests.get(f"{box.url}/graphql", headers={"Authorization": f"Bearer {key}"}, timeout=5).status_code == 405


def test_documents_are_parsed_and_validated_by_graphql_core(box, key):
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    not_json = requests.post(f"{box.url}/graphql", data=b"{nope", headers=headers, timeout=5)
    assert not_json.status_code == 400
    assert codes(box.graphql(key, "query { account { id }")) == ["GRAPHQL_PARSE_FAILED"]
    unknown = box.graphql(key, "query { account { id password } }")
    assert unknown.status_code == 400 and codes(unknown) == ["GRAPHQL_VALIDATION_FAILED"]
    assert "password" in unknown.json()["errors"][0]["message"]
    # Buffer's id scalars: an `ID!` variable where a ChannelId! goes fails, as at Buffer.
    wrong_type = box.graphql(key, "query($id: ID!) { channel(input: {id: $id}) { id } }", {"id": "x"})
    assert codes(wrong_type) == ["GRAPHQL_VALIDATION_FAILED"]
    partial = CREATE.replace(" ... on MutationError { message }", "").replace("__typename", "")
    draft = {"channelId": profile_id(key), "text": "Partial", "schedulingType": "automatic", "mode": "addToQueue"}
    assert box.graphql(key, partial, {"i": draft}).status_code == 200  # unions may be partially selected
    missing_variable = box.graphql(key, partial)
    assert missing_variable.status_code == 400 and codes(missing_variable) == ["BAD_USER_INPUT"]


def test_mutation_results_are_typed_unions(box, key):
    created = create(box, key, "Hello union")
    assert created["__typename"] == "PostActionSuccess" and created["post"]["status"] == "scheduled"
    assert create(box, key, "Hello union")["__typename"] == "InvalidInputError"  # duplicate
    no_due = create(box, key, "Custom", mode="customScheduled")
    assert no_due == {"__typename": "InvalidInputError", "message": "dueAt is required when mode is customScheduled."}
    assert create(box, key, "Lost", channelId="0" * 24) == {
        "__typename": "NotFoundError",
        "message": "Channel not found.",
    }
    delete = "mutation($id: PostId!) { deletePost(input: {id: $id}) { __typename ... on DeletePostSuccess { id } } }"
    pid = created["post"]["id"]
    assert box.graphql(key, delete, {"id": pid}).json()["data"]["deletePost"] == {
        "__typename": "DeletePostSuccess",
        "id": pid,
    }
    # DeletePostPayload = DeletePostSuccess | VoidMutationError: no NotFoundError there (README rule 4).
    assert box.graphql(key, delete, {"id": pid}).json()["data"]["deletePost"]["__typename"] == "VoidMutationError"
    void = delete.replace("__typename", "__typename ... on VoidMutationError { message }")
    assert box.graphql(key, void, {"id": pid}).json()["data"]["deletePost"]["message"] == "Post not found."
    not_found_fragment = delete.replace("__typename", "__typename ... on NotFoundError { message }")
    assert codes(box.graphql(key, not_found_fragment, {"id": pid})) == ["GRAPHQL_VALIDATION_FAILED"]


def test_queries_fail_in_errors_with_codes(box, key):
    missing = box.graphql(key, 'query { post(input: {id: "000000000000000000000000"}) { id } }')
    assert missing.status_code == 200 and codes(missing) == ["NOT_FOUND"]
    assert missing.json()["data"] is None  # `post: Post!` is non-null: the error nulls the whole answer
    other_org = box.graphql(key, 'query { channels(input: {organizationId: "0"}) { id } }')
    assert codes(other_org) == ["FORBIDDEN"]


def test_posts_pages_by_cursor_and_survive_deletions(box, key):
    org = org_of(box, key)
    ids = [create(box, key, f"Paged {i}")["post"]["id"] for i in range(5)]
    first = box.graphql(key, PAGE, {"o": org}).json()["data"]["posts"]
    assert [e["node"]["id"] for e in first["edges"]] == ids[:2]
    info = first["pageInfo"]
    assert info["hasNextPage"] and not info["hasPreviousPage"] and info["endCursor"] == first["edges"][1]["cursor"]
    box.graphql(key, "mutation($id: PostId!) { deletePost(input: {id: $id}) { __typename } }", {"id": ids[1]})
    second = box.graphql(key, PAGE, {"o": org, "after": info["endCursor"]}).json()["data"]["posts"]
    assert [e["node"]["id"] for e in second["edges"]] == ids[2:4]  # nothing skipped or repeated
    last = box.graphql(key, PAGE, {"o": org, "after": second["pageInfo"]["endCursor"]}).json()["data"]["posts"]
    assert [e["node"]["id"] for e in last["edges"]] == ids[4:] and not last["pageInfo"]["hasNextPage"]
    assert codes(box.graphql(key, PAGE, {"o": org, "after": "bogus"})) == ["BAD_USER_INPUT"]


def test_one_state_with_v1(box, key):
    post = create(box, key, "Seen by v1")["post"]
    v1 = requests.get(
        f"{box.url}/1/profiles/{profile_id(key)}/updates/pending.json",
        headers={"Authorization": f"Bearer {key}"},
        timeout=5,
    ).json()
    assert [u["id"] for u in v1["updates"]] == [post["id"]]
    assert box.stats()["creates_by_profile"] == {profile_id(key): 1}
    sent = box.call("POST", f"updates/{post['id']}/send")
    assert sent["status"] == "sent"
    query = f'query {{ post(input: {{id: "{post["id"]}"}}) {{ status sentAt externalLink }} }}'
    assert box.graphql(key, query).json()["data"]["post"]["status"] == "sent"


def test_faults_apply_to_graphql(box, key):
    box.faults(down=True)
    down = box.graphql(key, ORG)
    assert down.status_code == 503 and codes(down) == ["SERVICE_UNAVAILABLE"]
    box.faults(down=False, rate_limit_rate=1.0)
    limited = box.graphql(key, ORG)
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    box.faults(rate_limit_rate=0.0, error_rate=1.0, error_after_write=True)
    lost = box.graphql(
        key,
        CREATE,
        {"i": {"channelId": profile_id(key), "text": "Landed", "schedulingType": "automatic", "mode": "shareNow"}},
    )
    assert lost.status_code == 500 and codes(lost) == ["INTERNAL_SERVER_ERROR"]
    assert box.stats()["creates_by_text"] == {"Landed": 1}  # the write landed, the answer was lost


def test_per_client_limit_is_100_per_15_minutes(box, key):
    box.faults(graphql_rate_limit=100)
    assert all(box.graphql(key, ORG).status_code == 200 for _ in range(100))
    limited = box.graphql(key, ORG)
    assert limited.status_code == 429
    error = limited.json()["errors"][0]
    assert error["message"] == "Too many requests from this client. Please try again later."
    assert error["extensions"] == {"code": "RATE_LIMIT_EXCEEDED", "window": "15m"}  # the wait is in the header only
    assert 890 <= int(limited.headers["Retry-After"]) <= 900
    assert limited.headers["X-RateLimit-Limit"] == "100" and limited.headers["X-RateLimit-Remaining"] == "0"
    assert box.graphql(f"{key}-other", ORG).status_code == 200  # per client
    box.call("POST", "clock", json={"advance_seconds": 901})
    assert box.graphql(key, ORG).status_code == 200


def test_limit_defaults_follow_the_v1_knob():
    limited, unlimited = SandboxServer(rate_limit_per_minute=60), SandboxServer(rate_limit_per_minute=0)
    try:
        assert limited.faults.faults.graphql_rate_limit == 100 and unlimited.faults.faults.graphql_rate_limit == 0
    finally:
        limited.stop()
        unlimited.stop()
