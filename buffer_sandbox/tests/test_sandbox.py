"""The Buffer sandbox over real HTTP: v1 contract, admin API, faults, persistence.

No Django database is touched, so this runs with or without pytest-django. Time-dependent behaviour
is driven through the sandbox clock (`/__sandbox/clock`), never by sleeping.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from buffer_sandbox.config import raw_configuration
from buffer_sandbox.forms import parse_bool, parse_params
from buffer_sandbox.server import SandboxServer

# Monday 7 January 2030, 08:00 UTC: the default schedule's next slots are 09:00, 12:00, 17:00.
MONDAY_8AM = int(datetime(2030, 1, 7, 8, 0, tzinfo=UTC).timestamp())
HOUR = 3600


@pytest.fixture(scope="module")
def server():
    server = SandboxServer(port=0, state_path=":memory:")
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _clean(server):
    requests.post(server.url + "/__sandbox/reset", timeout=5).raise_for_status()


class Api:
    """A tiny v1 client: token in the query string unless a test says otherwise."""

    def __init__(self, base: str, token: str = "tok-alice"):
        self.base, self.token = base, token

    def get(self, path: str, **params) -> requests.Response:
        return requests.get(f"{self.base}/1/{path}", params={"access_token": self.token, **params}, timeout=5)

    def post(self, path: str, data=None) -> requests.Response:
        return requests.post(f"{self.base}/1/{path}", params={"access_token": self.token}, data=data or {}, timeout=5)

    def profile(self, service: str = "twitter") -> str:
        return next(p["id"] for p in self.get("profiles.json").json() if p["service"] == service)

    def create(self, profile_id: str, text: str, **extra) -> requests.Response:
        return self.post("updates/create.json", {"profile_ids[]": [profile_id], "text": text, **extra})


class Admin:
    def __init__(self, base: str):
        self.base = base + "/__sandbox"

    def __getattr__(self, method: str):
        def call(path: str, **kwargs) -> requests.Response:
            return requests.request(method.upper(), f"{self.base}/{path}", timeout=5, **kwargs)

        return call

    def clock_at(self, when: int) -> None:
        """Place the sandbox clock at `when` (unix); it keeps ticking in real time from there."""
        self.post("clock", json={"offset_seconds": when - int(time.time())}).raise_for_status()

    def advance(self, seconds: int) -> None:
        self.post("clock", json={"advance_seconds": seconds}).raise_for_status()

    def faults(self, **changes) -> dict:
        response = self.put("faults", json=changes)
        response.raise_for_status()
        return response.json()


@pytest.fixture
def v1(server) -> Api:
    return Api(server.url)


@pytest.fixture
def admin(server) -> Admin:
    admin = Admin(server.url)
    admin.clock_at(MONDAY_8AM)
    return admin


def error(response: requests.Response) -> tuple[int, int]:
    return response.status_code, response.json()["code"]


# -- parsing ------------------------------------------------------------------------------------


def test_php_bracket_parsing():
    assert parse_params("a[]=1&a[]=2") == {"a": ["1", "2"]}
    assert parse_params("a[1]=y&a[0]=x") == {"a": ["x", "y"]}
    assert parse_params("media[link]=http%3A%2F%2Fx.io&media[title]=T") == {
        "media": {"link": "http://x.io", "title": "T"}
    }
    assert parse_params(
        "schedules[0][days][]=mon&schedules[0][days][]=tue&schedules[0][times][]=12:45&schedules[1][days][]=sun"
    ) == {"schedules": [{"days": ["mon", "tue"], "times": ["12:45"]}, {"days": ["sun"]}]}
    assert parse_params("x=1&x=2&odd[=3") == {"x": "2", "odd[": "3"}
    assert [parse_bool(v) for v in ("true", "1", "True", "false", "0", "False", None)] == [True] * 3 + [False] * 4


# -- auth ---------------------------------------------------------------------------------------


def test_token_in_query_body_or_bearer_header(server, v1):
    assert v1.get("user.json").status_code == 200
    pid = v1.profile()
    body_only = requests.post(
        f"{server.url}/1/updates/create.json",
        data={"access_token": v1.token, "profile_ids[]": pid, "text": "from the body"},
        timeout=5,
    )
    assert body_only.status_code == 200
    bearer = requests.get(f"{server.url}/1/user.json", headers={"Authorization": f"Bearer {v1.token}"}, timeout=5)
    assert bearer.status_code == 200
    assert bearer.json()["id"] == hashlib.sha256(v1.token.encode()).hexdigest()[:24]


@pytest.mark.parametrize("token", [None, "invalid-token"])
def test_missing_or_invalid_token_is_401_with_empty_body(server, token):
    params = {"access_token": token} if token else {}
    response = requests.get(f"{server.url}/1/profiles.json", params=params, timeout=5)
    assert response.status_code == 401
    assert response.content == b""
    assert response.headers["WWW-Authenticate"].startswith("OAuth realm='Service', error='invalid_request'")


def test_conflicting_tokens_are_rejected(server):
    response = requests.get(
        f"{server.url}/1/user.json", params={"access_token": "a"}, headers={"Authorization": "Bearer b"}, timeout=5
    )
    assert response.status_code == 401


def test_revoked_tokens_are_rejected(server, v1, admin):
    assert admin.post("tokens/revoke", json={"token": v1.token}).json() == {"success": True}
    assert v1.get("user.json").status_code == 401
    other = Api(server.url, "tok-bob")
    assert other.post("user/deauthorize.json").json() == {"success": True, "message": "Access successfully revoked!"}
    assert other.get("profiles.json").status_code == 401


# -- user, profiles, schedules ------------------------------------------------------------------


def test_new_token_gets_deterministic_account(v1):
    user = v1.get("user.json").json()
    assert user["plan"] == "free" and user["timezone"] == "UTC" and user["_id"] == user["id"]
    profiles = v1.get("profiles.json").json()
    services = [p["service"] for p in profiles]
    assert services == [
        "twitter",
        "facebook",
        "instagram",
        "linkedin",
        "mastodon",
        "bluesky",
        "threads",
        "pinterest",
        "tiktok",
        "youtube",
        "googlebusiness",
    ]
    for p in profiles:
        assert p["id"] == hashlib.sha256(f"{v1.token}:{p['service']}".encode()).hexdigest()[:24]
        assert p["formatted_username"] == f"@sandbox_{p['service']}" and p["timezone"] == "UTC"
        assert p["schedules"] == [
            {"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "times": ["09:00", "12:00", "17:00"]}
        ]
        assert p["disconnected"] is None and p["user_id"] == user["id"] and p["avatar_https"].startswith("https://")
    assert profiles[1]["service_type"] == "page"
    assert v1.get("profiles.json").json() == profiles  # stable
    single = v1.get(f"profiles/{profiles[0]['id']}.json").json()
    assert single["statistics"] == profiles[0]["statistics"]


def test_schedules_read_and_update_with_brackets(v1, admin):
    pid = v1.profile()
    queued = v1.create(pid, "first").json()["updates"][0]
    assert queued["due_at"] == MONDAY_8AM + HOUR
    response = v1.post(
        f"profiles/{pid}/schedules/update.json",
        {
            "schedules[0][days][]": ["tue", "thu"],
            "schedules[0][times][]": ["12:45", "15:30"],
        },
    )
    assert response.json() == {"success": True}
    assert v1.get(f"profiles/{pid}/schedules.json").json() == [{"days": ["tue", "thu"], "times": ["12:45", "15:30"]}]
    # The queue moves to the new slots: Tuesday 12:45.
    assert v1.get(f"updates/{queued['id']}.json").json()["due_at"] == MONDAY_8AM + 28 * HOUR + 45 * 60
    assert error(v1.post(f"profiles/{pid}/schedules/update.json", {})) == (400, 1004)
    bad = v1.post(f"profiles/{pid}/schedules/update.json", {"schedules[0][days][]": "someday"})
    assert error(bad) == (400, 1006)


def test_profiles_of_other_tokens_are_forbidden(server, v1):
    bob = Api(server.url, "tok-bob")
    bobs = bob.profile()
    assert error(v1.get(f"profiles/{bobs}.json")) == (403, 1011)
    assert error(v1.get(f"profiles/{bobs}/updates/pending.json")) == (403, 1011)
    assert error(v1.get("profiles/0123456789abcdef01234567.json")) == (404, 1010)
    update = bob.create(bobs, "bob's").json()["updates"][0]["id"]
    assert error(v1.get(f"updates/{update}.json")) == (403, 1021)
    assert error(v1.post(f"updates/{update}/destroy.json")) == (403, 1021)
    assert error(v1.get("updates/0123456789abcdef01234567.json")) == (404, 1020)
    # Foreign profile ids in create are silently ignored; with none valid left → 1004.
    assert error(v1.create(bobs, "nope")) == (400, 1004)


# -- create -------------------------------------------------------------------------------------


def test_create_queues_into_the_next_slots_and_top_goes_first(v1, admin):
    pid = v1.profile()
    body = v1.create(pid, "one").json()
    assert body["success"] is True and body["buffer_count"] == 1 and body["buffer_percentage"] == 10
    assert body["message"]
    one = body["updates"][0]
    assert one["status"] == "buffer" and one["_id"] == one["id"] and re.fullmatch(r"[0-9a-f]{24}", one["id"])
    assert one["due_at"] == MONDAY_8AM + HOUR and one["day"] == "Today" and one["due_time"] == "9:00 am"
    assert one["profile_service"] == "twitter" and one["via"] == "api" and one["shared_now"] is False
    assert "sent_at" not in one and "statistics" not in one
    two = v1.create(pid, "two").json()["updates"][0]
    assert two["due_at"] == MONDAY_8AM + 4 * HOUR
    top = v1.create(pid, "urgent", top="true").json()["updates"][0]
    assert top["due_at"] == MONDAY_8AM + HOUR
    pending = v1.get(f"profiles/{pid}/updates/pending.json").json()
    assert [u["text"] for u in pending["updates"]] == ["urgent", "one", "two"]
    assert [u["due_time"] for u in pending["updates"]] == ["9:00 am", "12:00 pm", "5:00 pm"]


def test_create_with_several_profiles_and_invalid_ids_ignored(v1, admin):
    twitter, facebook = v1.profile("twitter"), v1.profile("facebook")
    body = v1.post(
        "updates/create.json",
        {
            "profile_ids[0]": twitter,
            "profile_ids[1]": "not-a-profile",
            "profile_ids[2]": facebook,
            "text": "both",
        },
    ).json()
    assert [u["profile_service"] for u in body["updates"]] == ["twitter", "facebook"]
    assert error(v1.post("updates/create.json", {"profile_ids[]": "ffffffffffffffffffffffff", "text": "x"})) == (
        400,
        1004,
    )
    assert error(v1.post("updates/create.json", {"text": "no profiles"})) == (400, 1004)


def test_create_now_is_sent_immediately(v1, admin):
    update = v1.create(v1.profile(), "right away", now="1").json()["updates"][0]
    assert update["status"] == "sent" and update["shared_now"] is True
    assert abs(update["sent_at"] - MONDAY_8AM) < 5
    assert re.fullmatch(r"https://twitter\.com/sandbox_twitter/status/\d+", update["service_link"])
    assert update["service_link"].endswith(update["service_update_id"])
    assert set(update["statistics"]) == {"reach", "clicks", "retweets", "favorites", "mentions"}
    fb = v1.create(v1.profile("facebook"), "fb now", now="True").json()["updates"][0]
    assert set(fb["statistics"]) == {"reach", "clicks", "likes", "comments", "shares"}
    assert fb["service_link"].startswith("https://www.facebook.com/")


def test_create_scheduled_at_unix_and_iso(v1, admin):
    pid = v1.profile()
    at_unix = v1.create(pid, "unix", scheduled_at=str(MONDAY_8AM + 2 * HOUR), now="true").json()["updates"][0]
    assert at_unix["status"] == "buffer" and at_unix["due_at"] == MONDAY_8AM + 2 * HOUR
    naive = v1.create(pid, "iso naive", scheduled_at="2030-01-07T10:30:00").json()["updates"][0]
    assert naive["due_at"] == MONDAY_8AM + 2 * HOUR + 1800
    offset = v1.create(pid, "iso offset", scheduled_at="2030-01-07T12:30:00+02:00").json()["updates"][0]
    assert offset["due_at"] == naive["due_at"]
    zulu = v1.create(pid, "iso zulu", scheduled_at="2030-01-07T10:30:00Z").json()["updates"][0]
    assert zulu["due_at"] == naive["due_at"]
    past = v1.create(pid, "too late", scheduled_at=str(MONDAY_8AM - HOUR))
    assert error(past) == (400, 1034) and past.json()["message"] == "Cannot schedule updates in the past."
    assert error(v1.create(pid, "garbage", scheduled_at="next tuesday")) == (400, 1006)
    # Custom-scheduled updates cannot be moved to the top (1027).
    assert error(v1.post(f"updates/{zulu['id']}/move_to_top.json")) == (400, 1027)


def test_duplicates_are_refused_while_pending_and_for_24h_after_sending(v1, admin):
    pid = v1.profile()
    v1.create(pid, "same text").raise_for_status()
    duplicate = v1.create(pid, "same text")
    assert error(duplicate) == (400, 1025) and "posted that one recently" in duplicate.json()["message"]
    assert v1.create(v1.profile("facebook"), "same text").status_code == 200  # other profile is fine
    admin.advance(2 * HOUR)  # the 09:00 slot passes: it is sent now
    assert error(v1.create(pid, "same text")) == (400, 1025)
    admin.advance(24 * HOUR)
    assert v1.create(pid, "same text").status_code == 200


def test_text_over_the_character_limit(v1, admin):
    twitter = v1.profile()
    too_long = v1.create(twitter, "x" * 281)
    assert error(too_long) == (400, 1022) and "280" in too_long.json()["message"]
    assert v1.create(twitter, "x" * 280).status_code == 200
    # Twitter counts every URL as 23 characters, however long.
    url = "https://example.com/" + "a" * 200
    assert v1.create(twitter, "y" * 250 + " " + url).status_code == 200
    bluesky = v1.profile("bluesky")
    assert error(v1.create(bluesky, "z" * 301)) == (400, 1022)
    # The product's own counting rule (buffer_integration.counting), not a rougher one of the sandbox's.
    assert error(v1.create(twitter, "你" * 141)) == (400, 1022)  # CJK weighs 2 on X: 282
    assert v1.create(twitter, "你" * 140).status_code == 200
    assert v1.create(bluesky, "🇩🇪" * 300).status_code == 200  # 300 graphemes, 600 code points
    mastodon = v1.profile("mastodon")
    assert v1.create(mastodon, "m" * 470 + " " + url).status_code == 200  # a link counts 23 there too
    # One failing profile refuses the whole request.
    failed = v1.post("updates/create.json", {"profile_ids[]": [v1.profile("facebook"), bluesky], "text": "w" * 400})
    assert error(failed) == (400, 1022)
    assert v1.get(f"profiles/{v1.profile('facebook')}/updates/pending.json").json()["total"] == 0


def test_media_is_stored_and_photo_comes_back_as_picture(v1, admin):
    photo = v1.create(v1.profile("instagram"), "pic", **{"media[photo]": "https://img.example/a.jpg"}).json()
    media = photo["updates"][0]["media"]
    assert media == {"picture": "https://img.example/a.jpg", "thumbnail": "https://img.example/a.jpg"}
    assert photo["updates"][0]["type"] == "photo"
    link = v1.create(v1.profile("linkedin"), "read", **{"media[link]": "https://x.example", "media[title]": "X"})
    assert link.json()["updates"][0]["media"] == {"link": "https://x.example", "title": "X"}
    video = v1.create(v1.profile("tiktok"), "", **{"media[video]": "https://v.example/a.mp4"}).json()
    assert video["updates"][0]["type"] == "video"


# -- lists and lazy sending ---------------------------------------------------------------------


def test_pending_and_sent_lists_page_and_validate(v1, admin):
    pid = v1.profile()
    for i in range(5):
        v1.create(pid, f"post {i}").raise_for_status()
    page = v1.get(f"profiles/{pid}/updates/pending.json", page=2, count=2).json()
    assert page["total"] == 5 and [u["text"] for u in page["updates"]] == ["post 2", "post 3"]
    assert v1.get(f"profiles/{pid}/updates/pending.json", page=3, count=2).json()["updates"][0]["text"] == "post 4"
    for bad in ({"count": 0}, {"count": 101}, {"count": "x"}, {"page": 0}):
        assert error(v1.get(f"profiles/{pid}/updates/pending.json", **bad)) == (400, 1006)
    assert v1.get(f"profiles/{pid}/updates/sent.json").json() == {"total": 0, "updates": []}
    future = MONDAY_8AM + 10 * HOUR
    assert v1.get(f"profiles/{pid}/updates/pending.json", since=future).json()["total"] == 0


def test_due_updates_are_sent_lazily_when_the_clock_moves(v1, admin):
    pid = v1.profile()
    first, second, third = (v1.create(pid, t).json()["updates"][0] for t in ("a", "b", "c"))
    admin.advance(5 * HOUR)  # now 13:00: the 09:00 and 12:00 slots have passed
    sent = v1.get(f"profiles/{pid}/updates/sent.json").json()
    assert [u["id"] for u in sent["updates"]] == [second["id"], first["id"]]  # newest first
    assert [u["sent_at"] for u in sent["updates"]] == [second["due_at"], first["due_at"]]
    assert all(u["status"] == "sent" and "reach" in u["statistics"] for u in sent["updates"])
    assert v1.get(f"profiles/{pid}/updates/pending.json").json()["updates"][0]["id"] == third["id"]
    since = v1.get(f"profiles/{pid}/updates/sent.json", since=first["due_at"]).json()
    assert [u["id"] for u in since["updates"]] == [second["id"]]
    # Statistics and seeded comments are deterministic: the same on every read.
    again = v1.get(f"updates/{first['id']}.json").json()
    assert again["statistics"] == sent["updates"][1]["statistics"]
    profile = v1.get(f"profiles/{pid}.json").json()
    assert profile["counts"]["sent"] == 2 and profile["counts"]["pending"] == 1


def test_seeded_comments_on_sent_updates(v1, admin):
    pid = v1.profile("facebook")
    updates = [v1.create(pid, f"post {i}", now="true").json()["updates"][0] for i in range(8)]
    counts = []
    for update in updates:
        body = v1.get(f"updates/{update['id']}/interactions.json", event="comment").json()
        assert body == v1.get(f"updates/{update['id']}/interactions.json", event="comments").json()
        assert body["total"] == len(body["interactions"]) == update["statistics"]["comments"]
        for item in body["interactions"]:
            assert item["event"] == "comment" and item["_id"] == item["id"] and item["text"]
            assert set(item["user"]) == {"username", "name", "avatar", "avatar_https", "profile_url"}
            assert item["created_at"] >= update["sent_at"] and item["updated_at"] >= item["created_at"]
        counts.append(body["total"])
    assert all(0 <= n <= 3 for n in counts) and len(set(counts)) > 1
    assert v1.get(f"updates/{updates[0]['id']}/interactions.json", event="like").status_code == 200


def test_interactions_event_validation(v1, admin):
    pin = v1.create(v1.profile("pinterest"), "pin", now="true").json()["updates"][0]
    assert error(v1.get(f"updates/{pin['id']}/interactions.json")) == (400, 1004)
    assert error(v1.get(f"updates/{pin['id']}/interactions.json", event="comment")) == (400, 1029)
    tweet = v1.create(v1.profile(), "tweet", now="true").json()["updates"][0]
    assert error(v1.get(f"updates/{tweet['id']}/interactions.json", event="like")) == (400, 1029)
    retweets = v1.get(f"updates/{tweet['id']}/interactions.json", event="retweets").json()
    assert retweets["total"] == len(retweets["interactions"])
    assert all(i["event"] == "retweet" for i in retweets["interactions"])
    assert error(v1.get(f"updates/{tweet['id']}/interactions.json", event="comment", count=0)) == (400, 1006)


# -- update operations --------------------------------------------------------------------------


def test_edit_share_destroy_move_to_top(v1, admin):
    pid = v1.profile()
    a, b, c = (v1.create(pid, t).json()["updates"][0] for t in ("a", "b", "c"))
    edited = v1.post(f"updates/{a['id']}/update.json", {"text": "a, edited", "media[link]": "https://l.example"})
    body = edited.json()
    assert body["success"] is True and body["update"]["text"] == "a, edited" and "updates" not in body
    assert body["update"]["media"] == {"link": "https://l.example"} and body["buffer_count"] == 3
    assert error(v1.post(f"updates/{a['id']}/update.json", {})) == (400, 1004)
    assert error(v1.post(f"updates/{a['id']}/update.json", {"text": "b"})) == (400, 1025)
    assert error(v1.post(f"updates/{a['id']}/update.json", {"text": "q" * 300})) == (400, 1022)

    moved = v1.post(f"updates/{c['id']}/move_to_top.json").json()
    assert moved["id"] == c["id"] and moved["due_at"] == MONDAY_8AM + HOUR
    order = [u["text"] for u in v1.get(f"profiles/{pid}/updates/pending.json").json()["updates"]]
    assert order == ["c", "a, edited", "b"]

    assert v1.post(f"updates/{b['id']}/share.json").json() == {"success": True}
    shared = v1.get(f"updates/{b['id']}.json").json()
    assert shared["status"] == "sent" and shared["service_link"]
    assert error(v1.post(f"updates/{b['id']}/move_to_top.json")) == (400, 1027)
    assert error(v1.post(f"updates/{b['id']}/update.json", {"text": "too late"})) == (400, 1022)

    destroyed = v1.post(f"updates/{c['id']}/destroy.json").json()
    assert destroyed["success"] is True
    assert error(v1.get(f"updates/{c['id']}.json")) == (404, 1020)
    remaining = v1.get(f"profiles/{pid}/updates/pending.json").json()["updates"]
    assert [(u["text"], u["due_at"]) for u in remaining] == [("a, edited", MONDAY_8AM + HOUR)]


def test_reorder_and_shuffle(v1, admin):
    pid = v1.profile()
    ids = [v1.create(pid, f"q{i}").json()["updates"][0]["id"] for i in range(4)]
    body = v1.post(f"profiles/{pid}/updates/reorder.json", {"order[]": [ids[3], ids[1]]}).json()
    assert body["success"] is True and [u["id"] for u in body["updates"]] == [ids[3], ids[1], ids[0], ids[2]]
    assert body["updates"][0]["due_at"] == MONDAY_8AM + HOUR
    with_offset = v1.post(f"profiles/{pid}/updates/reorder.json", {"order[]": ids[0], "offset": "1"}).json()
    assert [u["id"] for u in with_offset["updates"]] == [ids[3], ids[0], ids[1], ids[2]]
    assert error(v1.post(f"profiles/{pid}/updates/reorder.json", {})) == (400, 1004)
    shuffled = v1.post(f"profiles/{pid}/updates/shuffle.json", {"count": "2"}).json()
    assert shuffled["success"] is True and len(shuffled["updates"]) == 2
    pending = v1.get(f"profiles/{pid}/updates/pending.json").json()["updates"]
    assert sorted(u["id"] for u in pending) == sorted(ids)
    assert [u["due_at"] for u in pending] == sorted(u["due_at"] for u in pending)


def test_links_configuration_and_oauth(server, v1):
    shares = v1.get("links/shares.json", url="http://www.example.com/x").json()
    assert shares == v1.get("links/shares.json", url="http://example.com/x").json()
    assert isinstance(shares["shares"], int)
    assert error(v1.get("links/shares.json")) == (400, 1004)
    config = requests.get(f"{server.url}/1/info/configuration.json", timeout=5)
    assert config.status_code == 200 and config.content == raw_configuration()
    assert config.headers["Content-Type"] == "application/json;charset=UTF-8"
    token = requests.post(
        f"{server.url}/1/oauth2/token.json",
        data={
            "client_id": "c",
            "client_secret": "s",
            "redirect_uri": "http://localhost/cb",
            "code": "1/abc",
            "grant_type": "authorization_code",
        },
        timeout=5,
    ).json()
    assert token["access_token"].startswith("1/")


def test_format_method_and_unknown_paths(server, v1):
    assert v1.get("profiles.xml").status_code == 406
    assert v1.get("profiles.xml").json() == {"success": False, "code": 1005, "message": "Unsupported response format."}
    assert error(v1.get("profiles")) == (406, 1005)
    assert error(v1.post("profiles.json")) == (405, 405)
    assert error(v1.get("updates/create.json")) == (404, 1020)  # GET matches updates/:id
    assert error(v1.get("user/deauthorize.json")) == (405, 405)
    missing = v1.get("nothing/here.json")
    assert missing.status_code == 404
    assert missing.json() == {"success": False, "code": 404, "message": "Endpoint not found."}
    assert requests.get(f"{server.url}/elsewhere", timeout=5).status_code == 404


# -- rate limit and faults ----------------------------------------------------------------------


def test_rate_limit_61st_request_in_a_minute(server, v1, admin):
    for _ in range(60):
        assert v1.get("user.json").status_code == 200
    limited = v1.get("user.json")
    assert limited.status_code == 429
    assert limited.json() == {"success": False, "code": 429, "message": "Too Many Requests."}
    assert 1 <= int(limited.headers["Retry-After"]) <= 60
    assert Api(server.url, "tok-bob").get("user.json").status_code == 200  # per token
    assert admin.get("stats").json()["rate_limited"] == 1
    admin.advance(61)
    assert v1.get("user.json").status_code == 200
    admin.faults(rate_limit_per_minute=0)
    assert all(v1.get("user.json").status_code == 200 for _ in range(70))


def test_latency_fault(v1, admin):
    admin.faults(latency_ms=150)
    started = time.monotonic()
    assert v1.get("user.json").status_code == 200
    assert time.monotonic() - started >= 0.15  # a lower bound only: a busy machine can only add to it


def test_error_rate_drops_writes_unless_error_after_write(v1, admin):
    pid = v1.profile()
    admin.faults(error_rate=1.0)
    lost = v1.create(pid, "never stored")
    assert lost.status_code == 500
    assert lost.json() == {"success": False, "code": 1000, "message": "An unknown error occurred."}
    assert admin.get("updates").json() == []
    assert v1.get("user.json").status_code == 500
    admin.faults(error_after_write=True)
    assert v1.create(pid, "stored anyway").status_code == 500
    stored = admin.get("updates").json()
    assert [u["text"] for u in stored] == ["stored anyway"]
    stats = admin.get("stats").json()
    assert stats["creates_by_text"] == {"stored anyway": 1} and stats["faults_injected"] == 3
    admin.faults(error_rate=0)
    assert error(v1.create(pid, "stored anyway")) == (400, 1025)  # a blind retry would be a duplicate


def test_rate_limit_rate_and_down_faults(v1, admin):
    admin.faults(rate_limit_rate=1.0)
    limited = v1.get("user.json")
    assert limited.status_code == 429 and limited.headers["Retry-After"] == "1"
    admin.faults(rate_limit_rate=0.0, down=True)
    down = v1.get("user.json")
    assert down.status_code == 503 and down.json() == {"success": False, "message": "Service unavailable"}
    assert requests.get(f"{v1.base}/1/user.json", timeout=5).status_code == 503  # before auth
    assert admin.get("stats").status_code == 200  # admin unaffected
    admin.faults(down=False)
    assert v1.get("user.json").status_code == 200


def test_seeded_faults_are_reproducible(v1, admin):
    def run() -> list[int]:
        admin.faults(error_rate=0.5, seed=42)
        return [v1.get("user.json").status_code for _ in range(12)]

    first = run()
    assert first == run() and set(first) == {200, 500}


# -- admin API ----------------------------------------------------------------------------------


def test_admin_faults_get_put_and_reset(server, admin):
    defaults = admin.get("faults").json()
    assert defaults == {
        "latency_ms": 0,
        "error_rate": 0.0,
        "error_after_write": False,
        "rate_limit_rate": 0.0,
        "down": False,
        "seed": None,
        "rate_limit_per_minute": 60,
        "graphql_rate_limit": 100,
        "graphql_daily_post_limit": 0,
        "unexpected_rate": 0.0,
        "unexpected_after_write": False,
    }
    merged = admin.faults(error_rate=0.25, down=True)
    assert merged == {**defaults, "error_rate": 0.25, "down": True}
    assert admin.put("faults", json={"error_rate": 2}).status_code == 400
    assert admin.put("faults", json={"bogus": 1}).status_code == 400
    assert admin.put("faults", data="not json", headers={"Content-Type": "application/json"}).status_code == 400
    assert admin.post("reset").json() == {"success": True}
    assert admin.get("faults").json() == defaults
    assert admin.get("clock").json()["offset_seconds"] == 0
    assert admin.get("nope").status_code == 404 and admin.delete("faults").status_code == 405


def test_admin_profiles_clock_updates_stats_and_send(server, v1, admin):
    profiles = admin.get("profiles", params={"token": "tok-new"}).json()
    assert len(profiles) == 11 and profiles == Api(server.url, "tok-new").get("profiles.json").json()
    assert admin.get("profiles", params={"token": "invalid-x"}).status_code == 400
    clock = admin.post("clock", json={"offset_seconds": 3600}).json()
    assert clock["offset_seconds"] == 3600 and abs(clock["now"] - (time.time() + 3600)) < 5
    admin.clock_at(MONDAY_8AM)

    twitter, facebook = v1.profile("twitter"), v1.profile("facebook")
    v1.post("updates/create.json", {"profile_ids[]": [twitter, facebook], "text": "hello"}).raise_for_status()
    v1.create(twitter, "again").raise_for_status()
    stats = admin.get("stats").json()
    assert stats["creates"] == 3 and stats["creates_by_text"] == {"hello": 2, "again": 1}
    assert stats["creates_by_profile"] == {twitter: 2, facebook: 1} and stats["requests"] >= 4

    everything = admin.get("updates").json()
    only_fb = admin.get("updates", params={"profile_id": facebook}).json()
    assert len(everything) == 3 and [u["profile_id"] for u in only_fb] == [facebook]
    target = only_fb[0]
    assert target["deleted"] is False and target["custom_scheduled"] is False
    sent = admin.post(f"updates/{target['id']}/send").json()
    assert sent["status"] == "sent" and sent["statistics"]
    assert v1.get(f"profiles/{facebook}/updates/sent.json").json()["total"] == 1
    assert admin.post("updates/ffffffffffffffffffffffff/send").status_code == 404
    v1.post(f"updates/{everything[0]['id']}/destroy.json").raise_for_status()
    assert [u["deleted"] for u in admin.get("updates").json()] == [True, False, False]


def test_admin_comments_show_up_in_interactions(v1, admin):
    update = v1.create(v1.profile("facebook"), "discuss", now="true").json()["updates"][0]
    url = f"updates/{update['id']}/interactions.json"
    seeded = v1.get(url, event="comment").json()["total"]
    created = admin.post(f"updates/{update['id']}/comments", json={"text": "First!", "author": "carol"})
    assert created.status_code == 201
    comment = created.json()
    assert comment["text"] == "First!" and comment["user"]["username"] == "carol" and comment["parent_id"] is None
    reply = admin.post(f"updates/{update['id']}/comments", json={"text": "Reply", "parent_id": comment["id"]}).json()
    assert reply["parent_id"] == comment["id"]
    listed = v1.get(url, event="comment").json()
    assert listed["total"] == seeded + 2 and listed["interactions"][-1]["id"] == reply["id"]

    edited = admin.put(f"comments/{comment['id']}", json={"text": "First! (edited)"}).json()
    assert edited["text"] == "First! (edited)" and edited["updated_at"] > comment["updated_at"]
    assert {i["id"]: i["text"] for i in v1.get(url, event="comment").json()["interactions"]}[comment["id"]] == (
        "First! (edited)"
    )
    assert admin.delete(f"comments/{comment['id']}").status_code == 204
    assert comment["id"] not in [i["id"] for i in v1.get(url, event="comment").json()["interactions"]]
    assert admin.delete(f"comments/{comment['id']}").status_code == 404
    assert admin.post(f"updates/{update['id']}/comments", json={}).status_code == 400
    assert admin.post(f"updates/{update['id']}/comments", json={"text": "x", "parent_id": "zz"}).status_code == 400


# -- lifecycle ----------------------------------------------------------------------------------


def test_state_survives_a_restart_with_a_file(tmp_path):
    path = str(tmp_path / "sandbox.sqlite3")
    first = SandboxServer(port=0, state_path=path).start()
    v1 = Api(first.url)
    Admin(first.url).post("clock", json={"offset_seconds": 1000}).raise_for_status()
    update = v1.create(v1.profile(), "persist me").json()["updates"][0]
    first.stop()

    second = SandboxServer(port=0, state_path=path).start()
    try:
        v1 = Api(second.url)
        assert v1.get(f"updates/{update['id']}.json").json()["text"] == "persist me"
        assert Admin(second.url).get("clock").json()["offset_seconds"] == 1000
        assert Admin(second.url).post("tokens/revoke", json={"token": v1.token}).ok
    finally:
        second.stop()
    third = SandboxServer(port=0, state_path=path).start()
    try:
        assert Api(third.url).get("user.json").status_code == 401  # revocation persisted too
    finally:
        third.stop()


def test_stop_refuses_connections_and_logs_without_tokens():
    lines: list[str] = []
    server = SandboxServer(port=0, quiet=False, log=lines.append).start()
    v1 = Api(server.url, "secret-token-123")
    v1.get("user.json")
    v1.create(v1.profile(), "logged")
    server.stop()
    with pytest.raises(requests.ConnectionError):
        requests.get(server.url + "/1/user.json", timeout=2)
    assert lines and all("secret-token-123" not in line and "?" not in line for line in lines)
    assert re.fullmatch(r"GET /1/user\.json 200 \d+\.\dms", lines[0])
    server.stop()  # idempotent


def test_serve_forever_returns_after_stop():
    server = SandboxServer(port=0)
    runner = threading.Thread(target=server.serve_forever, daemon=True)
    runner.start()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            assert requests.get(server.url + "/__sandbox/health", timeout=1).json()["ok"] is True
            break
        except requests.ConnectionError:
            time.sleep(0.01)
    server.stop()
    runner.join(timeout=5)
    assert not runner.is_alive()


@pytest.mark.slow
def test_command_line_serves_logs_and_stops_on_sigterm(tmp_path):
    """`python -m buffer_sandbox` in a real process: default state file, sanitised log, clean SIGTERM."""
    env = {**os.environ, "SOCIALHUB_VAR_DIR": str(tmp_path)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "buffer_sandbox", "--port", "0", "--latency-ms", "1"],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    killer = threading.Timer(30, proc.kill)
    killer.start()
    try:
        banner = proc.stdout.readline()
        url = re.search(r"(http://[\d.]+:\d+)/1/", banner).group(1)
        assert Api(url, "cli-secret-token").get("user.json").status_code == 200
        assert Admin(url).get("faults").json()["latency_ms"] == 1
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        killer.cancel()
        proc.kill()
    assert proc.returncode == 0, err
    assert "GET /1/user.json 200" in out and "cli-secret-token" not in out
    assert (tmp_path / "buffer_sandbox.sqlite3").exists()
