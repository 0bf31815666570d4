"""The `BufferBackend` contract, once per Buffer API, over real HTTP against the one sandbox.

Everything above `buffer_integration` relies on these behaviours whichever API a config uses; the
v1-only extras (share, interactions, statistics) live in test_backend_v1.py, GraphQL's own in
test_backend_graphql.py. Runs without the Django DB.
"""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from buffer_integration.backends.base import BufferProfile, BufferUpdate, BufferUser, UpdateDraft
from buffer_integration.exceptions import (
    BufferAuthError,
    BufferError,
    BufferNotFound,
    BufferOutcomeUnknown,
    BufferRateLimited,
    BufferRejected,
    BufferUnavailable,
)
from buffer_integration.tests.backend_support import (
    APIS,
    READ_TIMEOUT,
    assert_utc,
    backend_for,
    closed_port,
    profile_id,
    wait_for,
)

SERVICES = {"twitter", "facebook", "instagram", "linkedin", "mastodon", "bluesky", "threads", "pinterest"}
# The knob of each API's own per-token limit in the sandbox (v1: per minute; GraphQL: per 15 minutes).
LIMIT_KNOB = {"v1": "rate_limit_per_minute", "graphql": "graphql_rate_limit"}


@pytest.fixture(params=APIS)
def api_name(request) -> str:
    return request.param


@pytest.fixture
def backend(make_backend, api_name, box):
    return make_backend(api_name)


# -- reads -------------------------------------------------------------------------------------


def test_user_profiles_and_profile(backend, key):
    user = backend.get_user()
    assert isinstance(user, BufferUser) and len(user.id) == 24 and user.timezone
    profiles = backend.list_profiles()
    assert all(isinstance(p, BufferProfile) for p in profiles)
    by_service = {p.service: p for p in profiles}
    assert set(by_service) >= SERVICES
    # The same Buffer profile has the same id through either API (GraphQL calls it a channel).
    assert all(by_service[s].id == profile_id(key, s) for s in SERVICES)
    one = backend.get_profile(profile_id(key, "facebook"))
    assert one == by_service["facebook"] and one.service_type == "page" and not one.is_disconnected
    assert "twitter" in backend.get_configuration()["services"]


# -- writes ------------------------------------------------------------------------------------


def test_create_queued_then_get_and_list(backend, key, box):
    pid = profile_id(key)
    update = backend.create_update(UpdateDraft(profile_id=pid, text="Queued hello"))
    assert isinstance(update, BufferUpdate)
    assert (update.profile_id, update.status, update.text) == (pid, "buffer", "Queued hello")
    assert_utc(update.created_at)
    assert_utc(update.due_at)  # a queue slot
    assert update.sent_at is None
    assert backend.get_update(update.id) == update
    assert [u.id for u in backend.list_pending(pid)] == [update.id]
    assert backend.list_sent(pid) == []
    with pytest.raises(BufferRejected, match="posted that one recently"):  # Buffer's own words
        backend.create_update(UpdateDraft(profile_id=pid, text="Queued hello"))
    assert box.stats()["creates_by_text"] == {"Queued hello": 1}


def test_create_scheduled_with_a_photo(backend, key):
    when = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    photo = "https://img.example/a.png"
    draft = UpdateDraft(profile_id=profile_id(key), text="Scheduled", scheduled_at=when, photo_url=photo)
    update = backend.create_update(draft)
    assert update.status == "buffer" and update.due_at == when and update.media["picture"] == photo


def test_create_now_is_sent(backend, key):
    pid = profile_id(key)
    update = backend.create_update(UpdateDraft(profile_id=pid, text="Right now", now=True))
    assert update.status == "sent" and update.service_link
    assert_utc(update.sent_at)
    assert [u.id for u in backend.list_sent(pid)] == [update.id]
    assert backend.list_pending(pid) == []


def test_edit_keeps_the_id(backend, key):
    pid = profile_id(key)
    update = backend.create_update(UpdateDraft(profile_id=pid, text="Before"))
    later = (datetime.now(UTC) + timedelta(days=3)).replace(microsecond=0)
    edited = backend.edit_update(update.id, UpdateDraft(profile_id=pid, text="After", scheduled_at=later))
    assert (edited.id, edited.text, edited.due_at) == (update.id, "After", later)
    assert backend.get_update(update.id).text == "After"


