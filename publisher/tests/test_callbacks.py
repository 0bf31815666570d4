"""Status callbacks: the seed's object, signed (Standard Webhooks), in order, retried on a stored schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.utils import timezone

from posts.models import Post, PostStatus
from publisher.models import CallbackDelivery, CallbackState
from publisher.outbox import MAX_ATTEMPTS, RETRY_DELAYS, send_due_callbacks
from publisher.status import refresh_unsettled
from publisher.tests.receiver import verify_standard_webhook

pytestmark = pytest.mark.django_db
# Well inside the scheduling horizon (SCHEDULE_HORIZON_DAYS), on any day the suite runs.
YEAR = datetime.now(UTC).year + 2
LATER = f"{YEAR}-01-01T10:00:00Z"


def submit(api, capture, receiver, **extra) -> str:
    data = {"payload": {"message": "Hello"}, "postStatusCallback": receiver.url + "/status", **extra}
    with capture(execute=True):
        response = api.post("/api/v1/publisher/posts", data, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["postId"]


def engine_sets(status: str) -> None:
    """What the publishing engine does to the Posts (the end-to-end test runs the real engine)."""
    Post.objects.update(status=status, published_at=timezone.now() if status == PostStatus.PUBLISHED else None)


def statuses(requests) -> list[str]:
    return [r.json["postStatus"] for r in requests]


def test_every_status_change_is_sent_signed_in_order(api, channel, whsec, receiver, django_capture_on_commit_callbacks):
    post_id = submit(api, django_capture_on_commit_callbacks, receiver)
    engine_sets(PostStatus.PUBLISHED)
    refresh_unsettled()
    send_due_callbacks()
    assert [(r.method, r.path) for r in receiver.requests] == [("PUT", "/status")] * 3
    assert [r.json for r in receiver.requests] == [
        {"postId": post_id, "postStatus": status} for status in ("QUEUED", "PROCESSED", "FINISHED")
    ]
    for request in receiver.requests:
        assert verify_standard_webhook(whsec, request.headers, request.body)
        assert request.headers["content-type"] == "application/json"
        assert abs(int(request.headers["webhook-timestamp"]) - timezone.now().timestamp()) < 60
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == 3
    refresh_unsettled()
    send_due_callbacks()
    assert len(receiver.requests) == 3  # nothing changed, nothing sent


def test_error_waits_until_every_delivery_settled(api, channel, whsec, receiver, django_capture_on_commit_callbacks):
    submit(api, django_capture_on_commit_callbacks, receiver)
    first, second = Post.objects.order_by("id")
    Post.objects.filter(pk=first.pk).update(status=PostStatus.FAILED)
    refresh_unsettled()
    send_due_callbacks()
    assert statuses(receiver.requests) == ["QUEUED", "PROCESSED"]
    Post.objects.filter(pk=second.pk).update(status=PostStatus.PUBLISHED)
    refresh_unsettled()
    send_due_callbacks()
    assert statuses(receiver.requests) == ["QUEUED", "PROCESSED", "ERROR"]


def test_scheduled_posts_report_scheduled_then_processed_on_the_way(
    api, channel, whsec, receiver, django_capture_on_commit_callbacks
):
    submit(api, django_capture_on_commit_callbacks, receiver, scheduled=LATER)
    engine_sets(PostStatus.PUBLISHED)  # published early: PROCESSED is reported before FINISHED
    refresh_unsettled()
    send_due_callbacks()
    assert statuses(receiver.requests) == ["QUEUED", "SCHEDULED", "PROCESSED", "FINISHED"]


def test_a_receiver_failing_five_times_gets_every_status_once_in_order(
    api, channel, whsec, receiver, django_capture_on_commit_callbacks
):
    receiver.fail_next(5)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        submit(api, django_capture_on_commit_callbacks, receiver)
        engine_sets(PostStatus.PUBLISHED)
        refresh_unsettled()
        waits = []
        while receiver.failures_left or len(receiver.accepted()) < 3:
            head = CallbackDelivery.objects.filter(state=CallbackState.PENDING).order_by("sequence").first()
            waits.append((head.next_attempt_at - timezone.now()).total_seconds())
            traveller.move_to(head.next_attempt_at)
            send_due_callbacks()
    assert statuses(receiver.accepted()) == ["QUEUED", "PROCESSED", "FINISHED"]
    assert [r.answered for r in receiver.requests] == [500] * 5 + [204] * 3
    assert len({r.headers["webhook-id"] for r in receiver.requests[:6]}) == 1  # same id on every retry
    # 5 s, 5 min, 30 min, 2 h, 5 h, each with ±10 % jitter
    for waited, planned in zip(waits, RETRY_DELAYS[:5], strict=False):
        assert planned * 0.9 <= waited <= planned * 1.1
    queued = CallbackDelivery.objects.get(event="status.QUEUED")
    assert queued.attempts == 6 and queued.attempt_log.count() == 6


def test_later_statuses_wait_for_earlier_ones(api, channel, whsec, receiver, django_capture_on_commit_callbacks):
    receiver.fail_next(100)
    submit(api, django_capture_on_commit_callbacks, receiver)
    send_due_callbacks()
    assert statuses(receiver.requests) == ["QUEUED"]  # PROCESSED is queued but not sent before QUEUED


def test_retry_after_is_honoured(api, channel, whsec, receiver):
    receiver.fail_next(1, status=503, headers={"Retry-After": "120"})
    api.post("/api/v1/publisher/posts", {"payload": "x", "postStatusCallback": receiver.url}, format="json")
    send_due_callbacks()
    callback = CallbackDelivery.objects.get()
    assert callback.last_status_code == 503
    assert 119 <= (callback.next_attempt_at - timezone.now()).total_seconds() <= 121


def test_gives_up_after_the_last_attempt_and_moves_on(
    api, channel, whsec, receiver, django_capture_on_commit_callbacks
):
    receiver.fail_next(MAX_ATTEMPTS)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        submit(api, django_capture_on_commit_callbacks, receiver)
        for _ in range(MAX_ATTEMPTS - 1):
            traveller.move_to(CallbackDelivery.objects.get(event="status.QUEUED").next_attempt_at)
            send_due_callbacks()
    queued = CallbackDelivery.objects.get(event="status.QUEUED")
    assert (queued.state, queued.attempts, queued.next_attempt_at) == (CallbackState.FAILED, MAX_ATTEMPTS, None)
    assert statuses(receiver.accepted()) == ["PROCESSED"]
    spread = (queued.attempt_log.last().started_at - queued.created_at).total_seconds()
    assert 0.9 * sum(RETRY_DELAYS) <= spread <= 1.1 * sum(RETRY_DELAYS)  # about a day


def test_network_errors_are_retried(api, channel, whsec, dead_buffer_url, settings):
    nobody_listens = dead_buffer_url
    settings.CALLBACK_ALLOWED_HOSTS = [nobody_listens.removeprefix("http://")]
    api.post("/api/v1/publisher/posts", {"payload": "x", "postStatusCallback": nobody_listens}, format="json")
    send_due_callbacks()
    callback = CallbackDelivery.objects.get()
    assert callback.state == CallbackState.PENDING and callback.last_error.startswith("ConnectionError")
    assert callback.next_attempt_at > timezone.now()


def test_log_and_replay(api, outsider_api, channel, whsec, receiver, django_capture_on_commit_callbacks):
    post_id = submit(api, django_capture_on_commit_callbacks, receiver)
    listed = api.get("/api/v1/publisher/callbacks").json()
    assert [(c["event"], c["state"], len(c["attempt_log"])) for c in listed] == [
        ("status.PROCESSED", "delivered", 1),
        ("status.QUEUED", "delivered", 1),
    ]
    assert api.get(f"/api/v1/publisher/posts/{post_id}/callbacks").json() == listed
    assert api.get(f"/api/v1/publisher/callbacks?post={post_id}").json() == listed
    assert outsider_api.get("/api/v1/publisher/callbacks").json() == []
    queued = listed[1]
    assert outsider_api.post(f"/api/v1/publisher/callbacks/{queued['id']}/replay").status_code == 404
    replayed = api.post(f"/api/v1/publisher/callbacks/{queued['id']}/replay").json()
    assert [a["is_replay"] for a in replayed["attempt_log"]] == [False, True]
    assert receiver.requests[-1].headers["webhook-id"] == receiver.requests[0].headers["webhook-id"]
    assert receiver.requests[-1].body == receiver.requests[0].body
