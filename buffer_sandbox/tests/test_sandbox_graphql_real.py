"""The sandbox's `/graphql` against Buffer's real rules (../shared/reference/buffer-graphql/README.md).

Raw HTTP with documents shaped as real Buffer clients send them (Buffer's CLI, its n8n node): one test
per rule Buffer enforces beyond the schema, and the schema itself is the real file's.
"""

from __future__ import annotations

import pytest
import requests
from graphql import build_schema

from buffer_sandbox import graphql_schema
from buffer_sandbox.testing import profile_id

CREATE = (
    "mutation CreatePost($input: CreatePostInput!) { createPost(input: $input) { __typename"
    " ... on PostActionSuccess { post { id status channelId text assets { type source } } }"
    " ... on MutationError { message } } }"
)
ORGS = "query Orgs { account { organizations { id name channelCount } } }"
CHANNELS = "query Channels($o: OrganizationId!) { channels(input: {organizationId: $o}) { id service organizationId } }"
BEFORE_CUTOFF = "2026-12-14T23:59:00Z"
AFTER_CUTOFF = "2026-12-15T00:00:00Z"
IMAGE = {"image": {"url": "https://img.example/a.png"}}
VIDEO = {"video": {"url": "https://vid.example/a.mp4"}}


def ok(response) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def codes(response) -> list[str]:
    return [e["extensions"]["code"] for e in response.json()["errors"]]


def create(box, key, service, text="Hello", **extra):
    data = {"channelId": profile_id(key, service), "text": text, "schedulingType": "automatic", "mode": "addToQueue"}
    return box.graphql(key, CREATE, {"input": {**data, **extra}})


def created(box, key, service, text="Hello", **extra) -> dict:
    return ok(create(box, key, service, text, **extra))["createPost"]


def orgs(box, key) -> list[dict]:
    return ok(box.graphql(key, ORGS))["account"]["organizations"]


def set_clock(box, when: str) -> None:
    box.call("POST", "clock", json={"now": when})


# -- the schema is Buffer's -------------------------------------------------------------------------


def test_the_served_schema_is_the_real_schema_file(box, key):
    served = ok(box.graphql(key, "query { __schema { types { name } } }"))["__schema"]["types"]
    real = build_schema(graphql_schema.SCHEMA_PATH.read_text())
    assert {t["name"] for t in served} == set(real.type_map)
    fields = ok(box.graphql(key, 'query { __type(name: "CreatePostInput") { inputFields { name } } }'))
    assert {"metadata", "needsApproval", "saveToDraft"} <= {f["name"] for f in fields["__type"]["inputFields"]}


def test_link_asset_leaves_the_schema_on_2026_12_15(box, key):
    query = 'query { __type(name: "AssetInput") { inputFields(includeDeprecated: true) { name isDeprecated } } }'
    set_clock(box, BEFORE_CUTOFF)
    before = ok(box.graphql(key, query))["__type"]["inputFields"]
    assert {"name": "link", "isDeprecated": True} in before
    set_clock(box, AFTER_CUTOFF)
    after = ok(box.graphql(key, query))["__type"]["inputFields"]
    assert [f["name"] for f in after] == ["image", "video", "document"]


# -- links ------------------------------------------------------------------------------------------


def test_link_asset_accepted_before_the_cutoff_and_refused_after(box, key):
    link = [{"link": {"url": "https://example.com/article"}}]
    set_clock(box, BEFORE_CUTOFF)
    assert created(box, key, "twitter", "Old style", assets=link)["__typename"] == "PostActionSuccess"
    set_clock(box, AFTER_CUTOFF)
    refused = create(box, key, "twitter", "Old style again", assets=link)
    assert refused.status_code == 400 and set(codes(refused)) == {"BAD_USER_INPUT"}
    assert "link" in refused.json()["errors"][0]["message"]
    assert box.stats()["creates"] == 1