def test_destroy(backend, key):
    update = backend.create_update(UpdateDraft(profile_id=profile_id(key), text="Doomed"))
    assert backend.destroy_update(update.id) is None
    with pytest.raises(BufferNotFound):
        backend.get_update(update.id)


def test_lists_walk_every_page(backend, key, box):
    pid = profile_id(key, "mastodon")
    created = {backend.create_update(UpdateDraft(profile_id=pid, text=f"Post number {i}")).id for i in range(205)}
    backend.get_user()  # GraphQL learns its organization id once per backend
    before = box.stats()["requests"]
    pending = backend.list_pending(pid)
    assert {u.id for u in pending} == created and len(pending) == 205
    assert box.stats()["requests"] - before == 3  # 100 per page, either API
    due = [u.due_at for u in pending]
    assert due == sorted(due)


def test_list_since(backend, key, box):
    pid = profile_id(key)
    old = backend.create_update(UpdateDraft(profile_id=pid, text="Old one", now=True))
    box.call("POST", "clock", json={"offset_seconds": 3600})
    since = datetime.now(UTC) + timedelta(minutes=30)
    new = backend.create_update(UpdateDraft(profile_id=pid, text="New one"))
    sent = backend.create_update(UpdateDraft(profile_id=pid, text="New sent", now=True))
    assert [u.id for u in backend.list_pending(pid, since=since)] == [new.id]
    assert [u.id for u in backend.list_sent(pid, since=since)] == [sent.id]
    assert [u.id for u in backend.list_sent(pid)] == [sent.id, old.id]  # most recent first


# -- refusals ----------------------------------------------------------------------------------


def test_invalid_and_revoked_tokens_are_auth_errors(make_backend, api_name, backend, key, box):
    with pytest.raises(BufferAuthError) as info:
        make_backend(api_name, "invalid-token").list_profiles()
    assert info.value.status == 401
    backend.get_user()
    box.call("POST", "tokens/revoke", json={"token": key})
    with pytest.raises(BufferAuthError):
        backend.get_user()


def test_unknown_objects_are_not_found(backend):
    nowhere = "0" * 24
    for call in (
        lambda: backend.get_profile(nowhere),
        lambda: backend.get_update(nowhere),
        lambda: backend.list_pending(nowhere),
        lambda: backend.create_update(UpdateDraft(profile_id=nowhere, text="Nowhere")),
        lambda: backend.destroy_update(nowhere),
    ):
        with pytest.raises(BufferNotFound):
            call()


def test_other_accounts_objects_are_not_found(make_backend, api_name, backend, box):
    other_token = f"1/{uuid.uuid4().hex}"
    theirs = make_backend(api_name, other_token).create_update(
        UpdateDraft(profile_id=profile_id(other_token), text="Mine")
    )
    for call in (
        lambda: backend.get_update(theirs.id),
        lambda: backend.get_profile(theirs.profile_id),
        lambda: backend.create_update(UpdateDraft(profile_id=theirs.profile_id, text="Hijack")),
        lambda: backend.destroy_update(theirs.id),
    ):
        with pytest.raises(BufferNotFound):
            call()


@pytest.mark.parametrize(
    ("service", "text", "scheduled", "message"),
    [
        ("bluesky", "x" * 1000, None, "too long"),
        ("twitter", "Too late", timedelta(hours=-1), "Cannot schedule updates in the past."),
    ],
)
def test_refused_content_carries_buffers_message(backend, key, service, text, scheduled, message):
    when = datetime.now(UTC) + scheduled if scheduled else None
    with pytest.raises(BufferRejected) as info:
        backend.create_update(UpdateDraft(profile_id=profile_id(key, service), text=text, scheduled_at=when))
    assert message.lower() in info.value.message.lower()


# -- outages, faults and retries ---------------------------------------------------------------


def test_down_is_unavailable_after_the_retry_budget(backend, key, box, sleeps):
    box.faults(down=True)
    with pytest.raises(BufferUnavailable) as info:
        backend.get_profile(profile_id(key))
    assert type(info.value) is BufferUnavailable and info.value.status == 503
    with pytest.raises(BufferUnavailable) as write:
        backend.create_update(UpdateDraft(profile_id=profile_id(key), text="While down"))
    assert type(write.value) is BufferUnavailable  # 503: definitely not applied
    assert box.stats()["requests"] == 6 and box.stats()["creates"] == 0 and len(sleeps) == 4


