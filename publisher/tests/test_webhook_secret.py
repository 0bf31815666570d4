"""The webhook signing secret: created on first use, readable by its owner, rotated with a 24 h overlap."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from publisher.models import CallbackDelivery, WebhookSecret
from publisher.outbox import send_due_callbacks
from publisher.tests.receiver import verify_standard_webhook

pytestmark = pytest.mark.django_db
URL = "/api/v1/publisher/webhook-secret"


def signatures(request) -> list[str]:
    return request.headers["webhook-signature"].split(" ")


def test_a_callback_without_a_secret_creates_one(
    api, outsider_api, channel, receiver, django_capture_on_commit_callbacks
):
    assert api.get(URL).json() == {
        "configured": False,
        "secret": None,
        "created_at": None,
        "rotated_at": None,
        "previous_valid_until": None,
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post(
            "/api/v1/publisher/posts", {"payload": "x", "postStatusCallback": receiver.url}, format="json"
        )
    assert response.status_code == 201, response.json()

    shown = api.get(URL)
    assert shown["Cache-Control"] == "no-store"
    secret = shown.json()["secret"]
    assert shown.json()["configured"] and secret.startswith("whsec_")
    assert [r.json["postStatus"] for r in receiver.requests] == ["QUEUED", "PROCESSED"]
    assert all(verify_standard_webhook(secret, r.headers, r.body) for r in receiver.requests)
    assert all(len(signatures(r)) == 1 for r in receiver.requests)
    record = WebhookSecret.objects.get()
    assert secret not in record.secret_encrypted and record.get_secret() == secret  # encrypted at rest
    assert api.get(URL).json()["secret"] == secret  # any time, the same
    assert outsider_api.get(URL).json()["configured"] is False


def test_rotation_signs_with_both_secrets_for_24_hours(api, channel, receiver, django_capture_on_commit_callbacks):
    old = api.post(URL).json()["secret"]
    rotated = api.post(URL)
    assert rotated.status_code == 201
    new = rotated.json()["secret"]
    assert new != old and api.get(URL).json()["secret"] == new
    until = datetime.fromisoformat(rotated.json()["previous_valid_until"])
    assert abs(until - (timezone.now() + timedelta(hours=24))) < timedelta(minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/publisher/posts", {"payload": "x", "postStatusCallback": receiver.url}, format="json")
    during = receiver.requests[0]
    assert len(signatures(during)) == 2 and all(s.startswith("v1,") for s in signatures(during))
    assert verify_standard_webhook(new, during.headers, during.body)
    assert verify_standard_webhook(old, during.headers, during.body)  # a receiver still on the old secret

    CallbackDelivery.objects.update(state="pending", next_attempt_at=timezone.now())
    receiver.requests.clear()
    with time_machine.travel(timezone.now() + timedelta(hours=24, seconds=1)):
        send_due_callbacks()
    after = receiver.requests[0]
    assert len(signatures(after)) == 1
    assert verify_standard_webhook(new, after.headers, after.body)
    assert not verify_standard_webhook(old, after.headers, after.body)


def test_a_second_rotation_drops_the_oldest_secret(api, owner):
    first = api.post(URL).json()["secret"]
    second = api.post(URL).json()["secret"]
    third = api.post(URL).json()["secret"]
    assert WebhookSecret.objects.get(owner=owner).signing_secrets(timezone.now()) == [third, second]
    assert first not in (third, second)
