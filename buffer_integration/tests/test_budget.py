"""The per-key Buffer request budget: windows, priorities and their reserves, 429s, shared by processes."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings

from buffer_integration import budget
from buffer_integration.backends import get_backend
from buffer_integration.budget import KeyBudget, Priority
from buffer_integration.exceptions import BufferBudgetExhausted, BufferRateLimited

T0 = 1_800_000_000.0 - 1_800_000_000.0 % 86400  # a day boundary, so every window's bucket starts here


def admitted(gate: KeyBudget, n: int, *, now: float) -> int:
    count = 0
    for _ in range(n):
        try:
            gate.admit(now=now)
            count += 1
        except BufferBudgetExhausted:
            pass
    return count


def test_plan_limits_are_buffers_and_the_default_is_the_smallest_plan():
    assert budget.limits_for("graphql") == {"15m": 100, "24h": 250, "30d": 3000}
    assert budget.limits_for("graphql", "essentials") == {"15m": 100, "24h": 250, "30d": 7500}
    assert budget.limits_for("graphql", "team") == {"15m": 100, "24h": 500, "30d": 15000}
    assert budget.limits_for("v1", "team") == {"1m": 60}


def test_the_15_minute_window_admits_100_then_refuses_until_its_oldest_requests_leave():
    gate = KeyBudget("tok", api="graphql")
    assert admitted(gate, 100, now=T0) == 100
    with pytest.raises(BufferBudgetExhausted) as refused:
        gate.admit(now=T0 + 60)
    assert refused.value.window == "15m" and refused.value.priority == Priority.PUBLISH
    # Counted in the bucket starting at T0; the window spans 16 one-minute buckets.
    assert refused.value.retry_at == datetime.fromtimestamp(T0 + 16 * 60, tz=UTC)
    assert "100 of 100" in refused.value.message
    assert gate.usage(now=T0 + 60)[0].used == 100  # the refused request was not counted
    assert admitted(gate, 1, now=T0 + 16 * 60) == 1


def test_the_daily_window_holds_across_15_minute_windows():
    gate = KeyBudget("tok", api="graphql", plan="free")
    total = sum(admitted(gate, 100, now=T0 + i * 16 * 60) for i in range(4))
    assert total == 250
    with pytest.raises(BufferBudgetExhausted) as refused:
        gate.admit(now=T0 + 4 * 16 * 60)
    assert refused.value.window == "24h"
    assert refused.value.retry_at == datetime.fromtimestamp(T0 + 25 * 3600, tz=UTC)


def test_team_has_twice_the_daily_budget_and_the_30_day_window_counts_too(settings):
    settings.BUFFER_PLAN_LIMITS = {"team": {"15m": 1000, "24h": 500, "30d": 600}}
    gate = KeyBudget("tok", api="graphql", plan="team")
    assert admitted(gate, 600, now=T0) == 500
    assert admitted(gate, 200, now=T0 + 2 * 86400) == 100  # the day refilled, the month did not
    with pytest.raises(BufferBudgetExhausted) as refused:
        gate.admit(now=T0 + 2 * 86400)
    assert refused.value.window == "30d"


def test_v1_keys_keep_60_a_minute(settings):
    gate = KeyBudget("tok", api="v1")
    assert admitted(gate, 70, now=T0) == 60
    assert admitted(gate, 1, now=T0 + 65) == 1


@pytest.mark.parametrize(
    ("priority", "ceiling"),
    [
        (Priority.PUBLISH, 250),
        (Priority.RECONCILE, 225),
        (Priority.STATUS_SYNC, 150),
        (Priority.ANALYTICS, 125),
        (Priority.COMMENT_SYNC, 100),
    ],
)
def test_each_priority_leaves_its_reserve_of_the_day(priority, ceiling, settings):
    settings.BUFFER_PLAN_LIMITS = {"free": {"15m": 10_000, "24h": 250, "30d": 10_000}}
    assert admitted(KeyBudget("tok", priority=priority), ceiling + 5, now=T0) == ceiling


def test_polling_never_takes_the_last_40_percent_so_publishing_still_goes_out(settings):
    settings.BUFFER_PLAN_LIMITS = {"free": {"15m": 10_000, "24h": 250, "30d": 10_000}}
    poller = KeyBudget("tok", priority=Priority.STATUS_SYNC)
    assert admitted(poller, 160, now=T0) == 150
    with pytest.raises(BufferBudgetExhausted) as refused:
        poller.admit(now=T0)
    assert "40% kept for more urgent requests" in refused.value.message
    assert admitted(KeyBudget("tok", priority=Priority.COMMENT_SYNC), 10, now=T0) == 0
    assert admitted(KeyBudget("tok", priority=Priority.PUBLISH), 110, now=T0) == 100


def test_a_429_blocks_the_key_for_everyone_until_retry_after():
    KeyBudget("tok", priority=Priority.COMMENT_SYNC).record_rate_limited(120, "24h", now=T0)
    publisher = KeyBudget("tok", priority=Priority.PUBLISH)
    with pytest.raises(BufferBudgetExhausted) as refused:
        publisher.admit(now=T0 + 1)
    assert refused.value.retry_at == datetime.fromtimestamp(T0 + 120, tz=UTC) and refused.value.window == "24h"
    assert publisher.blocked_until(now=T0 + 1) == refused.value.retry_at
    assert KeyBudget("other-token").blocked_until(now=T0 + 1) is None
    publisher.admit(now=T0 + 120)


def test_a_shorter_retry_after_never_shortens_a_block():
    gate = KeyBudget("tok")
    gate.record_rate_limited(300, "15m", now=T0)
    gate.record_rate_limited(5, "15m", now=T0)
    assert gate.blocked_until(now=T0) == datetime.fromtimestamp(T0 + 300, tz=UTC)


def test_keys_are_separate_and_the_cache_never_holds_the_token():
    one = KeyBudget("secret-one", limits={"15m": 1})
    one.admit(now=T0)
    KeyBudget("secret-two", limits={"15m": 1}).admit(now=T0)
    with pytest.raises(BufferBudgetExhausted):
        one.admit(now=T0)
    assert "secret" not in one._bucket_key("15m", 1) and "secret" not in one._block_key()


def test_threads_are_never_admitted_above_the_limit():
    gate = KeyBudget("shared", limits={"15m": 50})
    results: list[int] = []
    barrier = threading.Barrier(8)

    def worker():
        barrier.wait()
        results.append(admitted(gate, 20, now=T0))

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(results) == 50


_COUNTER = """
import sys, django
django.setup()
from buffer_integration.budget import KeyBudget
from buffer_integration.exceptions import BufferBudgetExhausted
gate = KeyBudget("shared-token", limits={"15m": int(sys.argv[1])})
n = 0
for _ in range(80):
    try:
        gate.admit(now=float(sys.argv[2]))
        n += 1
    except BufferBudgetExhausted:
        pass
