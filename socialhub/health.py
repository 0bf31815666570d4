"""`GET /api/v1/health`: the numbers an operator alerts on, without auth and without secrets.

200 when the database and the broker answer and beat ticked recently; 503 otherwise. The backlog
(due posts no worker has claimed yet, how long the oldest has waited, and posts held by an inactive
account or a paused campaign) is reported, not judged: "too late" is the operator's alert threshold.
`buffer_budgets` shows each active Buffer key's request use per window and when it refills,
identified by config id and label (never the key, nor its hash).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from buffer_integration.serializers import KeyBudgetSerializer
from kernel.heartbeat import beat_tick_age
from kernel.periodic import skipped_last_run

logger = logging.getLogger("socialhub.health")

BROKER_TIMEOUT_SECONDS = 2.0
BACKLOG_KEYS = ("due_unclaimed_count", "oldest_due_age_seconds", "held_count")


def check_database() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as exc:  # any failure is "down"; the class name is enough for the log
        logger.warning("health: database check failed: %s", type(exc).__name__)
        return False


def check_broker(*, url: str | None = None, timeout: float = BROKER_TIMEOUT_SECONDS) -> bool:
    from socialhub.celery import app

    options = {**(app.conf.broker_transport_options or {})}
    options.update(socket_connect_timeout=timeout, socket_timeout=timeout)
    try:
        with app.connection_for_read(url, connect_timeout=timeout, transport_options=options) as conn:
            # kombu takes a float timeout; its stubs say int.
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=timeout)  # type: ignore[arg-type]
            ping = getattr(getattr(conn.default_channel, "client", None), "ping", None)
            if callable(ping):
                ping()  # Redis connects lazily: make it answer
        return True
    except Exception as exc:
        logger.warning("health: broker check failed: %s", type(exc).__name__)
        return False


def due_backlog() -> dict[str, Any]:
    """Due posts no dispatcher has claimed yet, how long the oldest has been due, and held posts."""
    from posts.engine.dispatch import due_backlog as engine_backlog

    now = timezone.now()
    backlog = engine_backlog(now=now)
    oldest = backlog["oldest"]
    return {
        "due_unclaimed_count": backlog["count"],
        "oldest_due_age_seconds": round((now - oldest).total_seconds(), 3) if oldest is not None else None,
        "held_count": backlog["held"],
    }


def buffer_budgets() -> dict[str, Any]:
    """Request use of the active Buffer keys (the first HEALTH_BUDGET_MAX_KEYS by config id)."""
    from buffer_integration.budget import config_report
    from buffer_integration.models import BufferConfig

    configs = BufferConfig.objects.active().order_by("id")
    reports = [config_report(config) for config in configs[: settings.HEALTH_BUDGET_MAX_KEYS]]
    return {
        "buffer_keys_total": configs.count(),
        "buffer_budgets": [KeyBudgetSerializer(report).data for report in reports if report is not None],
    }


def buffer_v1_report() -> dict[str, Any]:
    """How many active Buffer configs still use the REST API (v1), which Buffer retires on 2027-02-01,
    and the notice to act on ("" when none does)."""
    from buffer_integration.models import BufferApi, BufferConfig
    from buffer_integration.services import V1_DEPRECATION_NOTICE

    count = BufferConfig.objects.active().filter(api=BufferApi.V1).count()
    return {"buffer_v1_configs": count, "buffer_v1_deprecation": V1_DEPRECATION_NOTICE if count else ""}


def health_report() -> dict[str, Any]:
    database_ok = check_database()
    broker_ok = check_broker()
    age = beat_tick_age()
    beat_ok = age is not None and age <= settings.HEALTH_BEAT_MAX_AGE_SECONDS
    backlog = due_backlog() if database_ok else dict.fromkeys(BACKLOG_KEYS)
    budgets = buffer_budgets() if database_ok else {"buffer_keys_total": None, "buffer_budgets": []}
    return {
        "status": "ok" if database_ok and broker_ok and beat_ok else "fail",
        "database": "ok" if database_ok else "fail",
        "broker": "ok" if broker_ok else "fail",
        "beat": "ok" if beat_ok else ("never" if age is None else "stale"),
        "last_beat_tick_age_seconds": round(age, 3) if age is not None else None,
        **backlog,
        # Items each periodic loop skipped in its last run (an error on that item): alert on non-zero.
        "periodic_skipped": skipped_last_run(),
        **budgets,
        **(buffer_v1_report() if database_ok else {"buffer_v1_configs": None, "buffer_v1_deprecation": ""}),
    }


HEALTH_REPORT = inline_serializer(
    "Health",
    {
        "status": serializers.ChoiceField(["ok", "fail"]),
        "database": serializers.ChoiceField(["ok", "fail"]),
        "broker": serializers.ChoiceField(["ok", "fail"]),
        "beat": serializers.ChoiceField(["ok", "stale", "never"]),
        "last_beat_tick_age_seconds": serializers.FloatField(allow_null=True),
        "due_unclaimed_count": serializers.IntegerField(allow_null=True),
        "oldest_due_age_seconds": serializers.FloatField(allow_null=True),
        "held_count": serializers.IntegerField(allow_null=True),
        "periodic_skipped": serializers.DictField(child=serializers.IntegerField()),
        "buffer_keys_total": serializers.IntegerField(allow_null=True, help_text="Active Buffer configs."),
        "buffer_budgets": KeyBudgetSerializer(
            many=True,
            help_text="Each active Buffer key's request use per window (first HEALTH_BUDGET_MAX_KEYS by config id).",
        ),
        "buffer_v1_configs": serializers.IntegerField(
            allow_null=True, help_text="Active Buffer configs on the REST API (v1), retired by Buffer on 2027-02-01."
        ),
        "buffer_v1_deprecation": serializers.CharField(help_text='The notice while any v1 config is active, else "".'),
    },
)


class HealthView(APIView):
    """Liveness of the publishing pipeline for load balancers and monitoring."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes: list = []

    @extend_schema(
        auth=[],
        responses={
            200: HEALTH_REPORT,
            503: OpenApiResponse(HEALTH_REPORT, description="Same body; at least one check failed."),
        },
    )
    def get(self, request: Request) -> Response:
        report = health_report()
        return Response(report, status=200 if report["status"] == "ok" else 503)
