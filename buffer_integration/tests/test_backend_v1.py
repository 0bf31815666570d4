"""V1Backend over real HTTP against the Buffer sandbox (no mocking of `requests`).

Runs without the Django DB: `pytest buffer_integration/tests/test_backend_v1.py -p no:django`.
Small timeouts and a recording fake `sleep` keep the whole file to a few seconds.
"""

from __future__ import annotations

import hashlib
import logging
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests

from buffer_integration.backends import http as http_mod
from buffer_integration.backends.base import BufferInteraction, BufferProfile, BufferUpdate, BufferUser, UpdateDraft
from buffer_integration.backends.http import HttpResult, make_session
from buffer_integration.backends.v1 import V1Backend, draft_form, map_v1_error, parse_update
from buffer_integration.exceptions import (
    BufferAuthError,
    BufferError,
    BufferNotFound,
    BufferOutcomeUnknown,
    BufferRateLimited,
    BufferRejected,
    BufferUnavailable,
)
from buffer_sandbox.server import SandboxServer

SERVICES = (
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
)
READ_TIMEOUT = 1.5  # as in backend_support: never reached by an ordinary answer on a loaded machine


# -- fixtures ----------------------------------------------------------------------------------


@pytest.fixture
def sandbox(http_sandbox):
    """This module's tests call the server `sandbox`; it is the root conftest's per-module one."""
    return http_sandbox


@pytest.fixture(scope="module")
def shared_session():
    session = make_session()
    yield session
    session.close()


class Admin:
    def __init__(self, url: str):
        self.url = url

    def call(self, method: str, path: str, **kwargs):
        response = requests.request(method, f"{self.url}/__sandbox/{path}", timeout=5, **kwargs)
        assert response.status_code < 300, (path, response.status_code, response.text)
        return response.json() if response.content else None

    def faults(self, **changes):
        return self.call("PUT", "faults", json=changes)

    def stats(self) -> dict:
        return self.call("GET", "stats")

    def updates(self, profile_id: str | None = None) -> list[dict]:
        return self.call("GET", "updates", params={"profile_id": profile_id} if profile_id else None)


@pytest.fixture
def admin(sandbox):
    a = Admin(sandbox.url)
    a.call("POST", "reset")
    yield a
    a.call("POST", "reset")


@pytest.fixture
def token() -> str:
    return f"1/{uuid.uuid4().hex}"


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def make_backend(sandbox, shared_session, sleeps, token):
    def make(tok: str | None = None, **kwargs) -> V1Backend:
        options = {
            "base_url": sandbox.url,
            "session": shared_session,
            "timeouts": (0.5, READ_TIMEOUT),
            "max_retries": 2,
            "backoff_base": 0.01,
            "sleep": sleeps.append,
        }
        options.update(kwargs)
        return V1Backend(tok or token, **options)

    return make


@pytest.fixture
def backend(make_backend, admin) -> V1Backend:
    return make_backend()


def profile_id(token: str, service: str = "twitter") -> str:
    return hashlib.sha256(f"{token}:{service}".encode()).hexdigest()[:24]


def closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def wait_for(predicate, timeout: float = 3.0):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.05)


def assert_utc(dt: datetime | None):
    assert dt is not None and dt.tzinfo is not None and dt.utcoffset() == timedelta(0)


# -- happy paths -------------------------------------------------------------------------------


def test_get_user(backend):
    user = backend.get_user()
    assert isinstance(user, BufferUser)
    assert len(user.id) == 24 and user.timezone


def test_list_profiles_and_get_profile(backend, token):
    profiles = backend.list_profiles()
    assert all(isinstance(p, BufferProfile) for p in profiles)
    assert {p.service for p in profiles} == set(SERVICES)
    by_service = {p.service: p for p in profiles}
    for service in SERVICES:
        assert by_service[service].id == profile_id(token, service)
    one = backend.get_profile(profile_id(token, "facebook"))
    assert one == by_service["facebook"]
    assert one.service == "facebook" and one.service_type and one.timezone
    assert isinstance(one.schedules, list)


