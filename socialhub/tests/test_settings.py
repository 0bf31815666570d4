"""Production settings fail loudly instead of falling back to something insecure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _load_settings(**env: str) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "ALLOWED_HOSTS"}
    }
    clean.update(env)
    clean["DJANGO_SETTINGS_MODULE"] = "socialhub.settings"
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ok')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


GOOD = {
    "SECRET_KEY": "x" * 50,
    "FIELD_ENCRYPTION_KEYS": "dGVzdC1rZXktb25lLXRlc3Qta2V5LW9uZS10ZXN0LWs=",
    "ALLOWED_HOSTS": "example.com",
}


def test_production_settings_load():
    result = _load_settings(**GOOD)
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


@pytest.mark.parametrize(
    "override, message",
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "at least 32 characters"),
        ({"FIELD_ENCRYPTION_KEYS": ""}, "FIELD_ENCRYPTION_KEYS must be set"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set"),
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"BUFFER_MAX_RETRIES": "lots"}, "BUFFER_MAX_RETRIES must be an integer"),
        ({"TRUSTED_PROXIES": "10.0.0.0/8,proxy.local"}, "TRUSTED_PROXIES must be IP addresses or CIDRs"),
    ],
)
def test_missing_or_malformed_production_setting_stops_start_up(override, message):
    result = _load_settings(**{**GOOD, **override})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_debug_runs_on_embedded_defaults():
    result = _load_settings(DEBUG="true")
    assert result.returncode == 0, result.stderr