@pytest.mark.parametrize("service", ["facebook", "linkedin", "threads", "bluesky"])
def test_link_attachment_on_the_four_networks_that_have_it(box, key, service):
    set_clock(box, AFTER_CUTOFF)
    metadata = {service: {"linkAttachment": {"url": "https://example.com/a"}}}
    if service == "facebook":
        metadata["facebook"]["type"] = "post"
    result = created(box, key, service, "Read this https://example.com/a", metadata=metadata)
    assert result["__typename"] == "PostActionSuccess"
    assert box.updates(profile_id(key, service))[0]["media"] == {"link": "https://example.com/a"}


def test_link_attachment_cannot_be_combined_with_assets(box, key):
    metadata = {"linkedin": {"linkAttachment": {"url": "https://example.com/a"}}}
    result = created(box, key, "linkedin", "Both", metadata=metadata, assets=[IMAGE])
    assert result == {
        "__typename": "InvalidInputError",
        "message": "Invalid post: A link attachment can't be combined with other assets.",
    }
    assert box.stats()["creates"] == 0


def test_other_networks_have_no_link_attachment(box, key):
    metadata = {"twitter": {"linkAttachment": {"url": "https://example.com/a"}}}
    refused = create(box, key, "twitter", "Nope", metadata=metadata)
    assert refused.status_code == 400 and codes(refused) == ["BAD_USER_INPUT"]


# -- @oneOf assets -----------------------------------------------------------------------------------


def test_an_asset_sets_exactly_one_kind(box, key):
    both = create(box, key, "twitter", "Two kinds", assets=[{**IMAGE, **VIDEO}])
    assert both.status_code == 400 and codes(both) == ["BAD_USER_INPUT"]
    none = create(box, key, "twitter", "No kind", assets=[{}])
    assert none.status_code == 400
    literal = (
        f'mutation {{ createPost(input: {{channelId: "{profile_id(key)}", text: "Lit", schedulingType: automatic,'
        ' mode: addToQueue, assets: [{image: {url: "https://i/a.png"}, video: {url: "https://v/a.mp4"}}]})'
        " { __typename } }"
    )
    assert codes(box.graphql(key, literal)) == ["GRAPHQL_VALIDATION_FAILED"]
    assert box.stats()["creates"] == 0


# -- per-network metadata ------------------------------------------------------------------------------


def test_instagram_needs_media_and_a_type_with_buffers_own_words(box, key):
    assert created(box, key, "instagram", "Bare") == {
        "__typename": "InvalidInputError",
        "message": "Invalid post: Instagram posts require at least one image or video., "
        "Instagram posts require a type (post, story, or reel).",
    }
    missing_flag = create(box, key, "instagram", "No flag", assets=[IMAGE], metadata={"instagram": {"type": "post"}})
    assert missing_flag.status_code == 400  # shouldShareToFeed: Boolean! in the schema
    metadata = {"instagram": {"type": "post", "shouldShareToFeed": True}}
    assert (
        created(box, key, "instagram", "Good", assets=[IMAGE], metadata=metadata)["__typename"] == "PostActionSuccess"
    )


def test_pinterest_needs_an_image_and_one_of_the_channels_boards(box, key):
    query = (
        "query Boards($id: ChannelId!) { channel(input: {id: $id}) { metadata { __typename"
        " ... on PinterestMetadata { boards { serviceId name } } } } }"
    )
    boards = ok(box.graphql(key, query, {"id": profile_id(key, "pinterest")}))["channel"]["metadata"]["boards"]
    assert [b["name"] for b in boards] == ["Inspiration", "Product Launches"]
    board = boards[1]["serviceId"]
    bare = created(box, key, "pinterest", "Pin")
    assert bare["message"] == (
        "Invalid post: Pinterest posts require an image., Pinterest posts require a board (boardServiceId)."
    )
    wrong = created(box, key, "pinterest", "Pin", assets=[IMAGE], metadata={"pinterest": {"boardServiceId": "42"}})
    assert wrong["message"] == "Invalid post: Pinterest board 42 was not found on this channel."
    good = created(box, key, "pinterest", "Pin", assets=[IMAGE], metadata={"pinterest": {"boardServiceId": board}})
    assert good["__typename"] == "PostActionSuccess"