def test_create_queued_then_get_and_list_pending(backend, token, admin):
    pid = profile_id(token)
    update = backend.create_update(UpdateDraft(profile_id=pid, text="Queued hello"))
    assert isinstance(update, BufferUpdate)
    assert update.profile_id == pid and update.status == "buffer" and update.text == "Queued hello"
    assert_utc(update.created_at)
    assert update.sent_at is None
    fetched = backend.get_update(update.id)
    assert fetched.id == update.id and fetched.text == "Queued hello"
    assert [u.id for u in backend.list_pending(pid)] == [update.id]
    assert backend.list_sent(pid) == []
    assert admin.stats()["creates_by_text"] == {"Queued hello": 1}


def test_create_with_media_maps_photo_and_link(backend, token, admin):
    pid = profile_id(token, "facebook")
    update = backend.create_update(
        UpdateDraft(
            profile_id=pid,
            text="With media",
            photo_url="https://img.example/a.png",
            link_url="https://example.com/post",
        )
    )
    # Buffer echoes media[photo] as media.picture (reference §3.1).
    assert update.media.get("picture") == "https://img.example/a.png"
    assert update.media.get("link") == "https://example.com/post"


def test_create_scheduled_at_sends_unix_utc(backend, token):
    when = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    update = backend.create_update(UpdateDraft(profile_id=profile_id(token), text="Scheduled", scheduled_at=when))
    assert update.due_at == when
    assert_utc(update.due_at)


def test_create_now_is_sent(backend, token):
    pid = profile_id(token)
    update = backend.create_update(UpdateDraft(profile_id=pid, text="Right now", now=True))
    assert update.status == "sent"
    assert_utc(update.sent_at)
    sent = backend.list_sent(pid)
    assert [u.id for u in sent] == [update.id]
    assert sent[0].service_update_id


def test_edit_update(backend, token):
    pid = profile_id(token)
    update = backend.create_update(UpdateDraft(profile_id=pid, text="Before"))
    edited = backend.edit_update(update.id, UpdateDraft(profile_id=pid, text="After"))
    assert edited.id == update.id and edited.text == "After"
    assert backend.get_update(update.id).text == "After"


def test_destroy_update(backend, token):
    update = backend.create_update(UpdateDraft(profile_id=profile_id(token), text="Doomed"))
    assert backend.destroy_update(update.id) is None
    with pytest.raises(BufferNotFound):
        backend.get_update(update.id)


def test_list_pending_walks_all_pages(backend, token, admin):
    pid = profile_id(token, "mastodon")
    created = [backend.create_update(UpdateDraft(profile_id=pid, text=f"Post number {i}")).id for i in range(205)]
    before = admin.stats()["requests"]
    pending = backend.list_pending(pid)
    assert sorted(u.id for u in pending) == sorted(created)
    assert admin.stats()["requests"] - before == 3  # count=100 → three pages


def test_list_pending_since(backend, token, admin):
    pid = profile_id(token)
    backend.create_update(UpdateDraft(profile_id=pid, text="Old one"))
    admin.call("POST", "clock", json={"offset_seconds": 3600})
    since = datetime.now(UTC) + timedelta(minutes=30)
    new = backend.create_update(UpdateDraft(profile_id=pid, text="New one"))
    assert [u.id for u in backend.list_pending(pid, since=since)] == [new.id]


def test_list_interactions_comments(backend, token, admin):
    pid = profile_id(token, "facebook")
    update = backend.create_update(UpdateDraft(profile_id=pid, text="Talk to me", now=True))
    baseline = {i.id for i in backend.list_interactions(update.id)}
    added = admin.call("POST", f"updates/{update.id}/comments", json={"text": "Great post!", "author": "alice"})
    reply = admin.call(
        "POST",
        f"updates/{update.id}/comments",
        json={"text": "Thanks", "author": "bob", "parent_id": added["id"]},
    )
    interactions = backend.list_interactions(update.id, event="comment")
    assert all(isinstance(i, BufferInteraction) for i in interactions)
    new = {i.id: i for i in interactions if i.id not in baseline}
    assert set(new) == {added["id"], reply["id"]}
    first = new[added["id"]]
    assert first.text == "Great post!" and first.event == "comment" and first.update_id == update.id
    assert first.author_name and first.author_avatar.startswith("https://") and first.author_link
    assert_utc(first.created_at)
    assert_utc(first.updated_at)
    assert new[reply["id"]].parent_id == added["id"]
    assert first.parent_id == ""


