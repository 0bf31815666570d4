"""`GET /api/v1/health`: unauthenticated, no secrets, 503 when a check fails, backlog numbers."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from kernel.heartbeat import record_beat_tick
from socialhub import health

pytestmark = pytest.mark.django_db


def test_healthy_without_auth_and_without_secrets(settings):
    record_beat_tick()
    response = APIClient().get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert (body["database"], body["broker"], body["beat"]) == ("ok", "ok", "ok")
    assert 0 <= body["last_beat_tick_age_seconds"] < 5
    assert (body["due_unclaimed_count"], body["oldest_due_age_seconds"]) == (0, None)
    text = json.dumps(body)
    for secret in (settings.SECRET_KEY, *settings.FIELD_ENCRYPTION_KEYS, str(settings.CELERY_BROKER_URL)):
        assert secret not in text


def test_beat_that_never_ticked_or_went_quiet_is_503(settings):
    response = APIClient().get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["beat"] == "never"

    record_beat_tick(now=timezone.now().timestamp() - settings.HEALTH_BEAT_MAX_AGE_SECONDS - 1)
    response = APIClient().get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["beat"] == "stale"
    assert response.json()["last_beat_tick_age_seconds"] > settings.HEALTH_BEAT_MAX_AGE_SECONDS


def test_broker_down_is_503(monkeypatch):
    record_beat_tick()
    monkeypatch.setattr(health, "check_broker", lambda: False)
    response = APIClient().get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["broker"] == "fail"


def test_unreachable_redis_broker_fails_fast():
    assert health.check_broker(url="redis://127.0.0.1:1/0", timeout=0.5) is False


def test_reports_due_unclaimed_posts_and_the_oldest_age(owner):
    from posts.tests.factories import PostFactory

    record_beat_tick()
    now = timezone.now()
    PostFactory(owner=owner, social_account__owner=owner, scheduled_time=now - dt.timedelta(minutes=10))
    PostFactory(owner=owner, social_account__owner=owner, scheduled_time=now - dt.timedelta(minutes=1))
    PostFactory(owner=owner, social_account__owner=owner, scheduled_time=now + dt.timedelta(minutes=1))
    body = APIClient().get("/api/v1/health").json()
    assert body["due_unclaimed_count"] == 2
    assert 600 <= body["oldest_due_age_seconds"] < 660