def test_youtube_needs_a_video_a_title_and_a_category(box, key):
    assert created(box, key, "youtube", "Clip", assets=[IMAGE])["message"] == (
        "Invalid post: YouTube posts require a video., YouTube posts require a title., "
        "YouTube posts require a category (categoryId)."
    )
    long_title = {"youtube": {"title": "t" * 101, "categoryId": "22"}}
    assert created(box, key, "youtube", "Clip", assets=[VIDEO], metadata=long_title)["message"] == (
        "Invalid post: YouTube titles can be at most 100 characters."
    )
    metadata = {"youtube": {"title": "A clip", "categoryId": "22", "privacy": "public"}}
    assert created(box, key, "youtube", "Clip", assets=[VIDEO], metadata=metadata)["__typename"] == "PostActionSuccess"


def test_google_business_needs_a_type(box, key):
    assert created(box, key, "googlebusiness", "News")["message"] == (
        "Invalid post: Google Business Profile posts require a type (whats_new, offer, or event)."
    )
    metadata = {"google": {"type": "whats_new"}}
    assert created(box, key, "googlebusiness", "News", metadata=metadata)["__typename"] == "PostActionSuccess"


def test_tiktok_cannot_be_published_through_the_api(box, key):
    result = created(box, key, "tiktok", "Dance", assets=[VIDEO])
    assert result == {
        "__typename": "InvalidInputError",
        "message": "Invalid post: TikTok posts can't be published through Buffer's API yet.",
    }


def test_plain_text_posts_need_no_metadata(box, key):
    for service in ("twitter", "mastodon", "bluesky", "threads", "linkedin", "facebook"):
        assert created(box, key, service, f"Plain on {service}")["__typename"] == "PostActionSuccess"


# -- organizations -------------------------------------------------------------------------------------


def test_a_key_sees_every_organization_and_their_channels(box):
    key = "multiorg-fixture"
    first, second = orgs(box, key)
    assert second["name"] == "Sandbox Organization 2" and second["channelCount"] == 4
    mine = ok(box.graphql(key, CHANNELS, {"o": second["id"]}))["channels"]
    assert {c["service"] for c in mine} == {"bluesky", "linkedin", "instagram", "pinterest"}
    assert {c["id"] for c in mine} == {
        profile_id(key, f"{s}@1") for s in ("bluesky", "linkedin", "instagram", "pinterest")
    }
    assert all(c["organizationId"] == second["id"] for c in mine)
    assert len(ok(box.graphql(key, CHANNELS, {"o": first["id"]}))["channels"]) == 11
    only = "query O($f: OrganizationFilterInput) { account { organizations(filter: $f) { id } } }"
    one = ok(box.graphql(key, only, {"f": {"organizationId": first["id"]}}))
    assert one["account"]["organizations"] == [{"id": first["id"]}]


def test_posts_are_listed_per_organization(box):
    key = "multiorg-posts"
    first, second = orgs(box, key)
    created(box, key, "bluesky@1", "In the second org")
    created(box, key, "twitter", "In the first org")
    posts = "query P($o: OrganizationId!) { posts(input: {organizationId: $o}) { edges { node { text } } } }"
    texts = [e["node"]["text"] for e in ok(box.graphql(key, posts, {"o": second["id"]}))["posts"]["edges"]]
    assert texts == ["In the second org"]
    texts = [e["node"]["text"] for e in ok(box.graphql(key, posts, {"o": first["id"]}))["posts"]["edges"]]
    assert texts == ["In the first org"]
    assert codes(box.graphql("someone-else", posts, {"o": second["id"]})) == ["FORBIDDEN"]