def test_get_configuration(backend):
    config = backend.get_configuration()
    assert isinstance(config, dict)
    assert "twitter" in config["services"]


def test_base_url_variants_and_shared_session(sandbox, token, admin, shared_session):
    for base in (sandbox.url, sandbox.url + "/", sandbox.url + "/1", sandbox.url + "/1/"):
        b = V1Backend(token, base_url=base, session=shared_session, timeouts=(0.5, 1), max_retries=0)
        assert b.get_user().id


# -- refusals ----------------------------------------------------------------------------------


def test_invalid_token_is_auth_error(make_backend, admin):
    with pytest.raises(BufferAuthError) as info:
        make_backend("invalid-token").list_profiles()
    assert info.value.status == 401


def test_revoked_token_is_auth_error(backend, token, admin):
    backend.get_user()
    admin.call("POST", "tokens/revoke", json={"token": token})
    with pytest.raises(BufferAuthError):
        backend.get_user()


def test_unknown_profile_and_update_not_found(backend, token):
    with pytest.raises(BufferNotFound):
        backend.get_profile("0" * 24)
    with pytest.raises(BufferNotFound):
        backend.get_update("0" * 24)
    with pytest.raises(BufferNotFound):
        backend.list_pending("0" * 24)
    with pytest.raises(BufferNotFound):
        backend.create_update(UpdateDraft(profile_id="0" * 24, text="Nowhere"))
    with pytest.raises(BufferNotFound):
        backend.destroy_update("0" * 24)


def test_other_tokens_objects_are_not_found(backend, make_backend, token):
    other = make_backend(f"1/{uuid.uuid4().hex}")
    theirs = other.create_update(UpdateDraft(profile_id=profile_id(other._http._token), text="Mine"))
    with pytest.raises(BufferNotFound):
        backend.get_update(theirs.id)
    with pytest.raises(BufferNotFound):
        backend.get_profile(theirs.profile_id)
    with pytest.raises(BufferNotFound):
        backend.create_update(UpdateDraft(profile_id=theirs.profile_id, text="Hijack"))


def test_duplicate_is_rejected_with_buffers_message(backend, token):
    draft = UpdateDraft(profile_id=profile_id(token), text="Same again")
    backend.create_update(draft)
    with pytest.raises(BufferRejected) as info:
        backend.create_update(draft)
    assert info.value.code == 1025
    assert "posted that one recently" in info.value.message


def test_too_long_is_rejected(backend, token):
    with pytest.raises(BufferRejected) as info:
        backend.create_update(UpdateDraft(profile_id=profile_id(token, "bluesky"), text="x" * 1000))
    assert info.value.code == 1022
    assert "too long" in info.value.message.lower()


def test_past_schedule_is_rejected(backend, token):
    past = datetime.now(UTC) - timedelta(hours=1)
    with pytest.raises(BufferRejected) as info:
        backend.create_update(UpdateDraft(profile_id=profile_id(token), text="Too late", scheduled_at=past))
    assert info.value.code == 1034
    assert info.value.message == "Cannot schedule updates in the past."


def test_unsupported_interaction_event_is_rejected(backend, token):
    update = backend.create_update(UpdateDraft(profile_id=profile_id(token, "facebook"), text="x", now=True))
    with pytest.raises(BufferRejected) as info:
        backend.list_interactions(update.id, event="nonsense")
    assert info.value.code == 1029


# -- outages, faults and retries ---------------------------------------------------------------


def test_down_is_unavailable_after_retry_budget(backend, admin, sleeps):
    admin.faults(down=True)
    with pytest.raises(BufferUnavailable) as info:
        backend.get_user()
    assert type(info.value) is BufferUnavailable and info.value.status == 503
    assert admin.stats()["requests"] == 3  # 1 + max_retries
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 0.01 and 0 <= sleeps[1] <= 0.02  # full jitter: uniform(0, base * 2**n)