def test_unreachable_is_unavailable(api_name, key, sleeps):
    b = backend_for(api_name, key, f"http://127.0.0.1:{closed_port()}", timeouts=(0.5, 0.5), sleep=sleeps.append)
    for call in (b.get_user, lambda: b.create_update(UpdateDraft(profile_id="a" * 24, text="x"))):
        with pytest.raises(BufferUnavailable) as info:
            call()
        assert type(info.value) is BufferUnavailable  # never sent: safe to retry, even a write


def test_rate_limit_faults_are_retried_after_retry_after(make_backend, api_name, box, sleeps):
    box.faults(rate_limit_rate=0.5, seed=7)
    b = make_backend(api_name, max_retries=6)
    for _ in range(8):
        assert b.get_user().id
    assert box.stats()["faults_injected"] > 0 and sleeps and all(s == 1.0 for s in sleeps)


def test_rate_limit_exhausted_raises_rate_limited(backend, key, box, sleeps):
    box.faults(rate_limit_rate=1.0)
    with pytest.raises(BufferRateLimited) as info:
        backend.create_update(UpdateDraft(profile_id=profile_id(key), text="Limited"))
    assert info.value.retry_after == 1.0 and info.value.status == 429
    assert sleeps == [1.0, 1.0] and box.stats()["creates"] == 0


def test_long_retry_after_is_raised_at_once(make_backend, api_name, box, sleeps):
    box.faults(**{LIMIT_KNOB[api_name]: 2})
    b = make_backend(api_name, max_retries=5)
    b.get_user()
    b.get_user()
    with pytest.raises(BufferRateLimited) as info:
        b.get_user()
    assert info.value.retry_after > 30 and sleeps == []  # the caller (a task) schedules the retry


def test_flaky_reads_eventually_succeed(make_backend, api_name, key, box):
    box.faults(error_rate=0.3, seed=42)
    b = make_backend(api_name, max_retries=5)
    for _ in range(10):
        assert b.get_profile(profile_id(key)).id
    assert box.stats()["faults_injected"] > 0


@pytest.mark.parametrize("after_write", [False, True])
def test_500_on_a_write_is_outcome_unknown_and_not_retried(backend, key, box, sleeps, after_write):
    box.faults(error_rate=1.0, error_after_write=after_write)
    with pytest.raises(BufferOutcomeUnknown):
        backend.create_update(UpdateDraft(profile_id=profile_id(key), text="Lost?"))
    assert box.stats()["requests"] == 1 and sleeps == []
    assert box.stats()["creates"] == int(after_write)  # when it landed: reconcile, never resend


def test_read_timeout_on_a_write_is_outcome_unknown_but_created(backend, key, box, sleeps):
    pid = profile_id(key)
    box.faults(latency_ms=int(READ_TIMEOUT * 1000) + 400)
    with pytest.raises(BufferOutcomeUnknown):
        backend.create_update(UpdateDraft(profile_id=pid, text="Slow but real"))
    assert sleeps == []
    assert len(wait_for(lambda: [u for u in box.updates(pid) if u["text"] == "Slow but real"])) == 1


def test_read_timeout_on_a_read_is_retried_then_unavailable(backend, key, box, sleeps):
    box.faults(latency_ms=int(READ_TIMEOUT * 1000) + 200)
    with pytest.raises(BufferUnavailable) as info:
        backend.get_profile(profile_id(key))
    assert type(info.value) is BufferUnavailable and len(sleeps) == 2


def test_token_never_in_errors_or_logs(make_backend, api_name, key, box, caplog):
    caplog.set_level(logging.INFO, logger="socialhub.buffer")
    b = make_backend(api_name, max_retries=0)
    errors: list[BufferError] = []
    for call in (
        lambda: b.get_update("0" * 24),
        lambda: make_backend(api_name, f"invalid-{key}").get_user(),
        lambda: b.create_update(UpdateDraft(profile_id="0" * 24, text="x")),
    ):
        with pytest.raises(BufferError) as info:
            call()
        errors.append(info.value)
    secret = key.split("/", 1)[1]
    for err in errors:
        assert secret not in str(err) and secret not in repr(err)
        assert err.__cause__ is None and (err.__context__ is None or err.__suppress_context__)
    assert secret not in repr(b)
    lines = [r.getMessage() for r in caplog.records if r.name == "socialhub.buffer"]
    assert lines and all(secret not in line and "?" not in line for line in lines)