def test_admin_adds_an_organization_to_any_key(box, key):
    added = box.call("POST", "organizations", json={"token": key, "services": ["bluesky"]})
    assert added["index"] == 1 and added["channels"] == [profile_id(key, "bluesky@1")]
    assert [o["id"] for o in orgs(box, key)][1] == added["id"]
    assert created(box, key, "bluesky@1", "Second org post")["__typename"] == "PostActionSuccess"


# -- UNEXPECTED over HTTP 200 ----------------------------------------------------------------------------


@pytest.mark.parametrize("after_write", [False, True])
def test_unexpected_is_an_http_200_and_may_follow_the_write(box, key, after_write):
    box.faults(unexpected_rate=1.0, unexpected_after_write=after_write)
    answer = create(box, key, "twitter", "Did it land?")
    assert answer.status_code == 200
    assert answer.json() == {
        "data": None,
        "errors": [{"message": "An unexpected error occurred.", "extensions": {"code": "UNEXPECTED"}}],
    }
    assert box.stats()["creates_by_text"] == ({"Did it land?": 1} if after_write else {})
    assert box.graphql(key, ORGS).json()["errors"][0]["extensions"]["code"] == "UNEXPECTED"  # reads too
    box.faults(unexpected_rate=0.0)
    assert len(box.updates(profile_id(key))) == int(after_write)


# -- request budgets ----------------------------------------------------------------------------------


def test_free_plan_daily_window_is_250(box, key):
    box.faults(graphql_rate_limit=100)
    started = box.call("GET", "clock")["now"]
    for _ in range(2):
        assert all(box.graphql(key, ORGS).status_code == 200 for _ in range(100))
        box.call("POST", "clock", json={"advance_seconds": 15 * 60 + 1})
    assert all(box.graphql(key, ORGS).status_code == 200 for _ in range(50))
    limited = box.graphql(key, ORGS)
    assert limited.status_code == 429
    assert limited.json()["errors"][0]["extensions"] == {"code": "RATE_LIMIT_EXCEEDED", "window": "24h"}
    # Until the first request leaves the window; the sandbox clock also runs in real time meanwhile.
    elapsed = box.call("GET", "clock")["now"] - started
    assert 24 * 3600 - elapsed <= int(limited.headers["Retry-After"]) <= 24 * 3600 - 2 * 901
    box.call("POST", "clock", json={"advance_seconds": int(limited.headers["Retry-After"])})
    assert box.graphql(key, ORGS).status_code == 200


def test_team_plan_and_the_30_day_window(box, key):
    box.faults(graphql_rate_limit=100)
    plan = box.call("POST", "tokens/plan", json={"token": key, "plan": "team", "limits": {"30d": 3}})
    assert plan == {"token": key, "plan": "team", "limits": {"15m": 100, "24h": 500, "30d": 3}}
    started = box.call("GET", "clock")["now"]
    for _ in range(3):
        assert box.graphql(key, ORGS).status_code == 200
        box.call("POST", "clock", json={"advance_seconds": 2 * 24 * 3600})
    limited = box.graphql(key, ORGS)
    assert limited.status_code == 429 and limited.json()["errors"][0]["extensions"]["window"] == "30d"
    elapsed = box.call("GET", "clock")["now"] - started
    assert 30 * 24 * 3600 - elapsed <= int(limited.headers["Retry-After"]) <= 24 * 24 * 3600
    essentials = box.call("POST", "tokens/plan", json={"token": "other", "plan": "essentials"})
    assert essentials["limits"] == {"15m": 100, "24h": 250, "30d": 7500}
    gold = requests.post(f"{box.url}/__sandbox/tokens/plan", json={"token": key, "plan": "gold"}, timeout=5)
    assert gold.status_code == 400 and "plan must be one of" in gold.json()["error"]