print(n)
"""


@pytest.mark.slow
def test_two_processes_share_one_budget():
    """Two processes racing for the same key's budget are admitted `limit` times in total."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "socialhub.settings_test", "PYTHONPATH": str(settings.BASE_DIR)}
    cmd = [sys.executable, "-c", _COUNTER, "100", str(T0)]
    procs = [subprocess.Popen(cmd, env=env, cwd=Path(settings.BASE_DIR), stdout=subprocess.PIPE) for _ in range(2)]
    totals = [int(proc.communicate(timeout=60)[0]) for proc in procs]
    assert sum(totals) == 100


# -- through the backends, against the sandbox over HTTP ------------------------------------------


def test_every_request_reaching_the_sandbox_is_counted_and_refused_ones_never_leave(sandbox, settings):
    settings.BUFFER_PLAN_LIMITS = {"free": {"15m": 7, "24h": 250, "30d": 3000}}
    token = "budget-count-token"
    backend = get_backend(token, api="graphql", priority=Priority.ANALYTICS)
    before = sandbox.stats()["requests"]
    calls = refused = 0
    for _ in range(6):
        try:
            backend.list_profiles()  # the account lookup, then the channels: several requests per call
            calls += 1
        except BufferBudgetExhausted:
            refused += 1
    reached = sandbox.stats()["requests"] - before
    recorded = KeyBudget(token, api="graphql").usage()[0].used
    assert refused and calls
    assert reached == recorded <= budget.ceiling(7, Priority.ANALYTICS)


def test_a_429_from_buffer_blocks_the_key_and_nothing_more_is_sent(sandbox, settings):
    settings.BUFFER_PLAN_LIMITS = {"free": {"15m": 1000, "24h": 1000, "30d": 3000}}
    sandbox.faults(graphql_rate_limit=2)
    backend = get_backend("budget-429-token", api="graphql", max_retries=0)
    with pytest.raises(BufferRateLimited):
        for _ in range(5):
            backend.list_profiles()
    sent = sandbox.stats()["requests"]
    with pytest.raises(BufferBudgetExhausted) as refused:
        get_backend("budget-429-token", api="graphql", priority=Priority.PUBLISH).list_profiles()
    assert sandbox.stats()["requests"] == sent
    assert refused.value.retry_at > datetime.now(tz=UTC)


def test_no_product_code_builds_a_buffer_client_around_the_budget():
    """Only `get_backend` builds backends (and so attaches the budget); tests, the sandbox and bench aside."""
    root = Path(settings.BASE_DIR)
    constructors = ("GraphQLBackend(", "V1Backend(", "JsonHttpClient(")
    skipped = {".venv", "buffer_sandbox", "bench", "tests", "node_modules", "var"}
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if skipped & set(relative.parts) or relative.parts[:2] == ("buffer_integration", "backends"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{relative}: {c}" for c in constructors if c in text]
    assert offenders == []


def test_product_code_builds_backends_through_backend_for_config():
    """Config → token, API, plan and priority → backend happens once, in buffer_integration.services:
    nothing else in the product calls `get_backend` (tests, the sandbox and bench aside)."""
    root = Path(settings.BASE_DIR)
    skipped = {".venv", "buffer_sandbox", "bench", "tests", "node_modules", "var"}
    offenders = []
    for path in root.rglob("*.py"):
        relative = path.relative_to(root)
        if skipped & set(relative.parts) or relative.parts[0] == "buffer_integration":
            continue
        if "get_backend(" in path.read_text(encoding="utf-8", errors="replace"):
            offenders.append(str(relative))
    assert offenders == []


def test_get_backend_attaches_the_priority_and_plan():
    backend = get_backend("attach-token", api="graphql", priority=Priority.STATUS_SYNC, plan="team")
    gate = backend._http.budget
    assert gate.priority == Priority.STATUS_SYNC and gate.limits["24h"] == 500
    assert get_backend("attach-token", api="v1")._http.budget.limits == {"1m": 60}
