"""The per-token Buffer budget: never more than the limit in any rolling minute, shared by processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from buffer_integration import throttle

T0 = 1_800_000_000.0  # a bucket boundary: 1.8e9 is divisible by 5


def test_allows_the_limit_then_says_how_long_to_wait():
    granted = [throttle.acquire("tok", limit=3, now=T0 + i) for i in range(3)]
    assert granted == [0.0, 0.0, 0.0]
    wait = throttle.acquire("tok", limit=3, now=T0 + 3)
    # The first request (bucket starting at T0) leaves the counted window 65 s after T0.
    assert wait == pytest.approx(65 - 3)
    assert throttle.usage("tok", now=T0 + 3) == 3  # the refused request was not counted


def test_budget_returns_once_the_old_requests_leave_the_window():
    for i in range(3):
        assert throttle.acquire("tok", limit=3, now=T0 + i) == 0.0
    wait = throttle.acquire("tok", limit=3, now=T0 + 10)
    assert throttle.acquire("tok", limit=3, now=T0 + 10 + wait) == 0.0


def test_never_more_than_the_limit_in_any_rolling_minute():
    """Steady demand, 4 requests a second for 3 minutes: every 60 s window holds <= 60 grants."""
    grants = [T0 + i / 4 for i in range(4 * 180) if throttle.acquire("tok", limit=60, now=T0 + i / 4) == 0.0]
    for start in grants:
        assert sum(1 for g in grants if start <= g < start + 60) <= 60
    assert len(grants) >= 2 * 60  # and the budget is actually used, minute after minute


def test_tokens_have_separate_budgets_and_keys_hide_the_token():
    assert throttle.acquire("secret-one", limit=1, now=T0) == 0.0
    assert throttle.acquire("secret-two", limit=1, now=T0) == 0.0
    assert throttle.acquire("secret-one", limit=1, now=T0) > 0
    assert "secret" not in throttle._bucket_key(throttle.token_key("secret-one"), 1)


def test_limit_zero_disables_throttling():
    assert all(throttle.acquire("tok", limit=0, now=T0) == 0.0 for _ in range(100))


def test_default_limit_comes_from_settings(settings):
    settings.BUFFER_RATE_LIMIT_PER_MINUTE = 2
    assert throttle.acquire("tok", now=T0) == 0.0
    assert throttle.acquire("tok", now=T0) == 0.0
    assert throttle.acquire("tok", now=T0) > 0


_COUNTER = """
import sys, django
django.setup()
from buffer_integration import throttle
print(sum(throttle.acquire("shared-token", limit=int(sys.argv[1]), now=float(sys.argv[2])) == 0.0 for _ in range(80)))
"""


@pytest.mark.slow
def test_two_processes_share_one_budget():
    """Two processes racing for the same token's budget are admitted `limit` times in total."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "socialhub.settings_test", "PYTHONPATH": str(settings.BASE_DIR)}
    cmd = [sys.executable, "-c", _COUNTER, "100", str(T0)]
    procs = [subprocess.Popen(cmd, env=env, cwd=Path(settings.BASE_DIR), stdout=subprocess.PIPE) for _ in range(2)]
    totals = [int(proc.communicate(timeout=60)[0]) for proc in procs]
    assert sum(totals) == 100