def test_stats_count_requests_per_token_and_window(box, key):
    box.faults(graphql_rate_limit=100)
    box.call("POST", "tokens/plan", json={"token": key, "plan": "free", "limits": {"24h": 2}})
    statuses = [box.graphql(key, ORGS).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    mine = box.stats()["graphql_tokens"][key]
    assert mine == {
        "plan": "free",
        "enforced": True,
        "limits": {"15m": 100, "24h": 2, "30d": 3000},
        "requests": 3,
        "rate_limited": 1,
        "windows": {"15m": 2, "24h": 2, "30d": 2},
    }
    box.call("POST", "clock", json={"advance_seconds": 16 * 60})
    assert box.stats()["graphql_tokens"][key]["windows"] == {"15m": 0, "24h": 2, "30d": 2}
    box.faults(graphql_rate_limit=0)  # limits off (the test default): still counted
    assert box.graphql(key, ORGS).status_code == 200
    off = box.stats()["graphql_tokens"][key]
    assert off["enforced"] is False and off["windows"] == {"15m": 1, "24h": 3, "30d": 3} and off["requests"] == 4


def test_answers_carry_rate_limit_headers(box, key):
    box.faults(graphql_rate_limit=100)
    answer = box.graphql(key, ORGS)
    assert answer.headers["RateLimit"] == '"15m";r=99;t=900'  # the window with the least room left
    assert answer.headers["RateLimit-Policy"] == '"15m";q=100;w=900, "24h";q=250;w=86400, "30d";q=3000;w=2592000'
    assert answer.headers["X-RateLimit-Limit"] == "100" and answer.headers["X-RateLimit-Remaining"] == "99"


# -- what the API offers now: schedules, metrics, server-side filters -----------------------------------


def test_channels_have_their_posting_schedule(box, key):
    query = "query C($id: ChannelId!) { channel(input: {id: $id}) { postingSchedule { day times paused } } }"
    schedule = ok(box.graphql(key, query, {"id": profile_id(key)}))["channel"]["postingSchedule"]
    assert [s["day"] for s in schedule] == ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
    assert schedule[0] == {"day": "mon", "times": ["09:00", "12:00", "17:00"], "paused": False}


def test_sent_posts_have_metrics_and_pending_ones_none(box, key):
    set_clock(box, "2026-12-01T12:00:00Z")  # far from a midnight, when Buffer refreshes metrics
    post = created(box, key, "twitter", "Measure me")["post"]
    query = (
        "query P($id: PostId!) { post(input: {id: $id}) { status metricsUpdatedAt metrics { type name value unit } } }"
    )
    assert ok(box.graphql(key, query, {"id": post["id"]}))["post"] == {
        "status": "scheduled",
        "metricsUpdatedAt": None,
        "metrics": None,
    }
    box.call("POST", f"updates/{post['id']}/send")
    sent = ok(box.graphql(key, query, {"id": post["id"]}))["post"]
    v1 = box.updates(profile_id(key))[0]["statistics"]
    by_type = {m["type"]: m["value"] for m in sent["metrics"]}
    assert by_type["reach"] == v1["reach"] and by_type["reposts"] == v1["retweets"]
    assert {m["unit"] for m in sent["metrics"]} == {"count", "percentage"}
    assert sent["metricsUpdatedAt"] is None  # Buffer ingests once a day
    box.call("POST", "clock", json={"advance_seconds": 24 * 3600})
    assert ok(box.graphql(key, query, {"id": post["id"]}))["post"]["metricsUpdatedAt"].endswith("T00:00:00.000Z")


def test_posts_filter_by_due_and_created_windows_and_sort(box, key):
    org = orgs(box, key)[0]["id"]
    set_clock(box, "2026-12-01T08:00:00Z")
    ids = []
    for day in (3, 4, 5):
        due = {"mode": "customScheduled", "dueAt": f"2026-12-0{day}T10:00:00Z"}
        ids.append(created(box, key, "twitter", f"Due on the {day}th", **due)["post"]["id"])
        box.call("POST", "clock", json={"advance_seconds": 3600})
    created(box, key, "mastodon", "Other channel")
    query = "query P($input: PostsInput!) { posts(input: $input, first: 10) { edges { node { id } } } }"

    def listed(**input_) -> list[str]:
        data = ok(box.graphql(key, query, {"input": {"organizationId": org, **input_}}))
        return [e["node"]["id"] for e in data["posts"]["edges"]]

    twitter = [profile_id(key)]
    window = {"start": "2026-12-04T00:00:00Z", "end": "2026-12-05T23:59:59Z"}
    assert listed(filter={"channelIds": twitter, "dueAt": window}) == ids[1:]
    created_window = {"start": "2026-12-01T08:30:00Z", "end": "2026-12-01T09:30:00Z"}
    assert listed(filter={"channelIds": twitter, "createdAt": created_window}) == ids[1:2]
    desc = [{"field": "dueAt", "direction": "desc"}]
    assert listed(filter={"channelIds": twitter, "status": ["scheduled"]}, sort=desc) == ids[::-1]
    newest = [{"field": "createdAt", "direction": "desc"}]
    assert listed(filter={"channelIds": twitter}, sort=newest) == ids[::-1]


def test_posts_pages_follow_the_sort(box, key):
    org = orgs(box, key)[0]["id"]
    ids = [created(box, key, "twitter", f"Page {i}")["post"]["id"] for i in range(3)]
    query = (
        "query P($input: PostsInput!, $after: String) { posts(input: $input, first: 2, after: $after)"
        " { edges { node { id } } pageInfo { hasNextPage endCursor } } }"
    )
    input_ = {"organizationId": org, "sort": [{"field": "dueAt", "direction": "desc"}]}
    page = ok(box.graphql(key, query, {"input": input_}))["posts"]
    assert [e["node"]["id"] for e in page["edges"]] == ids[:0:-1] and page["pageInfo"]["hasNextPage"]
    rest = ok(box.graphql(key, query, {"input": input_, "after": page["pageInfo"]["endCursor"]}))["posts"]
    assert [e["node"]["id"] for e in rest["edges"]] == ids[:1] and not rest["pageInfo"]["hasNextPage"]


def test_post_metadata_reads_back_what_was_sent(box, key):
    board = box.graphql(
        key,
        "query B($id: ChannelId!) { channel(input: {id: $id}) { metadata { ... on PinterestMetadata"
        " { boards { serviceId name } } } } }",
        {"id": profile_id(key, "pinterest")},
    ).json()["data"]["channel"]["metadata"]["boards"][0]
    pin = {"pinterest": {"boardServiceId": board["serviceId"], "title": "My pin"}}
    post = created(box, key, "pinterest", "Pinned", assets=[IMAGE], metadata=pin)["post"]
    query = (
        "query P($id: PostId!) { post(input: {id: $id}) { metadata { __typename"
        " ... on PinterestPostMetadata { title board { name } }"
        " ... on YoutubePostMetadata { title privacy category { categoryId title } notifySubscribers } } } }"
    )
    assert ok(box.graphql(key, query, {"id": post["id"]}))["post"]["metadata"] == {
        "__typename": "PinterestPostMetadata",
        "title": "My pin",
        "board": {"name": board["name"]},
    }
    assert box.updates(profile_id(key, "pinterest"))[0]["metadata"] == pin
    clip = {"youtube": {"title": "A clip", "categoryId": "27"}}
    video = created(box, key, "youtube", "Clip", assets=[VIDEO], metadata=clip)["post"]
    edit = (
        "mutation E($input: EditPostInput!) { editPost(input: $input) { __typename ... on MutationError { message } } }"
    )
    too_long = {"id": video["id"], "metadata": {"youtube": {"title": "t" * 101}}}
    assert ok(box.graphql(key, edit, {"input": too_long}))["editPost"] == {
        "__typename": "InvalidInputError",
        "message": "Invalid post: YouTube titles can be at most 100 characters.",
    }
    edited = box.graphql(key, edit, {"input": {"id": video["id"], "metadata": {"youtube": {"privacy": "unlisted"}}}})
    assert ok(edited)["editPost"]["__typename"] == "PostActionSuccess"
    assert ok(box.graphql(key, query, {"id": video["id"]}))["post"]["metadata"] == {
        "__typename": "YoutubePostMetadata",
        "title": "A clip",  # omitted on edit: kept
        "privacy": "unlisted",
        "category": {"categoryId": "27", "title": "Education"},
        "notifySubscribers": True,
    }


def test_aggregated_metrics_and_daily_posting_limits(box, key):
    org = orgs(box, key)[0]["id"]
    set_clock(box, "2026-12-01T08:00:00Z")
    sent = [created(box, key, "twitter", f"Sent {i}", mode="shareNow")["post"]["id"] for i in range(2)]
    created(box, key, "twitter", "Later", mode="customScheduled", dueAt="2026-12-01T18:00:00Z")
    created(box, key, "mastodon", "Toot", mode="shareNow")
    query = (
        "query A($input: AggregatedPostMetricsInput!) { aggregatedPostMetrics(input: $input) {"
        " metrics { type value } metricsUpdatedAt } }"
    )
    window = {"organizationId": org, "startDateTime": "2026-12-01T00:00:00Z", "endDateTime": "2026-12-01T23:59:59Z"}
    only_twitter = ok(box.graphql(key, query, {"input": {**window, "channelIds": [profile_id(key)]}}))
    totals = {m["type"]: m["value"] for m in only_twitter["aggregatedPostMetrics"]["metrics"]}
    stats = [u["statistics"] for u in box.updates(profile_id(key)) if u["id"] in sent]
    assert totals["postCount"] == 2 and totals["reach"] == sum(s["reach"] for s in stats)
    assert totals["reposts"] == sum(s["retweets"] for s in stats)  # one network: its richer metrics too
    mixed = ok(box.graphql(key, query, {"input": window}))["aggregatedPostMetrics"]["metrics"]
    assert {m["type"] for m in mixed} >= {"postCount", "reactions", "comments"} and "reposts" not in {
        m["type"] for m in mixed
    }
    bad = box.graphql(key, query, {"input": {**window, "startDateTime": "yesterday"}})
    assert codes(bad) == ["BAD_USER_INPUT"]
    box.faults(graphql_daily_post_limit=3)
    limits = (
        "query L($input: DailyPostingLimitsInput!) { dailyPostingLimits(input: $input) {"
        " channelId sent scheduled limit isAtLimit } }"
    )
    answer = ok(box.graphql(key, limits, {"input": {"channelIds": [profile_id(key)], "date": "2026-12-01T12:00:00Z"}}))
    assert answer["dailyPostingLimits"] == [
        {"channelId": profile_id(key), "sent": 2, "scheduled": 1, "limit": 3, "isAtLimit": True}
    ]


def test_command_line_sets_the_graphql_knobs():
    from buffer_sandbox.__main__ import build_server

    argv = ["--port", "0", "--state", ":memory:", "--unexpected-rate", "0.25", "--unexpected-after-write"]
    server, _ = build_server([*argv, "--graphql-rate-limit", "0"])
    try:
        faults = server.faults.faults
        assert (faults.unexpected_rate, faults.unexpected_after_write, faults.graphql_rate_limit) == (0.25, True, 0)
    finally:
        server.stop()
    server, _ = build_server(["--port", "0", "--state", ":memory:"])
    try:
        assert server.faults.faults.graphql_rate_limit == 100  # Buffer's windows on by default
    finally:
        server.stop()