def test_down_write_is_retried_because_not_applied(backend, token, admin, sleeps):
    admin.faults(down=True)
    with pytest.raises(BufferUnavailable) as info:
        backend.create_update(UpdateDraft(profile_id=profile_id(token), text="While down"))
    assert type(info.value) is BufferUnavailable  # 503: definitely not applied, not "unknown"
    assert admin.stats()["requests"] == 3 and admin.stats()["creates"] == 0


def test_closed_port_is_unavailable_and_retried_without_real_sleeps(token, sleeps):
    b = V1Backend(
        token,
        base_url=f"http://127.0.0.1:{closed_port()}",
        timeouts=(0.5, 0.5),
        max_retries=2,
        backoff_base=0.01,
        sleep=sleeps.append,
    )
    with pytest.raises(BufferUnavailable) as info:
        b.get_user()
    with pytest.raises(BufferUnavailable) as write_info:
        b.create_update(UpdateDraft(profile_id="a" * 24, text="x"))
    # connection refused: the request never reached Buffer, so even the write is plainly retryable
    assert type(info.value) is BufferUnavailable and type(write_info.value) is BufferUnavailable
    assert len(sleeps) == 4


def test_stopped_sandbox_is_unavailable(token, sleeps):
    server = SandboxServer(host="127.0.0.1", port=0, state_path=":memory:", quiet=True)
    server.start()
    url = server.url
    server.stop()
    b = V1Backend(token, base_url=url, timeouts=(0.5, 0.5), max_retries=1, backoff_base=0, sleep=sleeps.append)
    with pytest.raises(BufferUnavailable):
        b.list_profiles()


def test_rate_limit_fault_retried_then_succeeds(make_backend, admin, sleeps):
    admin.faults(rate_limit_rate=0.5, seed=7)
    b = make_backend(max_retries=6)
    for _ in range(10):
        assert b.get_user().id
    assert admin.stats()["faults_injected"] > 0
    assert sleeps and all(s == 1.0 for s in sleeps)  # Retry-After: 1 honoured exactly


def test_rate_limit_exhausted_raises_rate_limited(backend, admin, sleeps):
    admin.faults(rate_limit_rate=1.0)
    with pytest.raises(BufferRateLimited) as info:
        backend.get_user()
    assert info.value.retry_after == 1.0 and info.value.status == 429
    assert sleeps == [1.0, 1.0]
    assert admin.stats()["requests"] == 3


def test_rate_limit_on_write_is_retried(backend, token, admin, sleeps):
    admin.faults(rate_limit_rate=1.0)
    with pytest.raises(BufferRateLimited):
        backend.create_update(UpdateDraft(profile_id=profile_id(token), text="Limited"))
    assert sleeps == [1.0, 1.0] and admin.stats()["creates"] == 0


def test_retry_after_above_cap_raises_at_once(make_backend, admin, sleeps):
    admin.faults(rate_limit_per_minute=2)
    b = make_backend(max_retries=5)
    b.get_user()
    b.get_user()
    with pytest.raises(BufferRateLimited) as info:
        b.get_user()
    # the real per-minute limiter says "come back in ~60 s": above the 30 s cap → no sleeping
    assert info.value.retry_after is not None and info.value.retry_after > 30
    assert sleeps == []
    assert admin.stats()["requests"] == 3


def test_flaky_gets_eventually_succeed(make_backend, token, admin):
    admin.faults(error_rate=0.3, seed=42)
    b = make_backend(max_retries=5)
    pid = profile_id(token)
    for _ in range(15):
        assert b.get_user().id
        assert b.get_profile(pid).id == pid
    assert admin.stats()["faults_injected"] > 0


def test_500_on_write_is_outcome_unknown_and_not_retried(backend, token, admin, sleeps):
    admin.faults(error_rate=1.0)
    with pytest.raises(BufferOutcomeUnknown) as info:
        backend.create_update(UpdateDraft(profile_id=profile_id(token), text="Lost?"))
    assert info.value.status == 500
    assert admin.stats()["requests"] == 1 and sleeps == []


def test_error_after_write_on_create_is_outcome_unknown(backend, token, admin, sleeps):
    admin.faults(error_rate=1.0, error_after_write=True)
    with pytest.raises(BufferOutcomeUnknown):
        backend.create_update(UpdateDraft(profile_id=profile_id(token), text="Applied anyway"))
    stats = admin.stats()
    assert stats["requests"] == 1 and sleeps == []
    assert stats["creates_by_text"] == {"Applied anyway": 1}  # it did land: reconcile, never resend


def test_read_timeout_on_create_is_outcome_unknown_but_created(backend, token, admin, sleeps):
    pid = profile_id(token)
    admin.faults(latency_ms=int(READ_TIMEOUT * 1000) + 400)
    with pytest.raises(BufferOutcomeUnknown):
        backend.create_update(UpdateDraft(profile_id=pid, text="Slow but real"))
    assert sleeps == []  # never auto-retried
    created = wait_for(lambda: [u for u in admin.updates(pid) if u["text"] == "Slow but real"])
    assert len(created) == 1  # the point: Buffer did create it
    assert admin.stats()["creates"] == 1


def test_read_timeout_on_get_is_retried_then_unavailable(backend, admin, sleeps):
    admin.faults(latency_ms=int(READ_TIMEOUT * 1000) + 200)
    with pytest.raises(BufferUnavailable) as info:
        backend.get_user()
    assert type(info.value) is BufferUnavailable
    assert len(sleeps) == 2


# -- secrecy and logging -----------------------------------------------------------------------


def test_token_never_in_logs_or_errors(make_backend, admin, caplog, token, sandbox):
    caplog.set_level(logging.DEBUG)
    b = make_backend(max_retries=1)
    pid = profile_id(token)
    errors: list[BufferError] = []
    b.get_user()
    update = b.create_update(UpdateDraft(profile_id=pid, text="Secret-free"))
    b.list_pending(pid)
    for call in (
        lambda: b.get_update("0" * 24),
        lambda: b.create_update(UpdateDraft(profile_id=pid, text="Secret-free")),
        lambda: make_backend(f"invalid-{token}").get_user(),
    ):
        with pytest.raises(BufferError) as info:
            call()
        errors.append(info.value)
    admin.faults(down=True)
    with pytest.raises(BufferError) as info:
        b.get_user()
    errors.append(info.value)
    admin.faults(down=False, latency_ms=int(READ_TIMEOUT * 1000) + 200)
    with pytest.raises(BufferError) as info:
        b.edit_update(update.id, UpdateDraft(profile_id=pid, text="x"))
    errors.append(info.value)
    closed = V1Backend(token, base_url=f"http://127.0.0.1:{closed_port()}", max_retries=0)
    with pytest.raises(BufferError) as info:
        closed.get_user()
    errors.append(info.value)

    secret = token.split("/", 1)[1]
    for err in errors:
        assert secret not in str(err) and secret not in err.message and secret not in repr(err)
        # no chained requests exception (its .request.headers would carry the token)
        assert err.__cause__ is None and (err.__context__ is None or err.__suppress_context__)
    assert secret not in repr(b)

    lines = [r for r in caplog.records if r.name == "socialhub.buffer"]
    assert len(lines) >= 8
    for record in lines:
        text = record.getMessage()
        assert secret not in text and "?" not in text and "Secret-free" not in text
        assert record.buffer_path.startswith("/1/") and record.buffer_path.endswith(".json")
    messages = [r.getMessage() for r in lines]
    assert any(
        m.startswith("buffer GET /1/user.json status=200 duration_ms=") and m.endswith("attempt=0") for m in messages
    )
    assert any("status=503" in m and "attempt=1" in m for m in messages)


def test_token_sent_only_as_bearer_header(backend, token, admin):
    # The sandbox accepts the token from the header; a URL with it would be a leak waiting to happen.
    session = requests.Session()
    prepared = session.prepare_request(
        requests.Request("GET", backend.base_url + "/user.json", auth=backend._http._auth)
    )
    assert prepared.headers["Authorization"] == f"Bearer {token}"
    assert token not in prepared.url and "access_token" not in prepared.url


# -- plumbing without a server -----------------------------------------------------------------


def test_make_session_has_user_agent_and_pool():
    session = make_session()
    assert session.headers["User-Agent"] == "SocialHub/1.0"
    adapter = session.get_adapter("https://api.bufferapp.com/1/user.json")
    assert adapter._pool_maxsize >= 10
    assert adapter.max_retries.total == 0
    assert "Authorization" not in session.headers


def test_draft_form_mapping():
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert draft_form(UpdateDraft(profile_id="p", text="t")) == [("text", "t")]
    assert draft_form(UpdateDraft(profile_id="p", text="t", now=True)) == [("text", "t"), ("now", "true")]
    assert draft_form(UpdateDraft(profile_id="p", text="t", scheduled_at=when, now=True)) == [
        ("text", "t"),
        ("scheduled_at", str(int(when.timestamp()))),
    ]
    # a non-UTC aware datetime is converted, a naive one is taken as UTC
    plus2 = when.astimezone(__import__("datetime").timezone(timedelta(hours=2)))
    assert ("scheduled_at", "1893553445") in draft_form(UpdateDraft(profile_id="p", text="t", scheduled_at=plus2))
    assert ("scheduled_at", "1893553445") in draft_form(
        UpdateDraft(profile_id="p", text="t", scheduled_at=when.replace(tzinfo=None))
    )
    form = draft_form(UpdateDraft(profile_id="p", text="t", photo_url="P", link_url="L", video_url="V"))
    assert ("media[photo]", "P") in form and ("media[thumbnail]", "P") in form
    assert ("media[link]", "L") in form and ("media[video]", "V") in form


def test_parse_update_timestamps():
    u = parse_update(
        {
            "_id": "abc",
            "profile_id": "p",
            "status": "buffer",
            "text": "t",
            "created_at": 1700000000,
            "due_at": 0,
            "statistics": {"clicks": 3, "x": "nan"},
            "media": {"picture": "u"},
        }
    )
    assert u.id == "abc" and u.due_at is None and u.sent_at is None
    assert u.created_at == datetime.fromtimestamp(1700000000, UTC)
    assert u.statistics == {"clicks": 3} and u.media == {"picture": "u"}


@pytest.mark.parametrize(
    ("status", "code", "expected"),
    [
        (401, None, BufferAuthError),
        (403, 1001, BufferAuthError),
        (403, 1002, BufferAuthError),
        (403, 403, BufferAuthError),
        (403, 1011, BufferNotFound),
        (403, 1021, BufferNotFound),
        (403, 1051, BufferNotFound),
        (403, 1023, BufferRejected),
        (404, 1010, BufferNotFound),
        (404, 1020, BufferNotFound),
        (404, 404, BufferNotFound),
        (400, 1025, BufferRejected),
        (405, 405, BufferRejected),
        (406, 1005, BufferRejected),
    ],
)
def test_map_v1_error(status, code, expected):
    body = None if code is None else {"success": False, "code": code, "error": "Nope."}
    err = map_v1_error(HttpResult(status=status, payload=body, headers={}))
    assert type(err) is expected and err.status == status and err.code == code
    if expected is BufferRejected:
        assert err.message == "Nope."


def test_package_import_pulls_no_django():
    code = (
        "import sys, buffer_integration.backends, buffer_integration.backends.v1, "
        "buffer_integration.backends.http; assert 'django' not in sys.modules, 'django imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=http_mod.__file__.rsplit("/buffer_integration", 1)[0])


def test_get_backend_from_settings(sandbox, admin, token):
    pytest.importorskip("django")
    from django.conf import settings
    from django.test import override_settings

    from buffer_integration import backends as factory

    if not settings.configured:
        settings.configure()
    client = {"connect_timeout": 0.5, "read_timeout": 1.0, "max_retries": 1, "backoff_base": 0.01}
    with override_settings(BUFFER_API_URL=sandbox.url, BUFFER_CLIENT=client):
        one = factory.get_backend(token)
        two = factory.get_backend(f"1/{uuid.uuid4().hex}")
        assert isinstance(one, V1Backend)
        assert one._http.session is two._http.session is factory.get_session()
        assert one._http.timeouts == (0.5, 1.0) and one._http.max_retries == 1
        assert one.get_user().id
        with pytest.raises(ValueError):
            factory.get_backend(token, api="v2")
    with override_settings(BUFFER_API_URL=sandbox.url, BUFFER_CLIENT={}):
        dflt = factory.get_backend(token)
        assert dflt._http.timeouts == (3.05, 10.0) and dflt._http.max_retries == 2
        assert dflt._http.backoff_base == 0.5
